"""The statistics' tallies of labels (LabelTally), kept in step with the labels in the same
transaction: whatever changes what a label is counted by (its own save; its product's
category; its enterprise's recognition type or postal code) takes away what the labels it
touches counted before and adds what they count after, both read from the database by one
aggregate query. A figure then sums a few thousand tallies instead of counting a million
labels; the public status is derived when it is read, from the stored status and the dates.

A write that goes around the models (a bulk load with COPY, a queryset update of labels) must
be followed by `rebuild_tallies()` (`manage.py rebuild_tallies`).

Decisions are tallied alike (DecisionTally): how many took each time, to a tenth of a day,
from the submission and from the audit report, so the median is read from a few hundred rows."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, CharField, Count, F, QuerySet, Value, When

from certification.models import Application, ApplicationState, DecisionTally, Label, LabelTally

SHARE_BANDS = [(0, 25), (25, 50), (50, 75), (75, 101)]


def share_band(low: int, high: int) -> str:
    return f"{low}-{min(high, 100)}"


def share_band_expression() -> Case:
    return Case(
        *(
            When(social_share__gte=Decimal(low), social_share__lt=Decimal(high), then=Value(share_band(low, high)))
            for low, high in SHARE_BANDS
        ),
        output_field=CharField(),
    )


# dimension -> what a label is counted by in it
DIMENSIONS = {
    "level": F("level"),
    "category": F("product__category__code"),
    "recognition_type": F("product__enterprise__recognition_type"),
    "province": F("product__enterprise__province"),
    "share": share_band_expression(),
}
Key = tuple[str, str, str, datetime.date, datetime.date]  # dimension, key, status, issued_on, valid_until


def counted(labels: QuerySet[Label]) -> Counter[Key]:
    """What these labels count for in every dimension, as the database holds them now."""
    columns = [f"d_{name}" for name in DIMENSIONS]
    rows = (
        labels.order_by()
        .annotate(**{f"d_{name}": expression for name, expression in DIMENSIONS.items()})
        .values_list(*columns, "status", "issued_on", "valid_until")
        .annotate(n=Count("pk"))
    )
    tallies: Counter[Key] = Counter()
    for *keys, status, issued_on, valid_until, n in rows:
        for name, key in zip(DIMENSIONS, keys, strict=True):
            tallies[(name, str(key), status, issued_on, valid_until)] += n
    return tallies


def apply_change(before: Counter[Key], after: Counter[Key]) -> None:
    """Add what `after` counts and take away what `before` counted, in one order (so that two
    transactions changing the same tallies wait for each other instead of deadlocking)."""
    change = after.copy()
    change.subtract(before)
    with transaction.atomic():
        for (dimension, key, status, issued_on, valid_until), n in sorted(change.items(), key=str):
            if n == 0:
                continue
            tally, _created = LabelTally.objects.get_or_create(
                dimension=dimension, key=key, status=status, issued_on=issued_on, valid_until=valid_until
            )
            LabelTally.objects.filter(pk=tally.pk).update(labels=F("labels") + n)


# measure -> where it starts (it ends with the decision)
MEASURES = {"submission_to_decision": "submitted_at", "audit_to_decision": "audit__reported_at"}
DECIDED = [ApplicationState.APPROVED, ApplicationState.REJECTED]
TENTH_OF_A_DAY = 8640  # seconds


def decisions_counted(applications: QuerySet[Application]) -> Counter[tuple[str, int]]:
    """How long each of these applications' decisions took, per measure, to a tenth of a day."""
    decided = applications.filter(state__in=DECIDED, decided_at__isnull=False)
    tallies: Counter[tuple[str, int]] = Counter()
    for decided_at, *starts in decided.values_list("decided_at", *MEASURES.values()).iterator(chunk_size=10000):
        for measure, start in zip(MEASURES, starts, strict=True):
            if start is not None:
                tallies[(measure, round((decided_at - start).total_seconds() / TENTH_OF_A_DAY))] += 1
    return tallies


def apply_decisions_change(before: Counter[tuple[str, int]], after: Counter[tuple[str, int]]) -> None:
    change = after.copy()
    change.subtract(before)
    with transaction.atomic():
        for (measure, tenths), n in sorted(change.items()):
            if n == 0:
                continue
            tally, _created = DecisionTally.objects.get_or_create(measure=measure, tenths=tenths)
            DecisionTally.objects.filter(pk=tally.pk).update(decisions=F("decisions") + n)


def rebuild_tallies() -> tuple[int, int]:
    """Count every label and decision again (after a write that went around the models): how
    many label and decision tallies."""
    with transaction.atomic():
        LabelTally.objects.all().delete()
        DecisionTally.objects.all().delete()
        labels = counted(Label.objects.all())
        LabelTally.objects.bulk_create(
            (
                LabelTally(dimension=d, key=k, status=s, issued_on=i, valid_until=v, labels=n)
                for (d, k, s, i, v), n in labels.items()
            ),
            batch_size=5000,
        )
        decisions = decisions_counted(Application.objects.all())
        DecisionTally.objects.bulk_create(
            (DecisionTally(measure=m, tenths=t, decisions=n) for (m, t), n in decisions.items()), batch_size=5000
        )
    return len(labels), len(decisions)
