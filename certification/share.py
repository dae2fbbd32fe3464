"""The published method that measures a product's social-economy share from hours worked.

One pure function: the audit page (and its script, static/web/share.js, which applies the
same formula as the auditor types), the report, the decision and the published scheme all
use it. Nothing else sets a share.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

HUNDREDTH = Decimal("0.01")

SHARE_FORMULA = _(
    "share = 100 × (target-group hours + hours subcontracted to recognised social-economy enterprises)"  # noqa: RUF001
    " ÷ (all hours worked + all hours subcontracted), summed over every production step,"
    " rounded half up to two decimals"
)


@dataclass(frozen=True)
class StepHours:
    """The hours of one production step over the reference period."""

    name: str
    target_group_hours: Decimal
    all_hours: Decimal  # every hour worked on the step by the enterprise's own staff
    subcontracted_hours: Decimal = Decimal(0)
    subcontractor_recognised: bool = False

    @property
    def counted_hours(self) -> Decimal:
        """The hours that count as social-economy work."""
        recognised = self.subcontracted_hours if self.subcontractor_recognised else Decimal(0)
        return self.target_group_hours + recognised

    @property
    def total_hours(self) -> Decimal:
        return self.all_hours + self.subcontracted_hours


def social_share(steps: Sequence[StepHours]) -> Decimal | None:
    """The share in percent, two decimals, rounded half up; None when no hour is recorded."""
    total = sum((step.total_hours for step in steps), Decimal(0))
    if total <= 0:
        return None
    counted = sum((step.counted_hours for step in steps), Decimal(0))
    return (Decimal(100) * counted / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def reference_period(*, ending: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the `months` months before `ending` (the audit's date)."""
    return ending - relativedelta(months=months), ending - datetime.timedelta(days=1)
