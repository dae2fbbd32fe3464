"""Finding and recording the public status changes that time alone made (DerivedStatusChange).

A periodic task looks at the window since its previous run, (scanned_until, now]:
- for each scheme, the labels whose dates put such a change inside the window, found by indexed
  ranges over the same dates the rule compares (certification.models.public_status): the
  surveillance due date (index label_scheme_surveillance_due), the enterprise's last day of
  recognition (indexed), the instant a stored suspension began;
- the labels whose own row or enterprise changed in the window (Label.updated_at and
  Enterprise.updated_at, indexed), whatever their dates: a recognition ended retroactively, a
  label reinstated or issued into a state the rule reads otherwise, a cause remedied.
Labels that nothing touched and whose dates fall outside the window are never read: a run costs
a few queries per scheme plus what the changes it finds need, however many labels there are.

Every candidate is checked against the rule itself (`public_state`) at its instant and just
before, with the stored status the label had then (read back from its history): a change is
recorded only where the rule's answer becomes what the change says, at the instant it did. So a
surveillance done in time, a label revoked or superseded before the instant, or a reason the rule
ranks first, records nothing; and a change is recorded once (the row's unique key) however often
it is found.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from certification.models import DerivedChangeScan, DerivedStatusChange, Enterprise, HistoryEvent, Label, Scheme
from certification.models.derived import STATUS_AFTER
from certification.models.public_status import (
    DUE,
    RECOGNITION_UNTIL,
    LabelStatus,
    Periods,
    PublicStatus,
    StatusFacts,
    StatusReason,
    first_day_outlasting,
    first_instant_outlasting,
    latest_start_outlasting,
    midnight,
    public_state,
    public_status_of,
    read_otherwise_within_dates,
)
from certification.notifications import notify_derived_change

# The history's actions that change a label's stored status.
STATUS_ACTIONS = ("label.suspended", "label.reinstated", "label.revoked", "label.superseded")
ONE_DAY = datetime.timedelta(days=1)
JUST_BEFORE = datetime.timedelta(microseconds=1)
# "M months later" is uneven at month ends: the windows on the suspension's maximum are widened
# by this much, and every instant found is checked exactly.
SLACK = datetime.timedelta(days=4)
# Longer than any transaction that writes a label or an enterprise takes to commit.
SETTLE = datetime.timedelta(minutes=10)
# Where the first run begins: before any label.
BEGINNING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
State = tuple[PublicStatus, str | None]


@dataclass(frozen=True)
class Found:
    label: Label
    reason: StatusReason
    at: datetime.datetime


@dataclass(frozen=True)
class Window:
    """Changes that took effect after `after` up to `until`; days in Brussels time. The first
    run (`first`) looks back to the registry's beginning, at the labels that are still current."""

    after: datetime.datetime
    until: datetime.datetime
    first: bool = False

    @property
    def first_day(self) -> datetime.date:
        """The day of `after`: a change at midnight lies in the window from the next day on."""
        return timezone.localdate(self.after)

    @property
    def last_day(self) -> datetime.date:
        return timezone.localdate(self.until)

    def holds(self, instant: datetime.datetime) -> bool:
        return self.after < instant <= self.until

    @property
    def settled_after(self) -> datetime.datetime:
        """Where the look at rows changed in the window begins: a while before `after`, so that a
        row stamped before the previous run but committed after it is looked at all the same
        (looking twice records nothing twice)."""
        return self.after - SETTLE

    def touches(self, instant: datetime.datetime) -> bool:
        return self.settled_after < instant <= self.until


def _days(field: str, first: datetime.date, last: datetime.date) -> Q:
    return Q(**{f"{field}__gt": first, f"{field}__lte": last})


def scheme_periods() -> list[tuple[int, Periods]]:
    rows = Scheme.objects.values_list("pk", "surveillance_grace_days", "max_suspension_months")
    return [(pk, Periods(grace, longest)) for pk, grace, longest in rows]


