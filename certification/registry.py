"""The public registry's search, filters, ordering and keyset pages (DESIGN §6), for the API
and the pages alike.

Every ordering is on an indexed column followed by the label code (unique), both in the same
direction, so that a page after a given row is an index range scan from that row: page 5,000
costs what page 1 costs. The search matches the words of `q` in the labels' normalised search
text (certification.search), a substring match a trigram index serves on PostgreSQL.
"""

import base64
import binascii
import contextlib
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import django_filters
import orjson
import psycopg
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Func, Max, Q, QuerySet, TextField, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from psycopg import IsolationLevel

from certification.codes import parse_label_code
from certification.exceptions import DomainError, InvalidLabelCode
from certification.identifiers import canonical_enterprise_number, validate_enterprise_number
from certification.models import (
    Enterprise,
    Label,
    LabelStatus,
    ProductCategory,
    ProductKind,
    PublicStatus,
    Scheme,
)
from certification.models.public_status import (
    Cutoffs,
    Periods,
    cutoffs,
    first_day_outlasting,
    first_instant_outlasting,
    midnight,
    public_status_condition,
)
from certification.provinces import PROVINCE_CHOICES
from certification.search import MIN_WORD, may_be_in_a_code, search_words

ALL_STATUSES = "all"
# What `ordering` may say (a minus: descending) and the column it orders by, after which the code.
ORDERING_COLUMNS = {
    "issued_on": "issued_on",
    "valid_until": "valid_until",
    "level": "level",
    "social_share": "social_share",
    "code": "code",
    "product__name": "search_text",  # the search text starts with the product's name, normalised
}
DEFAULT_ORDERING = "-issued_on"
ORDERING_CHOICES = [
    ("-issued_on", _("newest first")),
    ("issued_on", _("oldest first")),
    ("valid_until", _("expiring first")),
    ("-valid_until", _("valid longest first")),
    ("-level", _("highest level first")),
    ("level", _("lowest level first")),
    ("-social_share", _("highest share first")),
    ("social_share", _("lowest share first")),
    ("product__name", _("product name, A to Z")),
    ("-product__name", _("product name, Z to A")),
    ("code", _("label code")),
    ("-code", _("label code, descending")),
]


class InvalidCursor(DomainError):
    """A page link that this registry did not make, or made for another ordering."""


class UnknownParameters(DomainError):
    """A query parameter the registry does not know: refused, never silently ignored (a filter
    misspelt would otherwise answer every label)."""

    def __init__(self, names: list[str], *, known: list[str]) -> None:
        super().__init__(
            ngettext(
                "Unknown parameter: %(names)s. The registry knows: %(known)s.",
                "Unknown parameters: %(names)s. The registry knows: %(known)s.",
                len(names),
            )
            % {"names": ", ".join(names), "known": ", ".join(known)}
        )
        self.names = names


def scheme_periods() -> list[tuple[int, Periods]]:
    """Every scheme's periods that public statuses depend on (a few rows)."""
    rows = Scheme.objects.values_list("pk", "surveillance_grace_days", "max_suspension_months")
    return [(pk, Periods(grace, longest)) for pk, grace, longest in rows]


def with_public_status(labels: QuerySet[Label], status: str) -> QuerySet[Label]:
    """Labels whose public status, at this instant, is `status` (the rule of Label.public_status)."""
    return labels.filter(public_status_condition(status, schemes=scheme_periods()))


def registry_changed_at() -> datetime.datetime:
    """When what the registry shows last changed: the newest change to a label or its public
    record, or the newest instant at which a label's public status changed by itself (certification.
    models.public_status): its first day, the day after its last, a surveillance overdue past its
    grace, a recognition lapsed, a suspension outlasting the maximum. Labels are never deleted.
    Three index look-ups, four more per scheme and one over the enterprises."""
    now = timezone.now()
    today = timezone.localdate(now)
    changed = Label.objects.aggregate(newest=Max("updated_at"))["newest"]
    started = Label.objects.filter(issued_on__lte=today).aggregate(newest=Max("issued_on"))["newest"]
    ended = Label.objects.filter(valid_until__lt=today).aggregate(newest=Max("valid_until"))["newest"]
    moments = [changed, *(midnight(day) for day in (started, ended and ended + ONE_DAY) if day is not None)]
    for pk, periods in scheme_periods():
        moments.extend(_derived_changes(Label.objects.filter(scheme_id=pk), cutoffs(now, periods)))
    lapsed = Enterprise.objects.filter(products__labels__isnull=False, recognition_valid_until__lt=today)
    newest_lapse = lapsed.aggregate(newest=Max("recognition_valid_until"))["newest"]
    if newest_lapse is not None:
        moments.append(midnight(newest_lapse + ONE_DAY))
    return max((moment for moment in moments if moment is not None), default=EPOCH)


