"""Standard actors and the seed scheme.

alice applies for her enterprise (Atelier Alice), bob for another one; carol audits, dan is
another auditor; olivia and oscar are certification officers; nobody is anonymous.
"""

import datetime
import os
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from certification.models import Enterprise, Role, Scheme, User
from certification.seed import ensure_seed_scheme
from certification.signing import generate_private_key_pem
from tests.factories import EnterpriseFactory, UserFactory

SIGNING_KEY = generate_private_key_pem().decode()


def idle_cores(seconds: float = 0.5) -> float:
    """How many cores sat idle over the last `seconds` (Linux's /proc/stat). Unlike the load
    average, it does not count what just ended (the lint before the suite, the previous run)."""

    def times() -> list[int]:
        with open("/proc/stat") as stat:
            return [int(field) for field in stat.readline().split()[1:]]

    before = times()
    time.sleep(seconds)
    spent = [after - earlier for after, earlier in zip(times(), before, strict=True)]
    idle = spent[3] + spent[4]  # idle, iowait
    return len(os.sched_getaffinity(0)) * idle / max(1, sum(spent))


def pytest_xdist_auto_num_workers(config):  # type: ignore[no-untyped-def]
    """How many workers `-n auto` (make test) starts: one per idle core, and none (the suite runs
    in this process) when fewer than two cores are idle. Linux shares a busy machine's cores
    between sessions, not processes: where others keep the cores busy, a second worker gets no
    more time, and only adds its start-up (some ten seconds of CPU). PYTEST_XDIST_AUTO_NUM_WORKERS
    decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    idle = idle_cores()
    workers = round(idle)
    workers = workers if workers >= 2 else 0
    chosen = f"{workers} workers" if workers else "no workers, one process"
    config.stash[WORKERS_CHOSEN] = f"-n auto: {chosen} ({idle:.1f} of {len(os.sched_getaffinity(0))} cores idle)"
    return workers


WORKERS_CHOSEN = pytest.StashKey[str]()


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    return config.stash.get(WORKERS_CHOSEN, None)


@pytest.fixture(autouse=True)
def _media_root_and_signing_key(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Files a test writes go to its own folder, never to var/, which parallel workers would share."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY = SIGNING_KEY
    settings.SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    settings.PUBLIC_BASE_URL = "https://label.example.be"


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Refusals are asserted in English; pages pick their language per request (Accept-Language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from api.throttling import clear_reservations

    def clear() -> None:
        cache.clear()
        clear_reservations()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _history_guard_lifted_for_flush(request):  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush of every table, which the history's guard
    refuses: lift it just before (this runs before the flush, whose own teardown comes after
    ours); the flush's post_migrate puts it back."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    from certification.history_guard import remove_history_guard

    remove_history_guard(connection)


@pytest.fixture
def scheme(db) -> Scheme:  # type: ignore[no-untyped-def]
    """The seed scheme; written again when a transactional test (which empties every table) ran before."""
    return ensure_seed_scheme()


@pytest.fixture
def enterprise(db) -> Enterprise:  # type: ignore[no-untyped-def]
    return EnterpriseFactory(name="Atelier Alice", enterprise_number="0403.170.701")


@pytest.fixture
def other_enterprise(db) -> Enterprise:  # type: ignore[no-untyped-def]
    return EnterpriseFactory(name="Werkplaats Bob", enterprise_number="0203.201.340")


@pytest.fixture
def alice(enterprise: Enterprise) -> User:
    user = UserFactory(username="alice", roles=[Role.APPLICANT])
    enterprise.members.add(user)
    return user


@pytest.fixture
def bob(other_enterprise: Enterprise) -> User:
    user = UserFactory(username="bob", roles=[Role.APPLICANT])
    other_enterprise.members.add(user)
    return user


def qualified(auditor: User) -> User:
    """An auditor qualified for every product category of the seed, for a year."""
    from certification.models import AuditorQualification
    from certification.seed import ensure_categories

    until = timezone.localdate() + datetime.timedelta(days=365)
    for category in ensure_categories().values():
        AuditorQualification.objects.get_or_create(auditor=auditor, category=category, defaults={"valid_until": until})
    return auditor


@pytest.fixture
def carol(db) -> User:  # type: ignore[no-untyped-def]
    return qualified(UserFactory(username="carol", roles=[Role.AUDITOR]))


@pytest.fixture
def dan(db) -> User:  # type: ignore[no-untyped-def]
    return qualified(UserFactory(username="dan", roles=[Role.AUDITOR]))


@pytest.fixture
def olivia(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="olivia", roles=[Role.OFFICER])


@pytest.fixture
def oscar(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="oscar", roles=[Role.OFFICER])


@pytest.fixture
def nobody() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def issue_label(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    """Issue a real label (through approve) for a new product of alice's enterprise."""
    from audits.services.decisions import approve_application
    from certification.models import ApplicationState
    from tests.workflow import Actors, build_application

    def issue(category: str = "assembly", **product):  # type: ignore[no-untyped-def]
        application = build_application(
            ApplicationState.AUDIT_REPORTED,
            enterprise=enterprise,
            scheme=scheme,
            actors=Actors(alice, carol, olivia),
            category=category,
        )
        if product:
            type(application.product).objects.filter(pk=application.product_id).update(**product)
            application.refresh_from_db()
        return approve_application(application=application, by=olivia)

    return issue


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run what a change schedules for after its commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