def labels_in_window(window: Window, schemes: Iterable[tuple[int, Periods]]) -> set[int]:
    """The labels whose dates may put a change in `window` (indexed ranges; a superset, checked later).
    A change at midnight of day D lies in the window when first_day < D <= last_day."""
    first, last = window.first_day, window.last_day
    # A label whose stored status changed in the window may have been active at the instant;
    # the first run looks only at the labels still current, the others' past being the past.
    current = Q(status=LabelStatus.ACTIVE) | Q(status_changed_at__gt=window.settled_after)
    if window.first:
        current = Q(status__in=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED])
    labels = Label.objects.filter(current).order_by()  # ids only: no ordering to sort by
    # Recognition lapsed: suspended from the day after its last day.
    found = set(labels.filter(_days(RECOGNITION_UNTIL, first - ONE_DAY, last - ONE_DAY)).values_list("pk", flat=True))
    for pk, periods in schemes:
        longest = relativedelta(months=periods.max_suspension_months)
        first_suspended = datetime.timedelta(days=periods.grace_days) + ONE_DAY  # after the due date
        of_scheme = labels.filter(scheme_id=pk)
        windows = [
            # Surveillance overdue past the grace period.
            _days(DUE, first - first_suspended, last - first_suspended),
            # Those two suspensions outlasting the maximum.
            _days(DUE, first - longest - first_suspended - SLACK, last - longest - first_suspended),
            _days(RECOGNITION_UNTIL, first - longest - ONE_DAY - SLACK, last - longest - ONE_DAY),
        ]
        for condition in windows:
            found.update(of_scheme.filter(condition).values_list("pk", flat=True))
        # A suspension by an officer outlasting the maximum.
        outlasted = Q(
            status_changed_at__gt=window.after - longest - SLACK,
            status_changed_at__lte=latest_start_outlasting(window.until, longest),
        )
        stored = Label.objects.filter(outlasted, scheme_id=pk, status=LabelStatus.SUSPENDED).order_by()
        found.update(stored.values_list("pk", flat=True))
    return found


def labels_touched(window: Window, schemes: Iterable[tuple[int, Periods]]) -> set[int]:
    """The labels whose row, or whose enterprise, changed in the window (none on the first run:
    every label did), of those that time now keeps from reading valid or that time changed
    before: a change to any other (a product renamed, every label of a category rewritten) can
    make no change by time, and is not read."""
    if window.first:
        return set()
    concerned = Q(pk__in=DerivedStatusChange.objects.values("label"))
    for condition in read_otherwise_within_dates(schemes=schemes, now=window.until):
        concerned |= condition
    labels = Label.objects.filter(concerned).order_by()
    own = labels.filter(updated_at__gt=window.settled_after, updated_at__lte=window.until)
    changed = Enterprise.objects.filter(updated_at__gt=window.settled_after, updated_at__lte=window.until)
    of_enterprise = labels.filter(product__enterprise__in=changed)
    return set(own.values_list("pk", flat=True)) | set(of_enterprise.values_list("pk", flat=True))


def instants_of(label: Label) -> list[tuple[StatusReason, datetime.datetime]]:
    """Every instant at which the label's dates (as they are now) change what the rule reads,
    by the kind of change."""
    scheme = label.scheme
    longest = relativedelta(months=scheme.max_suspension_months)
    starts: list[tuple[StatusReason, datetime.date]] = []
    if label.product.enterprise.recognition_valid_until is not None:
        starts.append((StatusReason.RECOGNITION_LAPSED, label.product.enterprise.recognition_valid_until + ONE_DAY))
    if label.surveillance_due_on is not None:
        grace = datetime.timedelta(days=scheme.surveillance_grace_days)
        starts.append((StatusReason.SURVEILLANCE_OVERDUE, label.surveillance_due_on + grace + ONE_DAY))
    instants = [(reason, midnight(start)) for reason, start in starts]
    revoked = StatusReason.SUSPENSION_NOT_LIFTED
    instants += [(revoked, midnight(first_day_outlasting(start, longest))) for _reason, start in starts]
    if label.status == LabelStatus.SUSPENDED and label.status_changed_at is not None:
        instants.append((revoked, first_instant_outlasting(label.status_changed_at, longest)))
    return instants


@dataclass(frozen=True)
class StatusChange:
    """An act that set a label's stored status (its issue, a suspension...), from its history."""

    at: datetime.datetime
    to_state: str
    category: str
    action: str


class Timeline:
    """A label's stored status at any instant: its history's status changes, then its row."""

    def __init__(self, label: Label, changes: list[StatusChange]) -> None:
        self.label = label
        self.changes = changes

    def facts_at(self, instant: datetime.datetime) -> StatusFacts:
        facts = self.label.status_facts()
        if not any(change.at > instant for change in self.changes):
            return facts
        before = [change for change in self.changes if change.at <= instant]
        last = before[-1] if before else StatusChange(self.label.created_at, LabelStatus.ACTIVE, "", "")
        return StatusFacts(
            status=last.to_state,
            issued_on=facts.issued_on,
            valid_until=facts.valid_until,
            surveillance_due_on=facts.surveillance_due_on,
            status_reason_category=last.category,
            status_changed_at=last.at if before else None,
            recognition_valid_until=facts.recognition_valid_until,
            periods=facts.periods,
        )

    def state_at(self, instant: datetime.datetime) -> State:
        state = public_state(self.facts_at(instant), instant)
        return state.status, state.reason

    @property
    def issued_at(self) -> datetime.datetime:
        """When the label came to be: its issue in the history, else its row's creation."""
        issues = [change.at for change in self.changes if change.action == "label.issued"]
        return max([self.label.created_at, *issues[:1]])

    def effect(self, reason: StatusReason, instant: datetime.datetime) -> datetime.datetime | None:
        """When the rule's answer became `reason` (and its status) through the dates that put it
        at `instant`: that instant, if the answer changed there; the label's issue, if the
        instant came before it and the label read so from its issue on; else None."""
        target = (STATUS_AFTER[reason], reason)
        born = self.issued_at
        if instant <= born:
            return born if self.state_at(born) == target else None
        now = self.state_at(instant)
        return instant if now == target and self.state_at(instant - JUST_BEFORE) != now else None