ONE_DAY = datetime.timedelta(days=1)
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _derived_changes(labels: QuerySet[Label], cut: Cutoffs) -> list[datetime.datetime]:
    """The newest instants at which labels of one scheme changed status by themselves (at most
    one per kind of change)."""
    due = "surveillance_due_on"
    overdue = labels.filter(**{f"{due}__lt": cut.overdue_if_due_before}).aggregate(newest=Max(due))["newest"]
    too_late = labels.filter(**{f"{due}__lt": cut.overdue_too_long_if_due_before}).aggregate(newest=Max(due))
    suspended = labels.filter(status=LabelStatus.SUSPENDED, status_changed_at__lte=cut.suspended_too_long_if_since_by)
    since = suspended.aggregate(newest=Max("status_changed_at"))["newest"]
    lapses = Enterprise.objects.filter(
        products__labels__in=labels, recognition_valid_until__lt=cut.lapsed_too_long_if_until_before
    ).aggregate(newest=Max("recognition_valid_until"))["newest"]
    moments = []
    if overdue is not None:
        moments.append(midnight(overdue + cut.grace + ONE_DAY))
    if too_late["newest"] is not None:
        moments.append(midnight(first_day_outlasting(too_late["newest"] + cut.grace + ONE_DAY, cut.longest)))
    if since is not None:
        moments.append(first_instant_outlasting(since, cut.longest))
    if lapses is not None:
        moments.append(midnight(first_day_outlasting(lapses + ONE_DAY, cut.longest)))
    return moments


def validate_search(value: str) -> None:
    if value.strip() and not search_words(value):
        with contextlib.suppress(InvalidLabelCode):
            parse_label_code(value)
            return
        raise ValidationError(
            _("Type at least %(count)d letters or digits to search."), params={"count": MIN_WORD}, code="too_short"
        )


def _category_choices() -> list[tuple[str, str]]:
    return [(category.code, category.name) for category in ProductCategory.objects.order_by("code")]


class RegistryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", validators=[validate_search], label=_("product, enterprise or label code")
    )
    category = django_filters.ChoiceFilter(
        field_name="product__category__code",
        label=_("category"),
        choices=lambda: _category_choices(),
        empty_label=_("all categories"),
    )
    level = django_filters.ChoiceFilter(
        choices=[(n, n) for n in (1, 2, 3)], label=_("level"), empty_label=_("all levels")
    )
    kind = django_filters.ChoiceFilter(
        field_name="product__kind", choices=ProductKind.choices, label=_("kind"), empty_label=_("all kinds")
    )
    # The enterprise's stored province (certification.provinces), an indexed column.
    province = django_filters.ChoiceFilter(
        field_name="product__enterprise__province",
        choices=PROVINCE_CHOICES,
        label=_("province"),
        empty_label=_("all provinces"),
        error_messages={
            "invalid_choice": format_lazy(
                _("Unknown province: %(value)s. The registry knows: {known}."),
                known=", ".join(code for code, _name in PROVINCE_CHOICES),
            )
        },
    )
    enterprise_number = django_filters.CharFilter(
        method="by_enterprise_number", validators=[validate_enterprise_number], label=_("enterprise number")
    )
    # No empty choice: a form sent as it was shown lists the valid labels, as the registry does by default.
    status = django_filters.ChoiceFilter(
        choices=[*PublicStatus.choices, (ALL_STATUSES, _("all statuses"))],
        method="by_status",
        label=_("status"),
        empty_label=None,
    )
    ordering = django_filters.ChoiceFilter(choices=ORDERING_CHOICES, method="order", label=_("order"), empty_label=None)

    class Meta:
        model = Label
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Label]:
        labels = super().qs
        data = self.form.cleaned_data
        if not data.get("status"):  # the registry lists valid labels unless asked for another status
            labels = with_public_status(labels, PublicStatus.VALID)
        if not data.get("ordering"):
            labels = self.order(labels, "ordering", DEFAULT_ORDERING)
        return labels

    @property
    def ordering_name(self) -> str:
        """The ordering asked for (of a valid filter), or the default."""
        return self.form.cleaned_data.get("ordering") or DEFAULT_ORDERING

    def search(self, labels: QuerySet[Label], name: str, value: str) -> QuerySet[Label]:
        words = search_words(value)
        match = words_match(words) if words else Q(pk__in=[])
        with contextlib.suppress(InvalidLabelCode):  # not a code: search the words only
            match |= Q(code=parse_label_code(value))
        return labels.alias(name_words=NameWords("search_text")).filter(match)

    def by_enterprise_number(self, labels: QuerySet[Label], name: str, value: str) -> QuerySet[Label]:
        return labels.filter(product__enterprise__enterprise_number=canonical_enterprise_number(value))

    def by_status(self, labels: QuerySet[Label], name: str, value: Any) -> QuerySet[Label]:
        return labels if value == ALL_STATUSES else with_public_status(labels, value)

    def order(self, labels: QuerySet[Label], name: str, value: str) -> QuerySet[Label]:
        column, descending = ordering_columns(value)
        sign = "-" if descending else ""
        return labels.order_by(f"{sign}{column}", f"{sign}code")


