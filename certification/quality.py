"""The weighted quality score of an audit: how far the applicable criteria are met, weighted.

Pure: the decision and the published scheme use the same function.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

QUALITY_FORMULA = _(
    "quality score = 100 × Σ (weight × attainment) ÷ Σ weight, over the applicable criteria except the share;"  # noqa: RUF001
    " attainment is 1 for a yes/no criterion passed and 0 if failed, the score ÷ 4 for a score criterion,"
    " the percentage ÷ 100 for a percentage criterion; not applicable criteria are left out"
)


@dataclass(frozen=True)
class Judgement:
    """One assessed criterion, as the quality score sees it."""

    weight: int
    attainment: Decimal  # from 0 to 1


def quality_score(judgements: Sequence[Judgement]) -> Decimal | None:
    """The weighted score in percent, two decimals, half up; None when nothing counts."""
    total = sum(judgement.weight for judgement in judgements)
    if total <= 0:
        return None
    attained = sum((judgement.weight * judgement.attainment for judgement in judgements), Decimal(0))
    return (Decimal(100) * attained / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
