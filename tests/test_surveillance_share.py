"""The share at surveillance: measured from hours per production step by the same rules and formula
as at the first audit, the only thing that can change the label's level; a typed share is refused
or ignored everywhere.

alice's enterprise holds the label (issued at 80 %, level 3); carol audits; olivia decides."""

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audits.models import ProductionStep
from audits.services.share import StepRecord
from audits.services.surveillance import (
    continue_certification,
    record_surveillance_assessment,
    report_surveillance,
)
from audits.surveillance import Surveillance, SurveillanceAssessment, SurveillanceState
from certification.exceptions import RequirementsNotMet
from certification.models import HistoryEvent, Label
from tests.surveillance_world import build_surveillance

V = SurveillanceState
WERKPLAATS_BOB = {
    "subcontractor_name": "Werkplaats Bob",
    "subcontractor_enterprise_number": "0203.201.340",
    "subcontractor_recognised": True,
}


@pytest.fixture(autouse=True)
def _recognised_for_years(enterprise) -> None:  # type: ignore[no-untyped-def]
    type(enterprise).objects.filter(pk=enterprise.pk).update(
        recognition_valid_until=timezone.localdate() + relativedelta(years=10)
    )


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


@pytest.fixture
def in_progress(label, carol) -> Surveillance:  # type: ignore[no-untyped-def]
    """Under way, every criterion recorded, the share at 80 % from 80 of 100 hours."""
    return build_surveillance(V.IN_PROGRESS, label=label, auditor=carol)


def record_share(surveillance: Surveillance, carol, *steps: StepRecord, **kwargs):  # type: ignore[no-untyped-def]
    return record_surveillance_assessment(
        surveillance=surveillance, criterion_code="C2", by=carol, steps=list(steps), **kwargs
    )


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def page(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# The level at "continue" follows the computed share, at every threshold and rounding edge ----


@pytest.mark.parametrize(
    ("target_group_hours", "share", "level"),
    [
        ("24994", "24.99", None),
        ("24995", "25.00", 1),  # half a hundredth rounds up
        ("49994", "49.99", 1),
        ("49995", "50.00", 2),
        ("74994", "74.99", 2),
        ("74995", "75.00", 3),
        ("100000", "100.00", 3),
    ],
)
def test_the_level_at_continue_follows_the_computed_share(  # type: ignore[no-untyped-def]
    in_progress, carol, olivia, label, target_group_hours, share, level
) -> None:
    assessment = record_share(
        in_progress,
        carol,
        StepRecord("Assemblage", Decimal(target_group_hours), Decimal(100000)),
        comment="Minder doelgroepwerknemers in de afwerking.",  # explains a drop beyond the scheme's limit
    )
    assert (assessment.value, assessment.result) == (Decimal(share), "pass" if level else "fail")
    report_surveillance(surveillance=in_progress, by=carol, summary="In orde.")
    assert Surveillance.objects.get(pk=in_progress.pk).measured_social_share == Decimal(share)
    if level is None:
        with pytest.raises(RequirementsNotMet) as refusal:
            continue_certification(surveillance=in_progress, by=olivia)
        assert "below the lowest level" in " ".join(refusal.value.unmet)
        assert (Label.objects.get(pk=label.pk).level, Label.objects.get(pk=label.pk).social_share) == (3, Decimal(80))
        return
    continue_certification(surveillance=in_progress, by=olivia)
    label = Label.objects.get(pk=label.pk)
    assert (label.level, label.social_share) == (level, Decimal(share))
    assert HistoryEvent.objects.filter(action="label.level_changed", target_id=label.pk).exists()


def test_a_recognised_subcontractor_counts_at_surveillance_as_at_the_audit(in_progress, carol, olivia, label) -> None:  # type: ignore[no-untyped-def]
    record_share(
        in_progress,
        carol,
        StepRecord("Zagen", Decimal(500), Decimal(800)),
        StepRecord("Verpakken", Decimal(0), Decimal(0), Decimal(200), **WERKPLAATS_BOB),
    )
    step = ProductionStep.objects.get(name="Verpakken")
    assert (step.surveillance_assessment.surveillance_id, step.assessment_id) == (in_progress.pk, None)
    assert step.subcontractor_enterprise_number == "0203201340"
    report_surveillance(surveillance=in_progress, by=carol, summary="In orde.")
    continue_certification(surveillance=in_progress, by=olivia)
    assert Label.objects.get(pk=label.pk).social_share == Decimal(70)  # (500 + 200) / (800 + 200)


def test_a_production_step_belongs_to_exactly_one_assessment(in_progress, label) -> None:  # type: ignore[no-untyped-def]
    at_audit = label.application.audit.assessments.get(criterion__code="C2")
    at_surveillance = in_progress.assessments.get(criterion__code="C2")
    for owners in ({}, {"assessment": at_audit, "surveillance_assessment": at_surveillance}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProductionStep.objects.create(
                position=9, name="Zagen", target_group_hours=1, all_hours=2, subcontractor_recognised=False, **owners
            )


# The same checks and sentences as at the first audit ----------------------------------------


@pytest.mark.parametrize(
    ("step", "says"),
    [
        (StepRecord("Zagen", Decimal(120), Decimal(100)), "Zagen: the target-group hours cannot exceed all hours"),
        (StepRecord("", Decimal(1), Decimal(2)), "Step 1: name the production step."),
        (StepRecord("Zagen", None, Decimal(2)), "Zagen: give the target-group hours."),
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
                **{**WERKPLAATS_BOB, "subcontractor_enterprise_number": "0203.201.341"},
            ),
            "Verpakken: subcontracted hours count only with the subcontractor's valid enterprise number.",
        ),
    ],
)
def test_hours_that_do_not_add_up_are_refused(in_progress, carol, step, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match=says):
        record_share(in_progress, carol, step)
    assert ProductionStep.objects.get(surveillance_assessment__surveillance=in_progress).all_hours == Decimal(100)


