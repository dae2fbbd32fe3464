"""The social-economy share: measured from hours per production step by one published formula,
the only thing that decides the level; a share typed anywhere is refused or ignored.

alice applies for Atelier Alice; carol audits; olivia decides."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audits.models import Audit, ProductionStep
from audits.services.assessments import add_finding, record_assessment
from audits.services.audits import submit_report
from audits.services.decisions import approve_application
from audits.services.share import StepRecord
from certification.exceptions import RequirementsNotMet
from certification.models import Application, ApplicationState, HistoryEvent, Scheme, SchemeStatus
from certification.services.schemes import activate_scheme, copy_scheme
from certification.share import StepHours, social_share
from tests.workflow import Actors, build_application

S = ApplicationState


def hours(target_group: str, worked: str, subcontracted: str = "0", recognised: bool = False) -> StepHours:
    return StepHours("Stap", Decimal(target_group), Decimal(worked), Decimal(subcontracted), recognised)


@pytest.fixture
def in_progress(alice, carol, olivia, enterprise, scheme) -> Application:  # type: ignore[no-untyped-def]
    return build_application(
        S.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


def record_share(application: Application, carol, *steps: StepRecord, **kwargs):  # type: ignore[no-untyped-def]
    return record_assessment(audit=application.audit, criterion_code="C2", by=carol, steps=list(steps), **kwargs)


# The formula ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "share"),
    [
        ([hours("1", "3")], "33.33"),
        ([hours("2", "3")], "66.67"),
        ([hours("1", "8")], "12.50"),
        ([hours("24994", "100000")], "24.99"),
        ([hours("24995", "100000")], "25.00"),  # half a hundredth rounds up
        ([hours("0", "0", "10", recognised=True)], "100.00"),
        ([hours("50", "100", "100", recognised=True)], "75.00"),  # a recognised subcontractor counts
        ([hours("50", "100", "100", recognised=False)], "25.00"),  # any other only in the total
        ([hours("30", "40"), hours("10", "60")], "40.00"),  # summed over the steps, not averaged
    ],
)
def test_the_share_is_target_group_and_recognised_hours_over_all_hours(steps, share) -> None:  # type: ignore[no-untyped-def]
    assert social_share(steps) == Decimal(share)


def test_no_hour_gives_no_share() -> None:
    assert social_share([]) is None
    assert social_share([hours("0", "0")]) is None


# The level at every threshold and rounding edge, through the services ---------------------


@pytest.mark.parametrize(
    ("target_group_hours", "share", "level"),
    [
        ("0", "0.00", None),
        ("24994", "24.99", None),
        ("24995", "25.00", 1),
        ("49994", "49.99", 1),
        ("49995", "50.00", 2),
        ("74994", "74.99", 2),
        ("74995", "75.00", 3),
        ("100000", "100.00", 3),
    ],
)
def test_the_level_follows_the_computed_share(in_progress, carol, olivia, target_group_hours, share, level) -> None:  # type: ignore[no-untyped-def]
    Application.objects.filter(pk=in_progress.pk).update(declared_social_share=Decimal(share))
    assessment = record_share(
        in_progress, carol, StepRecord("Assemblage", Decimal(target_group_hours), Decimal(100000))
    )
    assert (assessment.value, assessment.result) == (Decimal(share), "pass" if level else "fail")
    submit_report(application=in_progress, by=carol, summary="In orde.")
    assert Audit.objects.get(pk=in_progress.audit.pk).measured_social_share == Decimal(share)
    if level is None:
        with pytest.raises(RequirementsNotMet, match="below the lowest level"):
            approve_application(application=in_progress, by=olivia)
        return
    label = approve_application(application=in_progress, by=olivia)
    assert (label.level, label.social_share) == (level, Decimal(share))


def test_recording_the_hours_keeps_them_and_their_history(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    record_share(
        in_progress,
        carol,
        StepRecord("Zagen", Decimal(600), Decimal(800)),
        StepRecord(
            "Verpakken",
            Decimal(0),
            Decimal(0),
            Decimal(200),
            subcontractor_name="Werkplaats Bob",
            subcontractor_enterprise_number="0203.201.340",
            subcontractor_recognised=True,
        ),
        comment="Loonlijsten gezien.",
    )
    steps = list(ProductionStep.objects.filter(assessment__audit=in_progress.audit).values_list("name", flat=True))
    assert steps == ["Zagen", "Verpakken"]
    assert ProductionStep.objects.get(name="Verpakken").subcontractor_enterprise_number == "0203201340"
    event = HistoryEvent.objects.filter(action="audit.assessment_recorded").latest("pk")
    assert (event.data["value"], [step["name"] for step in event.data["steps"]]) == ("80.00", ["Zagen", "Verpakken"])


@pytest.mark.parametrize(
    ("step", "says"),
    [
        (
            StepRecord("Zagen", Decimal(120), Decimal(100)),
            "Zagen: the target-group hours cannot exceed all hours worked.",
        ),
        (StepRecord("", Decimal(1), Decimal(2)), "Step 1: name the production step."),
        (StepRecord("Zagen", None, Decimal(2)), "Zagen: give the target-group hours."),
        (StepRecord("Zagen", Decimal(-1), Decimal(2)), "Zagen: the target-group hours must be from 0 to"),
        (StepRecord("Zagen", Decimal(0), Decimal(0)), "No hour is recorded"),
        (
            StepRecord("Verpakken", Decimal(0), Decimal(0), Decimal(5), subcontractor_recognised=True),
            "Verpakken: name the recognised subcontractor.",
        ),
        (
            StepRecord(
                "Verpakken",
                Decimal(0),
                Decimal(0),
                Decimal(5),
                subcontractor_name="Bob",
                subcontractor_enterprise_number="0203.201.341",
                subcontractor_recognised=True,
            ),
            "Verpakken: subcontracted hours count only with the subcontractor's valid enterprise number.",
        ),
    ],
)
def test_hours_that_do_not_add_up_are_refused(in_progress, carol, step, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match=says):
        record_share(in_progress, carol, step)
    assert ProductionStep.objects.get(assessment__audit=in_progress.audit).all_hours == Decimal(100)


def test_no_step_at_all_is_refused(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match=r"Record the hours of at least one production step\."):
        record_share(in_progress, carol)


def test_the_result_of_the_share_follows_from_it(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match=r"The result of C2 follows from the share \(10.00 %\): fail."):
        record_share(in_progress, carol, StepRecord("Zagen", Decimal(10), Decimal(100)), result="pass")


def test_a_typed_share_is_refused_by_the_service(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="computed from the hours per production step; it cannot be typed"):
        record_share(in_progress, carol, StepRecord("Zagen", Decimal(10), Decimal(100)), value=Decimal(90))


def test_another_criterion_takes_no_steps(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match=r"Criterion C3 takes no production steps\."):
        record_assessment(
            audit=in_progress.audit,
            criterion_code="C3",
            by=carol,
            result="pass",
            value=Decimal(3),
            steps=[StepRecord("Zagen", Decimal(10), Decimal(100))],
        )


def test_the_report_is_refused_while_the_share_lacks_its_hours(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    ProductionStep.objects.filter(assessment__audit=in_progress.audit).delete()
    with pytest.raises(RequirementsNotMet, match="C2 lacks the hours per production step"):
        submit_report(application=in_progress, by=carol, summary="In orde.")
    assert Application.objects.get(pk=in_progress.pk).state == S.AUDIT_IN_PROGRESS


# A typed share, anywhere -------------------------------------------------------------------


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_api_refuses_a_typed_share_in_the_assessment(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/audits/{in_progress.audit.pk}/assessments/C2/"
    answer = api(carol).put(url, {"result": "pass", "value": "90"}, format="json")
    assert answer.status_code == 400
    assert any("cannot be typed" in sentence for sentence in answer.json()["unmet"])
    answer = api(carol).put(
        url, {"steps": [{"name": "Zagen", "target_group_hours": "45", "all_hours": "60"}]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["value"], answer.json()["result"], answer.json()["steps"][0]["all_hours"]) == (
        "75.00",
        "pass",
        "60.00",
    )
    share = api(carol).get(f"/api/v1/audits/{in_progress.audit.pk}/").json()["share"]
    assert (share["share"], share["level"], share["declared"]) == ("75.00", 3, "80.00")
    assert "target-group hours" in share["formula"]


def test_the_api_refuses_a_typed_share_in_the_report(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    answer = api(carol).post(
        f"/api/v1/applications/{in_progress.pk}/transitions/submit_report/",
        {"summary": "In orde.", "measured_social_share": "99"},
        format="json",
    )
    assert answer.status_code == 400
    assert "Unknown fields: measured_social_share." in answer.json()["detail"]
    assert Application.objects.get(pk=in_progress.pk).state == S.AUDIT_IN_PROGRESS


def test_the_page_ignores_a_typed_share_in_the_report(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(carol)
    response = client.post(
        f"/applications/{in_progress.pk}/submit_report/", {"summary": "In orde.", "measured_social_share": "99"}
    )
    assert response.status_code == 302
    assert Audit.objects.get(pk=in_progress.audit.pk).measured_social_share == Decimal(80)


def test_the_page_takes_hours_per_step_and_shows_the_share(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(carol)
    url = f"/audits/{in_progress.audit.pk}/"
    response = client.post(
        f"{url}criteria/C2/",
        {
            "C2-value": "99",  # not a field of the share: ignored
            "C2-step-0-name": "Zagen",
            "C2-step-0-target_group_hours": "30",
            "C2-step-0-all_hours": "60",
            "C2-step-2-name": "Verpakken",
            "C2-step-2-subcontracted_hours": "40",
            "C2-step-2-subcontractor_name": "Werkplaats Bob",
            "C2-step-2-subcontractor_enterprise_number": "0203201340",
            "C2-step-2-subcontractor_recognised": "on",
            "C2-step-2-target_group_hours": "0",
            "C2-step-2-all_hours": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    html = client.get(url).content.decode()
    assert '<output class="share-value">70.00 %</output>' in html
    assert 'data-none="none">2</output>' in html
    assert "target-group hours" in html


def test_the_admin_cannot_change_the_measured_share(in_progress, olivia) -> None:  # type: ignore[no-untyped-def]
    olivia.is_staff = True
    olivia.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(olivia)
    url = reverse("admin:audits_audit_change", args=[in_progress.audit.pk])
    assert 'name="measured_social_share"' not in client.get(url).content.decode()
    client.post(url, {"measured_social_share": "99", "summary": "Anders."})
    assert Audit.objects.get(pk=in_progress.audit.pk).measured_social_share == Decimal(80)


def test_a_scheme_without_its_share_criterion_is_not_activated(scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    draft = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    draft.criteria.get(code="C2").delete()
    with pytest.raises(RequirementsNotMet, match="exactly one share criterion"):
        activate_scheme(scheme=draft, by=olivia)
    assert Scheme.objects.get(pk=draft.pk).status == SchemeStatus.DRAFT


# Declared versus measured --------------------------------------------------------------------


@pytest.mark.parametrize(("target_group_hours", "refused"), [("70000", False), ("69994", True)])
def test_a_gap_beyond_the_scheme_limit_needs_a_finding_on_the_share(
    in_progress, carol, target_group_hours, refused
) -> None:  # type: ignore[no-untyped-def]
    record_share(in_progress, carol, StepRecord("Assemblage", Decimal(target_group_hours), Decimal(100000)))
    report = lambda: submit_report(application=in_progress, by=carol, summary="In orde.")  # noqa: E731
    if refused:
        with pytest.raises(RequirementsNotMet) as refusal:
            report()
        assert refusal.value.unmet == [
            "The measured share (69.99 %) is 10.01 points below the declared share (80.00 %), more than the scheme"
            " allows (10.00): record a finding on C2 that explains the difference."
        ]
        add_finding(
            audit=in_progress.audit,
            by=carol,
            severity="minor",
            criterion_code="C2",
            description="Seizoenspiek met uitzendkrachten; het aandeel lag vroeger hoger.",
        )
    report()
    assert Application.objects.get(pk=in_progress.pk).state == S.AUDIT_REPORTED


def test_the_officer_sees_declared_and_measured_side_by_side(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    Audit.objects.filter(pk=application.audit.pk).update(measured_social_share=Decimal("62.5"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(olivia)
    html = client.get(f"/applications/{application.pk}/approve/").content.decode()
    assert '<td class="share-declared">80.00 %</td>' in html
    assert '<td class="share-measured">62.50 %</td>' in html
    assert "more than the 10 points the scheme allows" in html
    body = api(olivia).get(f"/api/v1/applications/{application.pk}/").json()
    assert (body["declared_social_share"], body["measured_social_share"]) == ("80.00", "62.50")
