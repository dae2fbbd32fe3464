"""The weighted quality score of an audit, from its assessments (certification.quality)."""

from decimal import Decimal

from audits.models import Assessment, AssessmentResult, Audit
from certification.models import CriterionKind
from certification.quality import Judgement, quality_score


def attainment(assessment: Assessment) -> Decimal | None:
    """How far one assessed criterion is met, from 0 to 1; None when it does not count."""
    kind = assessment.criterion.kind
    if assessment.result == AssessmentResult.NOT_APPLICABLE or kind == CriterionKind.SOCIAL_SHARE:
        return None
    if kind == CriterionKind.YES_NO or assessment.value is None:
        return Decimal(1) if assessment.result == AssessmentResult.PASS else Decimal(0)
    return assessment.value / (Decimal(4) if kind == CriterionKind.SCORE_0_4 else Decimal(100))


def audit_quality_score(audit: Audit) -> Decimal | None:
    """The weighted quality score of the audit's assessments, in percent."""
    judgements = []
    for assessment in audit.assessments.select_related("criterion"):
        attained = attainment(assessment)
        if attained is not None:
            judgements.append(Judgement(weight=assessment.criterion.weight, attainment=attained))
    return quality_score(judgements)
