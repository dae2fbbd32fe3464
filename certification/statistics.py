"""The figures the ministry and the public ask for (DESIGN §13): one aggregate query per
figure, whatever the number of labels.

Valid labels are counted as the registry counts them (public status derived today); months
and medians come from the records (issue dates, the history, decision times).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, DurationField, ExpressionWrapper, F, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Application,
    ApplicationState,
    HistoryEvent,
    Label,
    LabelStatus,
    ProductCategory,
    PublicStatus,
    RecognitionType,
)
from certification.provinces import PROVINCES, UNKNOWN
from certification.registry import with_public_status

SHARE_BANDS = [(0, 25), (25, 50), (50, 75), (75, 101)]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: float | int


@dataclass(frozen=True)
class Figure:
    code: str
    title: Promise
    rows: list[Row]


def valid_labels() -> QuerySet[Label]:
    return with_public_status(Label.objects.all(), PublicStatus.VALID)


def _counts(labels: QuerySet[Label], field: str) -> dict[str, int]:
    return {str(key): n for key, n in labels.order_by().values_list(field).annotate(n=Count("pk"))}


def per_level() -> Figure:
    counts = _counts(valid_labels(), "level")
    rows = [
        Row(str(level), str(_("level %(level)s") % {"level": level}), counts.get(str(level), 0)) for level in (1, 2, 3)
    ]
    return Figure("level", _("Valid labels per level"), rows)


def per_category() -> Figure:
    counts = _counts(valid_labels(), "product__category__code")
    categories = ProductCategory.objects.order_by("code")
    return Figure(
        "category",
        _("Valid labels per product category"),
        [Row(c.code, c.name, counts.get(c.code, 0)) for c in categories],
    )


def per_recognition_type() -> Figure:
    counts = _counts(valid_labels(), "product__enterprise__recognition_type")
    rows = [Row(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in RecognitionType]
    return Figure("recognition_type", _("Valid labels per recognition type"), rows)


def per_province() -> Figure:
    counts = _counts(valid_labels(), "product__enterprise__province")
    rows = [Row(code, str(name), counts.get(code, 0)) for code, name, _ranges in PROVINCES]
    return Figure(
        "province", _("Valid labels per province"), [*rows, Row(UNKNOWN, str(_("unknown")), counts.get(UNKNOWN, 0))]
    )


def per_share_band() -> Figure:
    bands = Case(
        *(
            When(social_share__gte=Decimal(low), social_share__lt=Decimal(high), then=Value(f"{low}-{min(high, 100)}"))
            for low, high in SHARE_BANDS
        ),
        output_field=CharField(),
    )
    counts = _counts(valid_labels().annotate(band=bands), "band")
    keys = [f"{low}-{min(high, 100)}" for low, high in SHARE_BANDS]
    return Figure(
        "share",
        _("Valid labels per social-economy share (%)"),
        [Row(key, f"{key} %", counts.get(key, 0)) for key in keys],
    )


def _months(count: int, today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _n in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _per_month(dates: Iterable[tuple[datetime.date | datetime.datetime, int]]) -> dict[datetime.date, int]:
    return {(d.date() if isinstance(d, datetime.datetime) else d).replace(day=1): n for d, n in dates}


def over_time(months: int = 12) -> list[Figure]:
    """Labels issued, suspended, revoked and expired per month, over the last `months` months."""
    today = timezone.localdate()
    window = _months(months, today)
    since = window[0]
    issued = _per_month(
        Label.objects.filter(issued_on__gte=since)
        .annotate(month=TruncMonth("issued_on"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    expired = _per_month(
        Label.objects.filter(status=LabelStatus.ACTIVE, valid_until__gte=since, valid_until__lt=today)
        .annotate(month=TruncMonth("valid_until"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    figures = []
    for code, title, counts in (
        ("issued", _("Labels issued per month"), issued),
        ("suspended", _("Labels suspended per month"), _changes("label.suspended", since)),
        ("revoked", _("Labels revoked per month"), _changes("label.revoked", since)),
        ("expired", _("Labels expired per month"), expired),
    ):
        figures.append(
            Figure(code, title, [Row(m.strftime("%Y-%m"), m.strftime("%Y-%m"), counts.get(m, 0)) for m in window])
        )
    return figures


def _changes(action: str, since: datetime.date) -> dict[datetime.date, int]:
    events = HistoryEvent.objects.filter(action=action, created_at__date__gte=since)
    tz = timezone.get_current_timezone()
    return _per_month(
        events.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )


def median_days(applications: QuerySet[Application], start: str) -> float | None:
    """The median number of days from `start` to the decision, over decided applications."""
    duration = ExpressionWrapper(F("decided_at") - F(start), output_field=DurationField())
    decided = applications.filter(decided_at__isnull=False, **{f"{start}__isnull": False}).annotate(duration=duration)
    total = decided.count()
    if not total:
        return None
    ordered = decided.order_by("duration").values_list("duration", flat=True)
    middle = ordered[(total - 1) // 2 : total // 2 + 1]
    values = [d.total_seconds() / 86400 for d in middle]
    return round(sum(values) / len(values), 1)


def performance() -> Figure:
    """How long the certification body takes: submission to decision, audit report to decision."""
    decided = Application.objects.filter(state__in=[ApplicationState.APPROVED, ApplicationState.REJECTED])
    rows = [
        Row("submission_to_decision", str(_("from submission to decision")), median_days(decided, "submitted_at") or 0),
        Row(
            "audit_to_decision",
            str(_("from audit report to decision")),
            median_days(decided, "audit__reported_at") or 0,
        ),
    ]
    return Figure("days_to_decision", _("Median days to a decision"), rows)


def all_figures() -> list[Figure]:
    return [
        per_level(),
        per_category(),
        per_recognition_type(),
        per_province(),
        per_share_band(),
        *over_time(),
        performance(),
    ]
