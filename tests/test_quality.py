"""Quality that is controlled: a score passes from its pass mark, approval needs the scheme's
minimum weighted quality score, and every category a mandatory product-quality criterion.

alice applies for Atelier Alice; carol audits; olivia decides."""

from decimal import Decimal

import pytest

from audits.models import Assessment
from audits.services.assessments import record_assessment
from audits.services.decisions import approve_application
from audits.services.quality import audit_quality_score
from certification.exceptions import RequirementsNotMet
from certification.models import ApplicationState, Scheme, SchemeStatus
from certification.quality import Judgement, quality_score
from certification.seed import ensure_seed_scheme
from certification.services.schemes import activate_scheme, activation_unmet, copy_scheme
from tests.workflow import Actors, build_application

S = ApplicationState


@pytest.fixture
def build(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    return lambda state, **kwargs: build_application(
        state, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia), **kwargs
    )


@pytest.mark.parametrize(("score", "result"), [(0, "fail"), (1, "fail"), (2, "pass"), (4, "pass")])
def test_a_score_passes_from_its_pass_mark(build, carol, score, result) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    assessment = record_assessment(audit=application.audit, criterion_code="C3", by=carol, value=Decimal(score))
    assert (assessment.criterion.pass_mark, assessment.result) == (2, result)


def test_a_pass_below_the_pass_mark_is_refused(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS, category="packaging-logistics")
    with pytest.raises(
        RequirementsNotMet, match=r"The result of P1 follows from its score \(a pass from 3 of 4\): fail."
    ):
        record_assessment(audit=application.audit, criterion_code="P1", by=carol, result="pass", value=Decimal(2))
    assert Assessment.objects.get(audit=application.audit, criterion__code="P1").result == "pass"


def test_a_score_that_does_not_apply_has_no_result_to_follow(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    assessment = record_assessment(audit=application.audit, criterion_code="C5", by=carol, result="not_applicable")
    assert assessment.result == "not_applicable"


@pytest.mark.parametrize(
    ("judgements", "score"),
    [
        ([], None),
        ([Judgement(2, Decimal("0.75")), Judgement(1, Decimal(1))], "83.33"),
        ([Judgement(3, Decimal(0)), Judgement(1, Decimal(1))], "25.00"),
    ],
)
def test_the_quality_score_is_weighted(judgements, score) -> None:  # type: ignore[no-untyped-def]
    assert quality_score(judgements) == (None if score is None else Decimal(score))


def test_approval_is_refused_below_the_minimum_quality_score(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    # C1, C6 (weight 1) and A1 (weight 2) pass; C3, C4 (weight 2) and C5 (weight 1) score 0: 4 of 9.
    Assessment.objects.filter(audit=application.audit, criterion__code__in=["C3", "C4", "C5"]).update(
        value=Decimal(0), result="fail"
    )
    assert audit_quality_score(application.audit) == Decimal("44.44")
    with pytest.raises(RequirementsNotMet) as refusal:
        approve_application(application=application, by=olivia)
    assert refusal.value.unmet == ["The weighted quality score (44.44 %) is below the scheme's minimum (60.00 %)."]


def test_approval_at_the_minimum_quality_score_is_given(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    Scheme.objects.filter(pk=application.scheme_id).update(min_quality_score=Decimal("86.11"))
    assert audit_quality_score(application.audit) == Decimal("86.11")  # 7.75 of 9: every score 3 of 4
    assert approve_application(application=application, by=olivia).level == 3


def test_activation_is_refused_while_a_category_lacks_a_product_quality_criterion(scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    draft = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    draft.criteria.filter(code__in=["W1", "A1"]).delete()
    draft.criteria.filter(code="P1").update(mandatory=False)
    with pytest.raises(RequirementsNotMet) as refusal:
        activate_scheme(scheme=draft, by=olivia)
    assert refusal.value.unmet == [
        "Every product category needs a mandatory product-quality criterion; none for: Assembly, "
        "Packaging and logistics, Wood and furniture."
    ]
    assert Scheme.objects.get(pk=draft.pk).status == SchemeStatus.DRAFT


def test_the_demo_scheme_controls_the_quality_of_every_category(db) -> None:  # type: ignore[no-untyped-def]
    assert activation_unmet(ensure_seed_scheme()) == []


def test_a_new_version_keeps_the_categories_of_its_criteria(scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    draft = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    categories = {c.code: sorted(c.categories.values_list("code", flat=True)) for c in draft.criteria.all()}
    assert categories["W1"] == ["wood-furniture"]
    assert categories["F1"] == ["catering", "food"]
    assert categories["C1"] == []