def timelines(labels: list[Label]) -> dict[int, Timeline]:
    events = HistoryEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Label),
        target_id__in=[label.pk for label in labels],
        action__in=("label.issued", *STATUS_ACTIONS),
    ).order_by("sequence")
    changes: dict[int, list[StatusChange]] = defaultdict(list)
    rows = events.values_list("target_id", "created_at", "to_state", "data", "action")
    for target_id, created_at, to_state, data, action in rows:
        category = data.get("category", "")
        changes[target_id].append(StatusChange(created_at, to_state or LabelStatus.ACTIVE, category, action))
    return {label.pk: Timeline(label, changes[label.pk]) for label in labels}


def changes_in(window: Window) -> list[Found]:
    """The changes that time made in `window`, oldest first (not yet recorded or not)."""
    schemes = scheme_periods()
    in_window, touched = labels_in_window(window, schemes), labels_touched(window, schemes)
    related = Label.objects.select_related("scheme", "product__enterprise")
    labels = list(related.filter(pk__in=in_window | touched).order_by("pk"))
    found: list[Found] = []
    for timeline in timelines(labels).values():
        label = timeline.label
        for reason, instant in instants_of(label):
            looked_at = window.holds(instant) or (label.pk in touched and instant <= window.until)
            effect = timeline.effect(reason, instant) if looked_at else None
            if effect is not None:
                found.append(Found(label, reason, effect))
        if label.pk in touched:
            found += _after_acts(timeline, window)
    return sorted(found, key=lambda change: (change.at, change.label.pk))


def _reason_of_suspension(state: State) -> StatusReason | None:
    """The kind of change by time that `state` is the outcome of, if it is a suspension or
    revocation that time makes."""
    status, reason = state
    if reason in STATUS_AFTER and status == STATUS_AFTER[StatusReason(reason)] != PublicStatus.VALID:
        return StatusReason(reason)
    return None


def _after_acts(timeline: Timeline, window: Window) -> list[Found]:
    """What the rule reads right after an act on the label in the window, where the act's own
    entry says otherwise: a label issued or reinstated while its surveillance is overdue reads
    suspended; and a label that reads valid again now that a surveillance or a renewed
    recognition remedied the cause of its last such change."""
    label, found = timeline.label, []
    acts = [change for change in timeline.changes if window.touches(change.at)]
    for act in acts:
        read = timeline.state_at(act.at)
        told = public_status_of(act.to_state, label.issued_on, label.valid_until, timezone.localdate(act.at))
        reason = _reason_of_suspension(read)
        if reason is not None and read != (told, act.category or None):
            found.append(Found(label, reason, act.at))
    last = label.derived_changes.order_by("-effective_at", "-pk").first()
    # An act since then has its own entry (one at the same instant is the act the row followed).
    acted_since = last is not None and any(change.at > last.effective_at for change in timeline.changes)
    if last is None or acted_since or last.status == PublicStatus.VALID:
        return found
    if timeline.state_at(window.until)[0] == PublicStatus.VALID:
        changed = [label.updated_at, label.product.enterprise.updated_at]
        remedied = max(moment for moment in changed if window.touches(moment))
        found.append(Found(label, StatusReason.CORRECTED, max(remedied, last.effective_at + JUST_BEFORE)))
    return found


def record(change: Found) -> DerivedStatusChange | None:
    """Record a change once, with the mails to the enterprise's applicants (and, through the
    watch's receiver, to its subscribers) in the same transaction; None if it was recorded before."""
    row, created = DerivedStatusChange.objects.get_or_create(
        label=change.label, reason=change.reason, effective_at=change.at
    )
    if not created:
        return None
    if row.is_news:
        notify_derived_change(row)
    return row


def record_derived_changes(now: datetime.datetime | None = None) -> int:
    """Find and record the changes that time made since the previous run; how many were new.
    One run at a time (the scan row is locked), in one transaction: nothing half-recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        scan, _created = DerivedChangeScan.objects.select_for_update().get_or_create(pk=1)
        if scan.scanned_until is not None and scan.scanned_until >= now:
            return 0
        window = Window(scan.scanned_until or BEGINNING, now, first=scan.scanned_until is None)
        recorded = sum(record(change) is not None for change in changes_in(window))
        scan.scanned_until = now
        scan.save()
    return recorded


@task()
def record_derived_status_changes() -> int:
    """The periodic task (settings.PERIODIC_TASKS)."""
    return record_derived_changes()
