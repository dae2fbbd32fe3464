"""People acting at the same instant, on PostgreSQL (SQLite has no row locks and serialises writers
on its own): two officers approving one application, three approvals for one product."""

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from rest_framework.test import APIClient

from audits.services.decisions import approve_application
from certification.codes import make_label_code
from certification.exceptions import RequirementsNotMet
from certification.models import Application, ApplicationState, HistoryEvent, Label, LabelStatus
from certification.services.labels import change_label_status
from tests.workflow import Actors, build_application

pytestmark = pytest.mark.django_db(transaction=True)

MEANWHILE = "Another label was issued for this product or service meanwhile"


@pytest.fixture
def _on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers on its own")


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread and connection; what each returned or raised, in order."""
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with translation.override("en"):  # a thread starts in the default language
                outcomes[index] = calls[index]()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def waiting_at(barrier: threading.Barrier, function: Callable[..., Any]) -> Callable[..., Any]:
    def wait_then_call(*args: Any, **kwargs: Any) -> Any:
        barrier.wait(timeout=20)
        return function(*args, **kwargs)

    return wait_then_call


@pytest.fixture
def three_for_one_product(alice, carol, olivia, enterprise, scheme) -> list[Application]:  # type: ignore[no-untyped-def]
    """Three applications ready for the decision, all for the same product."""
    actors = Actors(alice, carol, olivia)
    applications = [
        build_application(ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
        for _ in range(3)
    ]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(product=applications[0].product)
    return list(Application.objects.filter(pk__in=[a.pk for a in applications]).order_by("pk"))


@pytest.mark.postgresql
@pytest.mark.usefixtures("_on_postgresql")
def test_two_simultaneous_approvals_issue_one_label(alice, carol, olivia, oscar, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    start = threading.Barrier(2)

    def approve(officer):  # type: ignore[no-untyped-def]
        start.wait(timeout=20)
        return approve_application(application=Application.objects.get(pk=application.pk), by=officer)

    outcomes = at_once([lambda: approve(olivia), lambda: approve(oscar)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Label", "TransitionNotAllowed"]
    assert Label.objects.filter(application=application).count() == 1
    assert HistoryEvent.objects.filter(action="application.approved").count() == 1


@pytest.mark.postgresql
@pytest.mark.usefixtures("_on_postgresql")
def test_three_simultaneous_approvals_for_one_product_leave_one_current_label(three_for_one_product, olivia) -> None:  # type: ignore[no-untyped-def]
    # Approvals write their history under the chain's lock, so they commit one after another:
    # each later one supersedes the label before it (or, had two raced past the history, the
    # constraint would refuse one with a sentence). Either way: one current label, never a 500.
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=olivia)

    def approve(application: Application) -> Any:
        return client.post(f"/api/v1/applications/{application.pk}/transitions/approve/", {}, format="json")

    answers = at_once([lambda a=a: approve(a) for a in three_for_one_product])  # type: ignore[misc]

    assert {answer.status_code for answer in answers} <= {200, 409}, [a.content for a in answers]
    assert all(MEANWHILE in a.json()["detail"] for a in answers if a.status_code == 409)
    product = three_for_one_product[0].product
    issued = sum(1 for answer in answers if answer.status_code == 200)
    assert Label.objects.filter(product=product).count() == issued
    assert Label.objects.filter(product=product, status__in=["active", "suspended"]).count() == 1
    assert Label.objects.filter(product=product, status=LabelStatus.SUPERSEDED).count() == issued - 1
    assert HistoryEvent.objects.filter(action="label.superseded").count() == issued - 1
    call_command("verify_history", stdout=io.StringIO())


@pytest.mark.postgresql
@pytest.mark.usefixtures("_on_postgresql")
def test_simultaneous_approvals_leave_a_suspended_label_as_it_is(three_for_one_product, olivia) -> None:  # type: ignore[no-untyped-def]
    """A suspended label is never replaced by a new approval for its product (it cannot be
    renewed away: its status and public reason stay), however many approvals arrive at once:
    each is refused with the sentence, and nothing is issued or superseded."""
    first, *renewals = three_for_one_product
    old = approve_application(application=first, by=olivia)
    change_label_status(label=old, name="suspend", by=olivia, reason="Klacht in onderzoek.")

    outcomes = at_once(
        [lambda a=a: approve_application(application=a, by=olivia) for a in renewals]  # type: ignore[misc]
    )

    assert all(isinstance(o, RequirementsNotMet) and "is suspended" in str(o) for o in outcomes), outcomes
    old.refresh_from_db()
    assert old.status == LabelStatus.SUSPENDED
    assert Label.objects.filter(product=old.product).count() == 1
    assert not HistoryEvent.objects.filter(action="label.superseded").exists()


@pytest.mark.postgresql
@pytest.mark.usefixtures("_on_postgresql")
def test_approvals_for_one_product_however_they_interleave_leave_one_current_label(
    three_for_one_product, alice, carol, olivia, oscar, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    product = three_for_one_product[0].product
    earlier = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    Application.objects.filter(pk=earlier.pk).update(product=product)
    approve_application(application=Application.objects.get(pk=earlier.pk), by=olivia)

    outcomes = at_once(
        [
            lambda a=a, officer=officer: approve_application(application=a, by=officer)  # type: ignore[misc]
            for a, officer in zip(three_for_one_product, (olivia, oscar, olivia), strict=True)
        ]
    )

    assert all(isinstance(o, Label) or MEANWHILE in o.message for o in outcomes), outcomes
    issued = sum(isinstance(o, Label) for o in outcomes)
    labels = Label.objects.filter(product=product)
    assert labels.count() == 1 + issued
    assert labels.filter(status=LabelStatus.ACTIVE).count() == 1
    assert labels.filter(status=LabelStatus.SUPERSEDED, superseded_by__product=product).count() == issued


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_the_database_refuses_a_second_current_label_for_a_product(three_for_one_product, olivia, status) -> None:  # type: ignore[no-untyped-def]
    first, second, _third = three_for_one_product
    label = approve_application(application=first, by=olivia)
    if status == "suspended":
        change_label_status(label=label, name="suspend", by=olivia, reason="Klacht in onderzoek.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(
            code=make_label_code(),
            application=second,
            product=label.product,
            scheme=label.scheme,
            level=label.level,
            social_share=label.social_share,
            issued_on=label.issued_on,
            valid_until=label.valid_until,
        )
    assert Label.objects.filter(product=label.product).count() == 1


def test_the_migration_leaves_each_product_its_newest_current_label(three_for_one_product, olivia) -> None:  # type: ignore[no-untyped-def]
    """Labels written as the schema before the migration allowed (two more current labels for a
    product), through the models of that schema: today's models may have grown since."""
    first, *others = three_for_one_product
    oldest = approve_application(application=first, by=olivia)
    before = ("certification", "0009_registry_search")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        OldLabel = executor.loader.project_state([before]).apps.get_model("certification", "Label")  # noqa: N806
        suspended, newest = (
            OldLabel.objects.create(
                code=make_label_code(),
                application_id=application.pk,
                product_id=oldest.product_id,
                scheme_id=oldest.scheme_id,
                level=oldest.level,
                social_share=oldest.social_share,
                issued_on=oldest.issued_on,
                valid_until=oldest.valid_until,
                status=status,
                public_record=oldest.public_record,
            )
            for application, status in zip(others, (LabelStatus.SUSPENDED, LabelStatus.ACTIVE), strict=True)
        )
        executor = MigrationExecutor(connection)
        executor.migrate([("certification", "0010_one_current_label_per_product")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    suspended, newest = (Label.objects.get(pk=label.pk) for label in (suspended, newest))

    for label, was in ((oldest, "active"), (suspended, "suspended")):
        label.refresh_from_db()
        assert (label.status, label.superseded_by) == (LabelStatus.SUPERSEDED, newest)
        assert label.public_record == label.render_public_record()
        event = HistoryEvent.objects.get(action="label.superseded", target_id=label.pk)
        assert (event.from_state, event.to_state, event.data["successor"]) == (was, "superseded", newest.code)
    assert Label.objects.get(pk=newest.pk).status == LabelStatus.ACTIVE
    call_command("verify_history", stdout=io.StringIO())  # the rows it wrote joined the chain
