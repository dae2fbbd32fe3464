"""The public status changes of labels, newest first: what the Atom feeds list and the watch mails tell.

A change is a row of the history (a label issued, suspended, reinstated, revoked or superseded),
a change that time made and the periodic task recorded at the instant it took effect
(certification.derived: a surveillance overdue, a recognition lapsed, a suspension outlasting its
maximum, a cause remedied), or an expiry, which no row records: a label that is active on its
last day reads expired from the first instant of the next day
(certification.models.public_status.public_status_of), so its expiry is a change at that
instant whether or not anything ran then. Each change carries what the
public may read: the label code, the status, the public reason (never the officer's words) and
the verify link.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import orjson
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.derived import STATUS_ACTIONS
from certification.lookup import public_verify_url
from certification.models import (
    DerivedStatusChange,
    Enterprise,
    HistoryEvent,
    Label,
    LabelStatus,
    PublicStatus,
    StatusReason,
)
from certification.models.public_status import public_status_of

# The history's actions that change what the public reads of a label.
PUBLIC_ACTIONS = ("label.issued", *STATUS_ACTIONS)
# The public reason of a change whose row carries none of its own.
REASON_OF_ACTION = {"label.superseded": StatusReason.RENEWED}
PAGE_SIZE = 50

HISTORY, DERIVED, EXPIRY = "h", "d", "e"
# At one instant (newest first): what the rule reads after an act, then the act, then the expiries.
RANK = {DERIVED: 2, HISTORY: 1, EXPIRY: 0}


@dataclass(frozen=True)
class Position:
    """Where a change stands in the list: its instant, its source, and its order within both."""

    at: datetime.datetime
    source: str
    tiebreak: int | str  # the history row's sequence, the derived change's id, or the expired label's code

    def sort_key(self) -> tuple[datetime.datetime, int, int | str]:
        return (self.at, RANK[self.source], self.tiebreak)


@dataclass(frozen=True)
class LabelChange:
    key: str  # names the change for ever: the feeds' entry ids and the watch mails' keys
    position: Position
    code: str
    status: PublicStatus
    reason: StatusReason | None
    product: str
    enterprise: str
    enterprise_number: str
    successor: str | None

    @property
    def at(self) -> datetime.datetime:
        return self.position.at

    @property
    def verify_url(self) -> str:
        return public_verify_url(self.code)

    def sentence(self) -> str:
        """What happened, in the active language."""
        words = {
            "code": self.code,
            "product": self.product,
            "enterprise": self.enterprise,
            "status": self.status.label,
        }
        if self.status == PublicStatus.VALID:
            text = _("Label %(code)s for %(product)s (%(enterprise)s) is valid.") % words
        else:
            text = _("Label %(code)s for %(product)s (%(enterprise)s) is now %(status)s.") % words
        if self.reason:
            text += " " + _("Reason: %(reason)s.") % {"reason": self.reason.label}
        if self.successor:
            text += " " + _("It is replaced by label %(code)s.") % {"code": self.successor}
        return text


@dataclass(frozen=True)
class ChangePage:
    changes: list[LabelChange]
    next_cursor: str | None


class InvalidCursor(ValueError):
    def __init__(self) -> None:
        super().__init__(_("This page of changes does not exist: follow the feed's own links."))


_CURSOR = re.compile(r"(\d{1,20})([hde])([0-9A-Z-]{1,20})")
NUMBERED = (HISTORY, DERIVED)


def make_cursor(position: Position) -> str:
    micros = int(position.at.timestamp()) * 1_000_000 + position.at.microsecond
    return f"{micros}{position.source}{position.tiebreak}"


def parse_cursor(text: str) -> Position:
    match = _CURSOR.fullmatch(text)
    if match is None or (match.group(2) in NUMBERED and not match.group(3).isdigit()):
        raise InvalidCursor
    micros, source, tiebreak = int(match.group(1)), match.group(2), match.group(3)
    try:
        at = datetime.datetime.fromtimestamp(micros // 1_000_000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise InvalidCursor from error
    at = at.replace(microsecond=micros % 1_000_000)
    return Position(at, source, int(tiebreak) if source in NUMBERED else tiebreak)


def expiry_instant(valid_until: datetime.date) -> datetime.datetime:
    """The first instant at which a label valid until `valid_until` reads expired."""
    return timezone.make_aware(datetime.datetime.combine(valid_until + datetime.timedelta(days=1), datetime.time.min))


def label_events() -> QuerySet[HistoryEvent]:
    return HistoryEvent.objects.filter(target_type=ContentType.objects.get_for_model(Label))


def expired_labels(*, today: datetime.date | None = None) -> QuerySet[Label]:
    """Labels that expired by `today` while active: those whose stored status on their last day
    (the latest status change recorded by then; without one, the status now) was active."""
    today = today or timezone.localdate()
    last_status = (
        label_events()
        .filter(target_id=OuterRef("pk"), action__in=STATUS_ACTIONS, created_at__date__lte=OuterRef("valid_until"))
        .order_by("-sequence")
        .values("to_state")[:1]
    )
    return (
        Label.objects.filter(valid_until__lt=today)
        .annotate(status_on_last_day=Coalesce(Subquery(last_status), F("status"), output_field=CharField()))
        .filter(status_on_last_day=LabelStatus.ACTIVE)
    )


def _events_after(events: QuerySet[HistoryEvent], cursor: Position | None) -> QuerySet[HistoryEvent]:
    if cursor is None:
        return events
    if cursor.source == HISTORY:
        return events.filter(Q(created_at__lt=cursor.at) | Q(created_at=cursor.at, sequence__lt=cursor.tiebreak))
    if cursor.source == DERIVED:  # the acts at its instant come after it
        return events.filter(created_at__lte=cursor.at)
    return events.filter(created_at__lt=cursor.at)


def _derived_after(rows: QuerySet[DerivedStatusChange], cursor: Position | None) -> QuerySet[DerivedStatusChange]:
    if cursor is None:
        return rows
    if cursor.source == DERIVED:
        return rows.filter(Q(effective_at__lt=cursor.at) | Q(effective_at=cursor.at, pk__lt=cursor.tiebreak))
    return rows.filter(effective_at__lt=cursor.at)


def _expiries_after(labels: QuerySet[Label], cursor: Position | None) -> QuerySet[Label]:
    if cursor is None:
        return labels
    local = timezone.localtime(cursor.at)
    at_midnight = local.time() == datetime.time.min
    last_day = local.date() - datetime.timedelta(days=1)  # the last day of the labels expiring on this date
    if not at_midnight:
        return labels.filter(valid_until__lte=last_day)
    same_instant = Q(valid_until=last_day)
    if cursor.source == EXPIRY:
        same_instant &= Q(code__lt=cursor.tiebreak)
    return labels.filter(Q(valid_until__lt=last_day) | same_instant)


def label_changes(
    *,
    label: Label | None = None,
    enterprise: Enterprise | None = None,
    cursor: str | None = None,
    size: int | None = None,
    today: datetime.date | None = None,
) -> ChangePage:
    """One page of the public status changes, newest first: of one label, of the labels of one
    enterprise, or of the whole registry. `cursor` (from the previous page) continues the list."""
    size = size or PAGE_SIZE
    after = parse_cursor(cursor) if cursor else None
    events = label_events().filter(action__in=PUBLIC_ACTIONS)
    derived = DerivedStatusChange.objects.all()
    expired = expired_labels(today=today)
    if label is not None:
        events, expired = events.filter(target_id=label.pk), expired.filter(pk=label.pk)
        derived = derived.filter(label=label)
    if enterprise is not None:
        of_enterprise = Label.objects.filter(product__enterprise=enterprise)
        events = events.filter(target_id__in=of_enterprise.values("pk"))
        derived = derived.filter(label__in=of_enterprise.values("pk"))
        expired = expired.filter(product__enterprise=enterprise)
    events = _events_after(events, after).order_by("-created_at", "-sequence")[: size + 1]
    derived = _derived_after(derived, after).order_by("-effective_at", "-pk")[: size + 1]
    expired = _expiries_after(expired, after).order_by("-valid_until", "-code")[: size + 1]
    expired_list = list(expired.only("pk", "code", "valid_until"))
    event_list, derived_list = list(events), list(derived)
    facts = _facts_of(
        {event.target_id for event in event_list}
        | {row.label_id for row in derived_list}
        | {label.pk for label in expired_list}
    )
    changes = [change_from_event(event, facts[event.target_id]) for event in event_list]
    changes += [derived_change(row, facts[row.label_id]) for row in derived_list]
    changes += [expiry_change(expired_label, facts[expired_label.pk]) for expired_label in expired_list]
    changes.sort(key=lambda change: change.position.sort_key(), reverse=True)
    more = len(changes) > size
    changes = changes[:size]
    return ChangePage(changes, make_cursor(changes[-1].position) if more else None)


@dataclass(frozen=True)
class LabelFacts:
    """What a change tells of its label besides the change: read once per page."""

    code: str
    issued_on: datetime.date
    valid_until: datetime.date
    record: dict[str, Any]

    @classmethod
    def of(cls, label: Label) -> "LabelFacts":
        return cls(label.code, label.issued_on, label.valid_until, orjson.loads(label.public_record))


def _facts_of(pks: set[int]) -> dict[int, LabelFacts]:
    labels = Label.objects.filter(pk__in=pks).only("code", "issued_on", "valid_until", "public_record")
    return {label.pk: LabelFacts.of(label) for label in labels}


def change_from_event(event: HistoryEvent, facts: LabelFacts) -> LabelChange:
    """The change a history row of a label records, as the public read it at that moment."""
    status = public_status_of(event.to_state, facts.issued_on, facts.valid_until, timezone.localdate(event.created_at))
    category = event.data.get("category") or REASON_OF_ACTION.get(event.action)
    return LabelChange(
        key=f"event-{event.sequence}",
        position=Position(event.created_at, HISTORY, event.sequence),
        code=facts.code,
        status=status,
        reason=StatusReason(category) if category in StatusReason.values else None,
        product=facts.record["product"]["name"],
        enterprise=facts.record["enterprise"]["name"],
        enterprise_number=facts.record["enterprise"]["enterprise_number"],
        successor=event.data.get("successor") if event.action == "label.superseded" else None,
    )


def derived_change(row: DerivedStatusChange, facts: LabelFacts) -> LabelChange:
    """A change that time made, as the periodic task recorded it at its instant."""
    return LabelChange(
        key=f"derived-{row.pk}",
        position=Position(row.effective_at, DERIVED, row.pk),
        code=facts.code,
        status=row.status,
        reason=StatusReason(row.reason),
        product=facts.record["product"]["name"],
        enterprise=facts.record["enterprise"]["name"],
        enterprise_number=facts.record["enterprise"]["enterprise_number"],
        successor=None,
    )


def expiry_change(label: Label, facts: LabelFacts) -> LabelChange:
    return LabelChange(
        key=f"expiry-{label.code}-{label.valid_until.isoformat()}",
        position=Position(expiry_instant(label.valid_until), EXPIRY, label.code),
        code=label.code,
        status=PublicStatus.EXPIRED,
        reason=None,
        product=facts.record["product"]["name"],
        enterprise=facts.record["enterprise"]["name"],
        enterprise_number=facts.record["enterprise"]["enterprise_number"],
        successor=None,
    )


def expiries_between(
    *, first_day: datetime.date, last_day: datetime.date, among: QuerySet[Label] | None = None
) -> list[LabelChange]:
    """The expiries of labels (of `among`, if given) whose last valid day lies in
    [first_day, last_day], up to yesterday."""
    labels = expired_labels().filter(valid_until__gte=first_day, valid_until__lte=last_day).order_by("valid_until")
    if among is not None:
        labels = labels.filter(pk__in=among.values("pk"))
    facts = _facts_of(set(labels.values_list("pk", flat=True)))
    return [expiry_change(label, facts[label.pk]) for label in labels.only("pk", "code", "valid_until")]
