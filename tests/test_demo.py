import html
import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from audits.models import ProductionStep
from audits.services.share import measured_share
from audits.surveillance import Surveillance, SurveillanceState
from certification.models import Application, ApplicationState, Label, LabelStatus, Role, User

DEMO_ACCOUNTS = ["admin", "applicant1", "applicant2", "auditor1", "auditor2", "officer1", "officer2"]


def all_rows() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every model, except passwords' salts and timestamps, to compare two runs."""
    rows = {}
    for model in [*apps.get_app_config("certification").get_models(), *apps.get_app_config("audits").get_models()]:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"password", "last_login"}]
        rows[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


@pytest.fixture
def seeded(db, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--password", "demo-pw-1", stdout=out)
    return out.getvalue()


def test_seed_demo_prints_the_accounts(seeded) -> None:  # type: ignore[no-untyped-def]
    for username in DEMO_ACCOUNTS:
        assert username in seeded
    assert "demo-pw-1" in seeded


def test_seed_demo_creates_the_accounts_with_their_roles(seeded) -> None:  # type: ignore[no-untyped-def]
    for username in DEMO_ACCOUNTS:
        assert User.objects.get(username=username).check_password("demo-pw-1")
    assert User.objects.get(username="officer1").has_role(Role.OFFICER)
    assert User.objects.get(username="auditor2").has_role(Role.AUDITOR)
    assert User.objects.get(username="applicant1").enterprises.get().name == "De Groene Schakel"
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_has_applications_in_every_state_and_labels_in_every_stored_status(seeded) -> None:  # type: ignore[no-untyped-def]
    assert set(Application.objects.values_list("state", flat=True)) == set(ApplicationState.values)
    assert {LabelStatus.ACTIVE, LabelStatus.SUSPENDED, LabelStatus.REVOKED} <= set(
        Label.objects.values_list("status", flat=True)
    )


def test_seed_demo_twice_gives_the_same_rows(seeded) -> None:  # type: ignore[no-untyped-def]
    first = all_rows()
    call_command("seed_demo", "--password", "demo-pw-1", stdout=io.StringIO())
    assert all_rows() == first


def test_seed_demo_sends_no_mail(seeded, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    assert mailoutbox == []


def test_seed_demo_refuses_to_run_without_debug_unless_forced(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert Label.objects.exists()


@pytest.mark.parametrize("username", ["applicant1", "auditor1", "officer1"])
def test_every_page_a_demo_account_can_reach_opens(seeded, client, username) -> None:  # type: ignore[no-untyped-def]
    """Follow every link from the dashboard, two clicks deep: nothing is broken in any state."""
    client.force_login(User.objects.get(username=username))
    seen, frontier = set(), ["/dashboard/"]
    for _depth in range(3):
        found = []
        for path in frontier:
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            assert response.status_code == 200, path
            if response["Content-Type"].startswith("text/html"):
                found += re.findall(r'href="(/(?!api/|admin/|static/|i18n/)[^"#]*)"', response.content.decode())
        frontier = [html.unescape(path) for path in found]
    assert len(seen) > 10


def test_every_demo_label_has_the_share_its_recorded_hours_give(seeded) -> None:  # type: ignore[no-untyped-def]
    labels = list(Label.objects.select_related("application__audit", "scheme"))
    assert len(labels) >= 4
    for label in labels:
        assert ProductionStep.objects.filter(assessment__audit=label.application.audit).exists()
        assert label.social_share == measured_share(label.application.audit)
        assert label.level == label.scheme.level_for(label.social_share)


def test_the_demo_surveillance_reported_has_its_share_from_recorded_hours(seeded) -> None:  # type: ignore[no-untyped-def]
    reported = Surveillance.objects.select_related("label__product").get(state=SurveillanceState.REPORTED)
    assert reported.label.product.name == "Biologische confituur"
    assert ProductionStep.objects.filter(surveillance_assessment__surveillance=reported).exists()
    assert reported.measured_social_share == measured_share(reported) is not None


def test_seed_demo_has_a_label_in_its_renewal_window(seeded) -> None:  # type: ignore[no-untyped-def]
    from certification.services.renewals import renewal_refusal

    renewable = [label.product.name for label in Label.objects.all() if renewal_refusal(label) is None]
    assert renewable == ["Houten tuinbanken"]
