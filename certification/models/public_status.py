"""A label's public status (DESIGN §5, §9): derived at the instant of asking, never left to a job.
The one rule, in Python (`public_state`, for the lookup, the verify page and answer, the JSON
Lines and CSV exports) and as SQL conditions (`public_status_condition`, for the registry's
filters and the statistics), both from the same cut-offs (`Cutoffs`).

At an instant `now`, on its day `today` in Brussels (days begin at midnight, Brussels time), a
label whose stored status is
- revoked or superseded reads so;
- suspended reads suspended, until the suspension is older than the scheme's maximum
  (`max_suspension_months`): then revoked, "suspension not lifted in time", unless an officer
  reinstated it before;
- active reads expired outside issued_on..valid_until; else suspended, "recognition lapsed",
  from the day after the enterprise's `recognition_valid_until`; else suspended, "surveillance
  overdue", once `surveillance_due_on` is more than the scheme's grace days past; a suspension
  of these two kinds older than the maximum reads revoked, "suspension not lifted in time";
  else valid.

A suspension that began on day S outlasted a maximum of M months when S <= today - M: month
arithmetic is not invertible at month ends, so the rule is stated in this form, the one SQL can
compare with a column. One begun at instant S outlasted it when S <= `latest_start_outlasting(now)`,
which is now - M in UTC, or the end of that day when a shorter month clamped the difference (so
that a suspension, once revoked, stays revoked): the instant `first_instant_outlasting(S)` on.
"""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LabelStatus(models.TextChoices):
    """The stored lifecycle of a label; what the public sees is `PublicStatus`."""

    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")


