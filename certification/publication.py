"""A scheme version as it is published (ISO/IEC 17065 4.6): its criteria per category, the method
that measures the share with a worked example, the thresholds, and when it applies."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from certification.models import Criterion, CriterionKind, ProductCategory, Scheme, SchemeStatus
from certification.quality import QUALITY_FORMULA
from certification.share import SHARE_FORMULA, StepHours, social_share


def published_schemes() -> QuerySet[Scheme]:
    """Every version that was ever activated; a draft is not public."""
    return Scheme.objects.exclude(status=SchemeStatus.DRAFT).order_by("name", "-activated_at")


def applies_until(scheme: Scheme) -> datetime.datetime | None:
    """When the next version took over from this one, or None while it is the one in force."""
    if scheme.activated_at is None:
        return None
    return (
        Scheme.objects.filter(name=scheme.name, activated_at__gt=scheme.activated_at)
        .order_by("activated_at")
        .values_list("activated_at", flat=True)
        .first()
    )


def example_steps() -> list[StepHours]:
    """The worked example of the share: one step in house, two subcontracted."""
    return [
        StepHours(_("Sawing and sanding"), Decimal(600), Decimal(800)),
        StepHours(_("Packing, by a recognised social-economy enterprise"), Decimal(0), Decimal(0), Decimal(200), True),
        StepHours(_("Transport, by a commercial carrier"), Decimal(0), Decimal(0), Decimal(100), False),
    ]


def worked_example(scheme: Scheme) -> dict[str, Any]:
    steps = example_steps()
    share = social_share(steps)
    assert share is not None
    return {
        "steps": [
            {
                "name": step.name,
                "target_group_hours": step.target_group_hours,
                "all_hours": step.all_hours,
                "subcontracted_hours": step.subcontracted_hours,
                "subcontractor_recognised": step.subcontractor_recognised,
                "counted_hours": step.counted_hours,
                "total_hours": step.total_hours,
            }
            for step in steps
        ],
        "counted_hours": sum(step.counted_hours for step in steps),
        "total_hours": sum(step.total_hours for step in steps),
        "share": share,
        "level": scheme.level_for(share),
    }


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "title": criterion.title,
        "guidance": criterion.guidance,
        "kind": criterion.kind,
        "kind_display": criterion.get_kind_display(),
        "mandatory": criterion.mandatory,
        "weight": criterion.weight,
        "pass_mark": criterion.pass_mark if criterion.kind == CriterionKind.SCORE_0_4 else None,
        "product_quality": criterion.product_quality,
    }


def criteria_per_category(scheme: Scheme) -> list[dict[str, Any]]:
    criteria = list(scheme.criteria.prefetch_related("categories").order_by("position", "code"))
    published = []
    for category in ProductCategory.objects.order_by("code"):
        applicable = [c for c in criteria if not c.categories.all() or category in c.categories.all()]
        published.append(
            {"code": category.code, "name": category.name, "criteria": [_criterion(c) for c in applicable]}
        )
    return published


def scheme_publication(scheme: Scheme) -> dict[str, Any]:
    """Everything the public may read of a scheme version."""
    return {
        "name": scheme.name,
        "version": scheme.version,
        "title": str(scheme),
        "status": scheme.status,
        "applies_from": scheme.activated_at,
        "applies_until": applies_until(scheme),
        "validity_months": scheme.validity_months,
        "surveillance_months": scheme.surveillance_months,
        "reference_period_months": scheme.reference_period_months,
        "levels": [
            {"level": 1, "min_share": scheme.level_1_min_share},
            {"level": 2, "min_share": scheme.level_2_min_share},
            {"level": 3, "min_share": scheme.level_3_min_share},
        ],
        "max_share_gap": scheme.max_share_gap,
        "min_quality_score": scheme.min_quality_score,
        "share_formula": str(SHARE_FORMULA),
        "quality_formula": str(QUALITY_FORMULA),
        "worked_example": worked_example(scheme),
        "categories": criteria_per_category(scheme),
    }