class NameWords(Func):
    """The words of a label's product and enterprise names, from its search text, as an array
    (PostgreSQL only: migration 0028 made the function and its index)."""

    function = "certification_name_words"
    output_field = ArrayField(TextField())


# A typed word contained in more words of the vocabulary than this is looked for in the search
# text instead: the trigram index narrows it as well as that many word lists would.
MOST_NAME_WORDS = 100


def words_match(words: list[str]) -> Q:
    """The labels whose search text contains every one of `words` (a query's, normalised).

    On PostgreSQL, in one snapshot (`one_snapshot`), a query of two words or more looks for each
    word that cannot be part of a label code among the labels' name words instead, which holds the
    same labels: those whose name words include one of the vocabulary's words that contain it.
    Their word lists are read in 1 ms where the trigram index reads 16 trigrams' lists in 6 (two
    common words at 1,000,000 labels), while one common word is quicker found walking an
    ordering and reading the search text. The vocabulary and the labels must be read in one
    snapshot: a product renamed in between, to a word no label had before, would be found by
    neither its old words nor its new ones."""
    looked_up = name_word_candidates(words) if in_one_snapshot() else []
    containing = words_containing(looked_up) if looked_up else {}
    conditions = []
    for word in words:
        found = containing.get(word)
        if found is None:
            conditions.append(Q(search_text__contains=word))
        elif not found:
            return Q(pk__in=[])  # no name holds it, and it is in no code: no label holds it
        else:
            conditions.append(Q(name_words__overlap=found))
    return Q(*conditions)


def name_word_candidates(words: list[str]) -> list[str]:
    """The words of a query (normalised) that the search looks for among the labels' name words
    when it reads in one snapshot: on PostgreSQL, for a query of two words or more, those that
    cannot be part of a label code."""
    if connection.vendor != "postgresql" or len(words) < 2:
        return []
    return [word for word in words if " " not in word and not may_be_in_a_code(word)]


def words_containing(words: list[str]) -> dict[str, list[str] | None]:
    """For each word, the vocabulary's words that contain it, or None when more than
    MOST_NAME_WORDS do: one statement, a part for each word, each planned for its pattern (a
    pattern the planner cannot see made it read the whole vocabulary in order)."""
    part = "(SELECT %s AS n, word FROM certification_search_word WHERE word LIKE %s LIMIT %s)"
    arguments: list[int | str] = []
    for n, word in enumerate(words):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        arguments += [n, f"%{escaped}%", MOST_NAME_WORDS + 1]
    with planned_for_its_words(), connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([part] * len(words)), arguments)
        rows = cursor.fetchall()
    found: dict[str, list[str]] = {word: [] for word in words}
    for n, word in rows:
        found[words[n]].append(word)
    # A word two transactions added at once is listed twice: counted once.
    distinct = {word: list(dict.fromkeys(within)) for word, within in found.items()}
    return {word: (None if len(within) > MOST_NAME_WORDS else within) for word, within in distinct.items()}


def list_every_name_word() -> int:
    """Add to the vocabulary every name word of a label that it lacks (PostgreSQL; triggers keep
    it otherwise): after a restore or a load that fired no trigger. The number of words added."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO certification_search_word (word)"
            " SELECT DISTINCT label_word FROM certification_label, unnest(certification_name_words(search_text))"
            " AS label_word WHERE length(label_word) >= %s"
            " AND NOT EXISTS (SELECT 1 FROM certification_search_word AS known WHERE known.word = label_word)",
            [MIN_WORD],
        )
        return cursor.rowcount


def in_one_snapshot() -> bool:
    """Whether this connection's reads are now of one snapshot: in a REPEATABLE READ (or
    SERIALIZABLE) transaction on PostgreSQL."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    return connection.connection.isolation_level in (IsolationLevel.REPEATABLE_READ, IsolationLevel.SERIALIZABLE)


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """Read the registry in one snapshot of the database: on PostgreSQL, a REPEATABLE READ
    transaction, which psycopg begins with one command; within a caller's transaction, that one.
    A registry page whose search reads the vocabulary of name words reads so (`read_for_search`)."""
    if connection.vendor != "postgresql" or not transaction.get_autocommit():
        yield
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    level = psycopg_connection.isolation_level
    psycopg_connection.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic():
            yield
    finally:
        with contextlib.suppress(psycopg.Error):  # a connection lost meanwhile is made anew as configured
            psycopg_connection.isolation_level = level