class PublicStatus(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    SUPERSEDED = "superseded", _("superseded")


class StatusReason(models.TextChoices):
    """Why a label is not (or again) valid, as the public is told; the officer's own words stay internal."""

    SURVEILLANCE_OVERDUE = "surveillance_overdue", _("surveillance audit overdue")
    NON_CONFORMITY = "non_conformity", _("non-conformity found")
    RECOGNITION_LAPSED = "recognition_lapsed", _("recognition of the enterprise lapsed")
    ENTERPRISE_REQUEST = "enterprise_request", _("at the request of the enterprise")
    PRODUCT_DISCONTINUED = "product_discontinued", _("product or service discontinued")
    MISUSE = "misuse", _("misuse of the label")
    COMPLAINT_UPHELD = "complaint_upheld", _("a complaint was upheld")
    APPEAL_GRANTED = "appeal_granted", _("appeal granted")
    CORRECTED = "corrected", _("the cause was remedied")
    RENEWED = "renewed", _("replaced by a renewed label")
    SUSPENSION_NOT_LIFTED = "suspension_not_lifted", _("suspension not lifted in time")
    CHANGE_UNDER_REVIEW = "change_under_review", _("a change to the product is being assessed")
    OTHER = "other", _("other")


@dataclass(frozen=True)
class Periods:
    """A scheme's periods that the public status depends on."""

    grace_days: int
    max_suspension_months: int


@dataclass(frozen=True)
class Cutoffs:
    """For one scheme's periods at one instant: the values a label's dates are compared with."""

    now: datetime.datetime
    today: datetime.date
    longest: relativedelta
    grace: datetime.timedelta
    # surveillance_due_on before this: overdue past the grace period.
    overdue_if_due_before: datetime.date
    # surveillance_due_on before this: that suspension outlasted the maximum.
    overdue_too_long_if_due_before: datetime.date
    # recognition_valid_until before this: that suspension outlasted the maximum.
    lapsed_too_long_if_until_before: datetime.date
    # A stored suspension since this instant or before outlasted the maximum.
    suspended_too_long_if_since_by: datetime.datetime


@functools.lru_cache(maxsize=256)
def cutoffs(now: datetime.datetime, periods: Periods) -> Cutoffs:
    today = timezone.localdate(now)
    longest = relativedelta(months=periods.max_suspension_months)
    grace = datetime.timedelta(days=periods.grace_days)
    return Cutoffs(
        now=now,
        today=today,
        longest=longest,
        grace=grace,
        # overdue: today > due + grace
        overdue_if_due_before=today - grace,
        # the overdue suspension begins on due + grace + 1 day <= today - longest
        overdue_too_long_if_due_before=(today - longest) - grace,
        # the lapse begins on until + 1 day <= today - longest
        lapsed_too_long_if_until_before=today - longest,
        suspended_too_long_if_since_by=latest_start_outlasting(now, longest),
    )


@dataclass(frozen=True)
class StatusFacts:
    """What a label's public status is derived from: its own columns, its scheme's periods and
    its enterprise's recognition."""

    status: str
    issued_on: datetime.date
    valid_until: datetime.date
    surveillance_due_on: datetime.date | None
    status_reason_category: str
    status_changed_at: datetime.datetime | None
    recognition_valid_until: datetime.date | None
    periods: Periods


@dataclass(frozen=True)
class PublicState:
    status: PublicStatus
    reason: str | None  # a StatusReason value
    since: datetime.datetime | None


def midnight(day: datetime.date) -> datetime.datetime:
    """The instant a day begins, site time (Brussels)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def first_day_outlasting(start: datetime.date, longest: relativedelta) -> datetime.date:
    """The first day on which a suspension begun on `start` has outlasted `longest`."""
    day = start + longest
    while day - longest < start:  # a shorter month clamped the sum
        day += datetime.timedelta(days=1)
    return day


def first_instant_outlasting(since: datetime.datetime, longest: relativedelta) -> datetime.datetime:
    """The first instant at which a suspension begun at `since` has outlasted `longest`: `since +
    longest` in UTC, unless a shorter month clamped that sum, when it is the start of the next day
    (UTC). The first `now` with since <= latest_start_outlasting(now, longest)."""
    since = since.astimezone(datetime.UTC)
    instant = since + longest
    if instant - longest < since:
        instant = datetime.datetime.combine(instant.date() + datetime.timedelta(days=1), datetime.time(), datetime.UTC)
    return instant


def latest_start_outlasting(now: datetime.datetime, longest: relativedelta) -> datetime.datetime:
    """The latest instant at which a suspension can have begun and have outlasted `longest` at
    `now`: every one begun then or before has, none begun later. That is `now - longest` in UTC;
    when a shorter month clamped that difference (31 May less three months is 28 February), the
    end of its day, since a suspension begun at any time of that day outlasted the maximum on the
    day its own sum fell (28 May). Without that, a suspension begun on 28 February at 15:51 would
    read revoked late on 28 May, suspended again on the 29th until 15:51, then revoked: the rule
    is monotone in `now` this way, and the inverse of first_instant_outlasting."""
    now = now.astimezone(datetime.UTC)
    start = now - longest
    if start + longest != now:  # clamped: the day of `now` is not in the shorter month
        return datetime.datetime.combine(start.date(), datetime.time.max, datetime.UTC)
    return start


def public_status_of(
    status: str, issued_on: datetime.date, valid_until: datetime.date, today: datetime.date | None = None
) -> PublicStatus:
    """The part of the rule that reads only the stored status and the validity dates (what a
    label's history records, as the status watch lists it); `public_state` adds the rest."""
    if status == LabelStatus.ACTIVE:
        today = today or timezone.localdate()
        return PublicStatus.VALID if issued_on <= today <= valid_until else PublicStatus.EXPIRED
    return PublicStatus(status)


def public_state(facts: StatusFacts, now: datetime.datetime | None = None) -> PublicState:
    """The public status of a label at `now` (default: this instant), its public reason and since when."""
    cut = cutoffs(now or timezone.now(), facts.periods)
    reason, since = facts.status_reason_category or None, facts.status_changed_at
    if facts.status == LabelStatus.SUSPENDED:
        if since is not None and since <= cut.suspended_too_long_if_since_by:
            ended = first_instant_outlasting(since, cut.longest)
            return PublicState(PublicStatus.REVOKED, StatusReason.SUSPENSION_NOT_LIFTED, ended)
        return PublicState(PublicStatus.SUSPENDED, reason, since)
    stored = public_status_of(facts.status, facts.issued_on, facts.valid_until, cut.today)
    if stored != PublicStatus.VALID:
        return PublicState(stored, reason, since)
    suspensions: list[tuple[datetime.date, StatusReason, bool]] = []
    lapsed_on, due = facts.recognition_valid_until, facts.surveillance_due_on
    if lapsed_on is not None and lapsed_on < cut.today:
        too_long = lapsed_on < cut.lapsed_too_long_if_until_before
        suspensions.append((lapsed_on + datetime.timedelta(days=1), StatusReason.RECOGNITION_LAPSED, too_long))
    if due is not None and due < cut.overdue_if_due_before:
        too_long = due < cut.overdue_too_long_if_due_before
        suspensions.append((due + cut.grace + datetime.timedelta(days=1), StatusReason.SURVEILLANCE_OVERDUE, too_long))
    for start, _reason, too_long in suspensions:
        if too_long:
            ended = midnight(first_day_outlasting(start, cut.longest))
            return PublicState(PublicStatus.REVOKED, StatusReason.SUSPENSION_NOT_LIFTED, ended)
    if suspensions:
        start, suspended_for, _too_long = suspensions[0]
        return PublicState(PublicStatus.SUSPENDED, suspended_for, midnight(start))
    return PublicState(PublicStatus.VALID, reason, since)


def state_holds_until(facts: StatusFacts, now: datetime.datetime) -> datetime.datetime:
    """The instant until which `public_state(facts)` reads as it does at `now`, by time alone: the
    next midnight (the rule compares days), or, for a stored suspension, the instant it outlasts
    the maximum if that comes sooner (after which it reads revoked for good)."""
    until = midnight(timezone.localdate(now) + datetime.timedelta(days=1))
    since = facts.status_changed_at
    if facts.status == LabelStatus.SUSPENDED and since is not None:
        outlasts = first_instant_outlasting(since, relativedelta(months=facts.periods.max_suspension_months))
        if outlasts > now:
            until = min(until, outlasts)
    return until


# The columns of the label table and its relations the SQL conditions compare.
RECOGNITION_UNTIL = "product__enterprise__recognition_valid_until"
DUE = "surveillance_due_on"
SINCE = "status_changed_at"


def public_status_condition(
    status: str, *, schemes: Iterable[tuple[int, Periods]], now: datetime.datetime | None = None
) -> Q:
    """The labels whose public status at `now` is `status`, as a filter on the label table, for
    labels of the `schemes` given (primary key and periods): the rule of `public_state`."""
    now = now or timezone.now()
    schemes = list(schemes)
    today = timezone.localdate(now)

    def per_scheme(condition: Callable[[Cutoffs], Q]) -> Q:
        found = Q(pk__in=[])
        for pk, periods in schemes:
            found |= Q(scheme_id=pk) & condition(cutoffs(now, periods))
        return found

    def overdue(cut: Cutoffs) -> Q:
        return Q(**{f"{DUE}__lt": cut.overdue_if_due_before})

    def in_time(cut: Cutoffs) -> Q:
        return Q(**{f"{DUE}__gte": cut.overdue_if_due_before})

    def overdue_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{DUE}__lt": cut.overdue_too_long_if_due_before})

    def overdue_not_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{DUE}__gte": cut.overdue_too_long_if_due_before})

    def lapsed_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{RECOGNITION_UNTIL}__lt": cut.lapsed_too_long_if_until_before})

    def lapsed_not_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{RECOGNITION_UNTIL}__gte": cut.lapsed_too_long_if_until_before})

    def suspended_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{SINCE}__lte": cut.suspended_too_long_if_since_by})

    def suspended_not_too_long(cut: Cutoffs) -> Q:
        return Q(**{f"{SINCE}__gt": cut.suspended_too_long_if_since_by})

    in_dates = Q(status=LabelStatus.ACTIVE, issued_on__lte=today, valid_until__gte=today)
    no_due = Q(**{f"{DUE}__isnull": True})
    no_end = Q(**{f"{RECOGNITION_UNTIL}__isnull": True})
    lapsed = Q(**{f"{RECOGNITION_UNTIL}__lt": today})
    recognised = no_end | Q(**{f"{RECOGNITION_UNTIL}__gte": today})
    outlasted = per_scheme(lapsed_too_long) | per_scheme(overdue_too_long)
    within_maximum = (no_end | per_scheme(lapsed_not_too_long)) & (no_due | per_scheme(overdue_not_too_long))
    stored_suspension = Q(status=LabelStatus.SUSPENDED)
    if status == PublicStatus.VALID:
        return in_dates & recognised & (no_due | per_scheme(in_time))
    if status == PublicStatus.EXPIRED:
        return Q(status=LabelStatus.ACTIVE) & (Q(issued_on__gt=today) | Q(valid_until__lt=today))
    if status == PublicStatus.SUSPENDED:
        derived = in_dates & (lapsed | per_scheme(overdue)) & within_maximum
        return (stored_suspension & (Q(**{f"{SINCE}__isnull": True}) | per_scheme(suspended_not_too_long))) | derived
    if status == PublicStatus.REVOKED:
        stored = Q(status=LabelStatus.REVOKED) | (stored_suspension & per_scheme(suspended_too_long))
        return stored | (in_dates & outlasted)
    return Q(status=status)


def read_otherwise_within_dates(
    *, schemes: Iterable[tuple[int, Periods]], now: datetime.datetime | None = None
) -> list[Q]:
    """The labels that are active and within their dates and yet do not read valid at `now`, as
    two disjoint filters on the label table that an index serves (the enterprise's recognition;
    the label's scheme and surveillance due date): a lapsed recognition, else a surveillance
    overdue past the grace period (suspended, or revoked once that outlasted the maximum). What
    a count of active labels within their dates must take away to count the valid ones; it is
    the rule of `public_status_condition`, whose VALID is exactly the rest."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    in_dates = Q(status=LabelStatus.ACTIVE, issued_on__lte=today, valid_until__gte=today)
    lapsed = Q(**{f"{RECOGNITION_UNTIL}__lt": today})
    overdue = Q(pk__in=[])
    for pk, periods in schemes:
        overdue |= Q(scheme_id=pk, **{f"{DUE}__lt": cutoffs(now, periods).overdue_if_due_before})
    return [in_dates & lapsed, in_dates & overdue & ~lapsed]
