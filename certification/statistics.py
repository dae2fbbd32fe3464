"""The figures the ministry and the public ask for (DESIGN §13): one query per figure over the
tallies (certification.tallies) that every write keeps in step, a few thousand rows whatever
the number of labels.

Valid labels are counted as the registry counts them: the public status is derived today from
the tallies' stored status and dates (never left to a job); months come from the same tallies
and the history, medians from the decision tallies.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certification.models import (
    DecisionTally,
    HistoryEvent,
    Label,
    LabelStatus,
    LabelTally,
    ProductCategory,
    RecognitionType,
)
from certification.models.public_status import read_otherwise_within_dates
from certification.provinces import PROVINCES, UNKNOWN
from certification.registry import scheme_periods
from certification.tallies import SHARE_BANDS, counted, share_band


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


Counts = dict[str, dict[str, int]]  # dimension -> value -> labels


def valid_counts() -> Counts:
    """Labels valid today per dimension and value, by the registry's rule: the tallies of active
    labels within their dates (one query over a few thousand rows), less the labels among them
    that read suspended or revoked today for a lapsed recognition or an overdue surveillance
    (counted from the labels themselves, two queries that indexes serve: they are few)."""
    now = timezone.now()
    today = timezone.localdate(now)
    tallies = LabelTally.objects.filter(status=LabelStatus.ACTIVE, valid_until__gte=today, issued_on__lte=today)
    counts: Counts = defaultdict(dict)
    for dimension, key, n in tallies.order_by().values_list("dimension", "key").annotate(n=Sum("labels")):
        counts[dimension][key] = n
    for condition in read_otherwise_within_dates(schemes=scheme_periods(), now=now):
        for (dimension, key, _status, _issued_on, _valid_until), n in counted(Label.objects.filter(condition)).items():
            counts[dimension][key] -= n
    return counts


def valid_count(counts: Counts | None = None) -> int:
    return sum((counts or valid_counts())["level"].values())


def per_level(valid: Counts) -> Figure:
    counts = valid["level"]
    rows = [
        Row(str(level), str(_("level %(level)s") % {"level": level}), counts.get(str(level), 0)) for level in (1, 2, 3)
    ]
    return Figure("level", _("Valid labels per level"), rows)


def per_category(valid: Counts) -> Figure:
    counts = valid["category"]
    categories = ProductCategory.objects.order_by("code")
    return Figure(
        "category",
        _("Valid labels per product category"),
        [Row(c.code, c.name, counts.get(c.code, 0)) for c in categories],
    )


def per_recognition_type(valid: Counts) -> Figure:
    counts = valid["recognition_type"]
    rows = [Row(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in RecognitionType]
    return Figure("recognition_type", _("Valid labels per recognition type"), rows)


def per_province(valid: Counts) -> Figure:
    counts = valid["province"]
    rows = [Row(code, str(name), counts.get(code, 0)) for code, name, _ranges in PROVINCES]
    return Figure(
        "province", _("Valid labels per province"), [*rows, Row(UNKNOWN, str(_("unknown")), counts.get(UNKNOWN, 0))]
    )


def per_share_band(valid: Counts) -> Figure:
    counts = valid["share"]
    keys = [share_band(low, high) for low, high in SHARE_BANDS]
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
    # Every label is tallied once per dimension: the levels' tallies count each label once.
    levels = LabelTally.objects.filter(dimension="level").order_by()
    issued = _per_month(
        levels.filter(issued_on__gte=since)
        .annotate(month=TruncMonth("issued_on"))
        .values_list("month")
        .annotate(n=Sum("labels"))
    )
    expired = _per_month(
        levels.filter(status=LabelStatus.ACTIVE, valid_until__gte=since, valid_until__lt=today)
        .annotate(month=TruncMonth("valid_until"))
        .values_list("month")
        .annotate(n=Sum("labels"))
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


def median_days(measure: str) -> float | None:
    """The median days a decision took by `measure` (certification.tallies.MEASURES), to a tenth
    of a day, from the decision tallies: None when nothing was decided yet."""
    tallies = list(
        DecisionTally.objects.filter(measure=measure, decisions__gt=0)
        .order_by("tenths")
        .values_list("tenths", "decisions")
    )
    total = sum(n for _tenths, n in tallies)
    if not total:
        return None
    middle, seen = [], 0
    for tenths, n in tallies:
        middle += [tenths for position in {(total - 1) // 2, total // 2} if seen <= position < seen + n]
        seen += n
    return round(sum(middle) / len(middle) / 10, 1)


def performance() -> Figure:
    """How long the certification body takes: submission to decision, audit report to decision."""
    rows = [
        Row(
            "submission_to_decision", str(_("from submission to decision")), median_days("submission_to_decision") or 0
        ),
        Row("audit_to_decision", str(_("from audit report to decision")), median_days("audit_to_decision") or 0),
    ]
    return Figure("days_to_decision", _("Median days to a decision"), rows)


def all_figures(valid: Counts | None = None) -> list[Figure]:
    """Every figure; `valid`: the counts of valid labels when the caller has them already."""
    valid = valid or valid_counts()
    return [
        per_level(valid),
        per_category(valid),
        per_recognition_type(valid),
        per_province(valid),
        per_share_band(valid),
        *over_time(),
        performance(),
    ]