def ordering_columns(ordering: str) -> tuple[str, bool]:
    """The column an ordering orders by (before the code), and whether descending."""
    return ORDERING_COLUMNS[ordering.removeprefix("-")], ordering.startswith("-")


def refuse_unknown_parameters(query: Iterable[str], *, also: Iterable[str] = ()) -> None:
    """Refuse names in a query string that neither the registry's filters nor `also` know."""
    known = [*RegistryFilter.base_filters, *also]
    unknown = sorted({name for name in query if name not in known})
    if unknown:
        raise UnknownParameters(unknown, known=known)


class Row(Func):
    """A row value, `(a, b)`: compared with another, an index on (a, b) serves the comparison."""

    template = "(%(expressions)s)"
    output_field = TextField()


@dataclass(frozen=True)
class KeysetPage:
    labels: list[Label]
    next_cursor: str | None
    previous_cursor: str | None


def make_cursor(label: Label, *, ordering: str, backwards: bool = False) -> str:
    column, _descending = ordering_columns(ordering)
    value = getattr(label, column)
    position = value.isoformat() if isinstance(value, datetime.date) else str(value)
    data = orjson.dumps({"o": ordering, "k": [position, label.code], "b": backwards})
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _read_cursor(cursor: str, *, ordering: str) -> tuple[Any, str, bool]:
    refused = InvalidCursor(gettext("This page link is not valid (cursor): start again from the first page."))
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position, code = data["k"]
        backwards = bool(data["b"])
        if data["o"] != ordering:
            raise refused
        column, _descending = ordering_columns(ordering)
        value = Label._meta.get_field(column).to_python(position)
    except (binascii.Error, orjson.JSONDecodeError, ValidationError, KeyError, TypeError, ValueError) as error:
        raise refused from error
    if not isinstance(code, str) or value is None:
        raise refused
    return value, code, backwards


def after_cursor(labels: QuerySet[Label], *, ordering: str, cursor: str | None) -> tuple[QuerySet[Label], bool]:
    """An ordered registry queryset from the row a cursor points at on (in reverse order when the
    cursor goes backwards), and whether it does: a range of the ordering's index."""
    if not cursor:
        return labels, False
    column, descending = ordering_columns(ordering)
    value, code, backwards = _read_cursor(cursor, ordering=ordering)
    here = Row(F(column), F("code"))
    there = Row(Value(value, output_field=Label._meta.get_field(column)), Value(code))
    labels = labels.filter(LessThan(here, there) if descending != backwards else GreaterThan(here, there))
    return (labels.reverse() if backwards else labels), backwards


@contextlib.contextmanager
def planned_for_its_words() -> Iterator[None]:
    """Run the registry's queries unprepared, so that PostgreSQL plans each for the values it is
    run with. psycopg prepares a statement run twice on a connection (config.settings,
    DB_PREPARED_STATEMENTS), and PostgreSQL plans a prepared statement once for any values after
    its fifth run: such a plan cannot see what the words' LIKE patterns match, and two words of an
    enterprise's name then walked the wrong index (136 ms instead of 12 at 1,000,000 labels). A
    statement that is not prepared is planned for its values every time; the lookup keeps its
    prepared plan. (A SET LOCAL of plan_cache_mode did the same at the cost of three round trips:
    BEGIN, SET, COMMIT.)"""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = None  # psycopg: prepare nothing
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = threshold


def read_for_search(query: str | None) -> contextlib.AbstractContextManager[None]:
    """What a registry page reads for the search `query` (its `q`), in one snapshot when that
    search reads the vocabulary of name words; as usual otherwise (a snapshot's transaction costs
    two round trips)."""
    return one_snapshot() if name_word_candidates(search_words(query or "")) else contextlib.nullcontext()


def keyset_page(labels: QuerySet[Label], *, ordering: str, cursor: str | None, size: int) -> KeysetPage:
    """`size` labels of an ordered registry queryset after (or, backwards, before) the row a
    cursor points at, and the cursors of the pages around them (None: no such page)."""
    labels, backwards = after_cursor(labels, ordering=ordering, cursor=cursor)
    with planned_for_its_words():
        found = list(labels[: size + 1])
    more, rows = len(found) > size, found[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    after = more or backwards  # going backwards, the page we came from follows
    before = more if backwards else bool(cursor)
    return KeysetPage(
        rows,
        make_cursor(rows[-1], ordering=ordering) if after else None,
        make_cursor(rows[0], ordering=ordering, backwards=True) if before else None,
    )