def test_a_score_checked_at_surveillance_follows_its_pass_mark(in_progress, carol, label) -> None:  # type: ignore[no-untyped-def]
    label.scheme.criteria.filter(code="C3").update(checked_at_surveillance=True)
    assessment = record_surveillance_assessment(
        surveillance=in_progress, criterion_code="C3", by=carol, value=Decimal(1)
    )
    assert assessment.result == "fail"


# The report is refused while C2 lacks its hours ---------------------------------------------


def test_the_report_is_refused_while_the_share_lacks_its_hours(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    SurveillanceAssessment.objects.filter(surveillance=in_progress, criterion__code="C2").delete()
    with pytest.raises(RequirementsNotMet) as refusal:
        report_surveillance(surveillance=in_progress, by=carol, summary="In orde.")
    assert refusal.value.unmet == [
        "Assess every criterion checked at surveillance; not yet assessed: C2.",
        "C2 lacks the hours per production step from which the share is computed: record them.",
    ]
    fresh = Surveillance.objects.get(pk=in_progress.pk)
    assert (fresh.state, fresh.measured_social_share) == (V.IN_PROGRESS, None)


def test_the_page_and_the_api_say_why_the_report_is_refused(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    SurveillanceAssessment.objects.filter(surveillance=in_progress, criterion__code="C2").delete()
    sentence = "C2 lacks the hours per production step from which the share is computed: record them."
    response = page(carol).post(f"/surveillance/{in_progress.pk}/report/", {"summary": "In orde."})
    assert response.status_code == 400
    assert sentence in response.content.decode()
    answer = api(carol).post(
        f"/api/v1/surveillances/{in_progress.pk}/transitions/report/", {"summary": "In orde."}, format="json"
    )
    assert answer.status_code == 400
    assert sentence in answer.json()["unmet"]
    assert Surveillance.objects.get(pk=in_progress.pk).state == V.IN_PROGRESS


def test_the_officer_sees_the_label_share_and_the_measured_one_side_by_side(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    reported = build_surveillance(V.REPORTED, label=label, auditor=carol, share="55")
    reported.assessments.filter(criterion__code="C2").update(comment="Minder doelgroepwerknemers.")
    html = page(olivia).get(f"/surveillance/{reported.pk}/continue_certification/").content.decode()
    assert '<td class="share-certified">80.00 % (level 3)</td>' in html
    assert '<td class="share-measured">55.00 %</td>' in html
    assert "more than the 10 points the scheme allows" in html
    assert "Minder doelgroepwerknemers." in html
    assert "target-group hours" in html


# A drop below the label's share beyond the scheme's limit must be explained ------------------


@pytest.mark.parametrize(("target_group_hours", "refused"), [("70000", False), ("69994", True)])
def test_a_drop_beyond_the_scheme_limit_needs_an_explanation_on_the_share(  # type: ignore[no-untyped-def]
    in_progress, carol, target_group_hours, refused
) -> None:
    step = StepRecord("Assemblage", Decimal(target_group_hours), Decimal(100000))
    record_share(in_progress, carol, step)
    if refused:
        with pytest.raises(RequirementsNotMet) as refusal:
            report_surveillance(surveillance=in_progress, by=carol, summary="In orde.")
        assert refusal.value.unmet == [
            "The measured share (69.99 %) is 10.01 points below the label's share (80.00 %), more than the scheme"
            " allows (10.00): explain the difference in the comment on C2."
        ]
        record_share(in_progress, carol, step, comment="Seizoenspiek met uitzendkrachten.")
    report_surveillance(surveillance=in_progress, by=carol, summary="In orde.")
    assert Surveillance.objects.get(pk=in_progress.pk).state == V.REPORTED


# A typed share, anywhere -------------------------------------------------------------------


def test_a_typed_share_is_refused_by_the_service(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="computed from the hours per production step; it cannot be typed"):
        record_share(in_progress, carol, StepRecord("Zagen", Decimal(10), Decimal(100)), value=Decimal(90))
    with pytest.raises(TypeError):
        report_surveillance(surveillance=in_progress, by=carol, summary="In orde.", measured_social_share=Decimal(99))  # type: ignore[call-arg]
    assert Surveillance.objects.get(pk=in_progress.pk).state == V.IN_PROGRESS


def test_the_api_refuses_a_typed_share_and_shows_the_formula(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/surveillances/{in_progress.pk}/"
    answer = api(carol).put(f"{url}assessments/C2/", {"result": "pass", "value": "90"}, format="json")
    assert answer.status_code == 400
    assert any("cannot be typed" in sentence for sentence in answer.json()["unmet"])
    answer = api(carol).put(
        f"{url}assessments/C2/",
        {"steps": [{"name": "Zagen", "target_group_hours": "45", "all_hours": "60"}]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["value"], answer.json()["result"]) == ("75.00", "pass")
    answer = api(carol).post(
        f"{url}transitions/report/", {"summary": "In orde.", "measured_social_share": "99"}, format="json"
    )
    assert answer.status_code == 400
    assert "Unknown fields: measured_social_share." in answer.json()["detail"]
    assert Surveillance.objects.get(pk=in_progress.pk).state == V.IN_PROGRESS
    share = api(carol).get(url).json()["share"]
    assert (share["share"], share["level"], share["label_share"], share["gap"]) == ("75.00", 3, "80.00", "5.00")
    assert "target-group hours" in share["formula"]


def test_the_page_takes_hours_per_step_and_ignores_a_typed_share(in_progress, carol) -> None:  # type: ignore[no-untyped-def]
    client = page(carol)
    url = f"/surveillance/{in_progress.pk}/"
    response = client.post(
        f"{url}criteria/C2/",
        {
            "C2-value": "99",  # not a field of the share: ignored
            "C2-step-0-name": "Zagen",
            "C2-step-0-target_group_hours": "30",
            "C2-step-0-all_hours": "60",
            "C2-step-1-name": "Verpakken",
            "C2-step-1-target_group_hours": "0",
            "C2-step-1-all_hours": "0",
            "C2-step-1-subcontracted_hours": "40",
            "C2-step-1-subcontractor_name": "Werkplaats Bob",
            "C2-step-1-subcontractor_enterprise_number": "0203201340",
            "C2-step-1-subcontractor_recognised": "on",
            "C2-comment": "Afwerking uitbesteed aan een maatwerkbedrijf.",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    html = client.get(url).content.decode()
    assert '<output class="share-value">70.00 %</output>' in html
    assert 'data-none="none">2</output>' in html
    assert "Share on the label: 80 %" in html
    assert "target-group hours" in html
    assert 'name="measured_social_share"' not in client.get(f"{url}report/").content.decode()
    response = client.post(f"{url}report/", {"summary": "In orde.", "measured_social_share": "99"})
    assert response.status_code == 302
    assert Surveillance.objects.get(pk=in_progress.pk).measured_social_share == Decimal(70)


def test_the_admin_cannot_change_the_measured_share(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    reported = build_surveillance(V.REPORTED, label=label, auditor=carol, share="55")
    client = page(olivia)
    url = reverse("admin:audits_surveillance_change", args=[reported.pk])
    html = client.get(url).content.decode()
    assert "55.00" in html
    assert 'name="measured_social_share"' not in html
    client.post(url, {"measured_social_share": "99", "summary": "Anders."})
    assert Surveillance.objects.get(pk=reported.pk).measured_social_share == Decimal(55)
    steps = reverse(
        "admin:audits_surveillanceassessment_change", args=[reported.assessments.get(criterion__code="C2").pk]
    )
    assert "Assemblage" in client.get(steps).content.decode()


# Surveillances reported before the share was measured from hours -----------------------------


def test_a_share_typed_before_hours_were_recorded_does_not_change_the_level(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    reported = build_surveillance(V.REPORTED, label=label, auditor=carol, share="30")
    SurveillanceAssessment.objects.filter(surveillance=reported, criterion__code="C2").delete()  # typed, no hours
    continue_certification(surveillance=reported, by=olivia)
    label = Label.objects.get(pk=label.pk)
    assert (label.level, label.social_share) == (3, Decimal(80))
    assert Surveillance.objects.get(pk=reported.pk).measured_social_share == Decimal(30)  # kept as reported
    assert not HistoryEvent.objects.filter(action="label.level_changed").exists()
