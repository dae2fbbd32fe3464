"""The status watch by mail: subscribe (double opt-in), confirm, unsubscribe, and tell the
confirmed subscribers of each public status change of a label, once per change and address.

Subscriptions are not certification records: they are kept out of the append-only history,
which could never forget an address, and deleted when their address unsubscribes.
"""

import datetime
import hashlib
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from background.outbox import in_language, queue_mail
from certification.codes import parse_label_code
from certification.exceptions import DomainError, InvalidLabelCode, RequirementsNotMet
from certification.identifiers import canonical_enterprise_number
from certification.models import Enterprise, Label
from certification.services.limits import Budget, BudgetSpent, budget_key, spend
from watch.changes import LabelChange
from watch.models import ConfirmationSent, Subscription, new_key

# A confirmation link works this long; an unconfirmed request is forgotten after it.
CONFIRM_WITHIN = datetime.timedelta(hours=48)
# Against mail bombing through the form: confirmation mails one address may be sent in a day,
# and labels and enterprises one address may follow.
CONFIRMATIONS_PER_DAY = 5
SUBSCRIPTIONS_PER_ADDRESS = 50
# Requests one client address may make in an hour, whatever e-mail addresses it gives.
CLIENT_REQUESTS_PER_HOUR = 20

Target = Label | Enterprise


class NothingToWatch(DomainError):
    http_status = 404


class TooManyRequests(DomainError):
    http_status = 429


class InvalidLink(DomainError):
    """A confirmation link that is unknown or expired."""


def find_target(*, label_code: str = "", enterprise_number: str = "") -> Target:
    """The label (by code, read as forgivingly as the lookup reads it) or the enterprise (by number)
    to follow; exactly one of the two."""
    if bool(label_code.strip()) == bool(enterprise_number.strip()):
        raise RequirementsNotMet([_("Give either a label code or an enterprise number to follow.")])
    if label_code.strip():
        try:
            code = parse_label_code(label_code)
        except InvalidLabelCode as error:
            raise RequirementsNotMet([str(error)]) from error
        label = Label.objects.filter(code=code).first()
        if label is None:
            raise NothingToWatch(_("No label with this code: it was never issued."))
        return label
    try:
        number = canonical_enterprise_number(enterprise_number)
    except ValidationError as error:
        raise RequirementsNotMet(error.messages) from error
    enterprise = Enterprise.objects.filter(enterprise_number=number).first()
    if enterprise is None or not Label.objects.filter(product__enterprise=enterprise).exists():
        raise NothingToWatch(_("No enterprise with this number holds or held a label."))
    return enterprise


def _target_filter(target: Target) -> dict[str, Target]:
    return {"enterprise": target} if isinstance(target, Enterprise) else {"label": target}


def normalised_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise RequirementsNotMet([_("Give a valid e-mail address.")]) from error
    return email


def language_or_default(language: str) -> str:
    language = (language or "")[:2].lower()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE[:2]


def take_subscription_request(*, client: str) -> None:
    """Count one request from the client address `client`, or refuse it with when to ask again.
    (The attempt counters of certification.services.limits, forgotten after an hour at the
    earliest: the per-address count of confirmations, over a day, is kept in ConfirmationSent.)"""
    try:
        spend(Budget(budget_key("watch:client", client), CLIENT_REQUESTS_PER_HOUR, 3600))
    except BudgetSpent as spent:
        minutes = max(1, math.ceil(spent.retry_after / 60))
        raise TooManyRequests(
            ngettext(
                "Too many subscription requests from your address: try again in %(minutes)d minute.",
                "Too many subscription requests from your address: try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        ) from spent


def request_subscription(*, email: str, target: Target, language: str, client: str, trap: str = "") -> None:
    """Record a request to follow `target` and mail its confirmation link; nothing else is ever
    sent to the address before that link is used. Every request counts against its client
    address (`client`), robots' too. A filled-in trap field (which people never see) marks a
    robot: it is answered as anyone, and nothing is done. An address that follows `target`
    already is answered as anyone too: whether it does is not told."""
    take_subscription_request(client=client)
    if trap:
        return
    _record_request(email=normalised_email(email), target=target, language=language)


@transaction.atomic
def _record_request(*, email: str, target: Target, language: str) -> None:
    now = timezone.now()
    subscription = Subscription.objects.select_for_update().filter(email=email, **_target_filter(target)).first()
    if subscription is not None and subscription.confirmed:
        return
    if ConfirmationSent.objects.filter(email=email, sent_at__gt=now - datetime.timedelta(days=1)).count() >= (
        CONFIRMATIONS_PER_DAY
    ):
        raise TooManyRequests(
            _("This address was sent as many confirmation requests as a day allows; try again tomorrow.")
        )
    if subscription is None:
        if Subscription.objects.filter(email=email).count() >= SUBSCRIPTIONS_PER_ADDRESS:
            full = _(
                "This address follows as many labels and enterprises as one address may; unsubscribe from one first."
            )
            raise RequirementsNotMet([full])
        subscription = _create(email=email, target=target)
    subscription.key, subscription.requested_at = new_key(), now
    subscription.language = language_or_default(language)
    subscription.save(update_fields=["key", "requested_at", "language"])
    ConfirmationSent.objects.create(email=email, sent_at=now)
    _queue_confirmation(subscription)


def _create(*, email: str, target: Target) -> Subscription:
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                email=email, language=settings.LANGUAGE_CODE[:2], **_target_filter(target)
            )
    except IntegrityError:  # the same request at the same moment: one row, two confirmations at most
        return Subscription.objects.select_for_update().get(email=email, **_target_filter(target))


def watch_url(kind: str, key: str) -> str:
    """The pages of a subscription's links (web/urls.py serves them there)."""
    return f"{settings.PUBLIC_BASE_URL}/watch/{kind}/{key}/"


def what_is_followed(subscription: Subscription) -> str:
    if subscription.label is not None:
        return _("label %(code)s") % {"code": subscription.label.code}
    assert subscription.enterprise is not None
    return _("the labels of %(enterprise)s") % {"enterprise": subscription.enterprise.name}


def _queue_confirmation(subscription: Subscription) -> None:
    with in_language(subscription.language):
        what = what_is_followed(subscription)
        subject = _("Confirm that you want to follow %(what)s") % {"what": what}
        body = "\n\n".join(
            [
                _(
                    "Someone, we hope you, asked to be mailed at this address whenever the status of %(what)s"
                    " changes (issued, suspended, reinstated, revoked, expired or replaced)."
                )
                % {"what": what},
                _("To confirm, open this link within %(hours)s hours:")
                % {"hours": int(CONFIRM_WITHIN.total_seconds() // 3600)},
                watch_url("confirm", subscription.key),
                _("If it was not you, ignore this mail: nothing more will be sent to you."),
            ]
        )
    queue_mail(
        key=f"watch:confirm:{subscription.pk}:{subscription.key}",
        to=subscription.email,
        language=subscription.language,
        subject=subject,
        body=body,
    )


@transaction.atomic
def confirm_subscription(*, key: str) -> Subscription:
    """Start mailing the address of the subscription whose link this is (again: no change)."""
    subscription = Subscription.objects.select_for_update().filter(key=key).first()
    if subscription is None:
        raise InvalidLink(_("This link is not valid (any more). Subscribe again to receive a new one."))
    if subscription.confirmed:
        return subscription
    if not subscription.confirmable(timezone.now(), CONFIRM_WITHIN):
        raise InvalidLink(_("This confirmation link has expired. Subscribe again to receive a new one."))
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe(*, key: str) -> bool:
    """Forget the subscription whose link this is; False when there was none (any more)."""
    deleted, _rows = Subscription.objects.filter(key=key).delete()
    return bool(deleted)


def find_subscription(*, key: str) -> Subscription | None:
    return Subscription.objects.select_related("label", "enterprise").filter(key=key).first()


def _address_id(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def subscribers_of(change: LabelChange) -> list[Subscription]:
    """One confirmed subscription per address that follows the label or its enterprise and was
    confirmed by the time of the change (the label's own first, when it follows both)."""
    following = Subscription.objects.filter(
        Q(label__code=change.code) | Q(enterprise__enterprise_number=change.enterprise_number),
        confirmed_at__isnull=False,
        confirmed_at__lte=change.at,
    ).select_related("label", "enterprise")
    chosen: dict[str, Subscription] = {}
    for subscription in following.order_by("email", "enterprise", "pk"):  # a label's own has no enterprise
        chosen.setdefault(subscription.email, subscription)
    return list(chosen.values())


def unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): a mail program POSTs to the link, no page to read."""
    return {
        "List-Unsubscribe": f"<{watch_url('unsubscribe', subscription.key)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def tell_subscribers(change: LabelChange) -> int:
    """Record a mail about `change` to each confirmed subscriber, in his or her language, in the
    current transaction; keyed by change and address, so it is recorded once however often told.
    How many were recorded now."""
    recorded = 0
    for subscription in subscribers_of(change):
        with in_language(subscription.language):
            subject = f"{change.code}: {change.status.label}"
            body = "\n\n".join(
                [
                    change.sentence(),
                    change.verify_url,
                    "-- ",
                    _("You receive this mail because you follow %(what)s. Unsubscribe with one click: %(url)s")
                    % {"what": what_is_followed(subscription), "url": watch_url("unsubscribe", subscription.key)},
                ]
            )
        mail = queue_mail(
            key=f"watch:{change.key}:{_address_id(subscription.email)}",
            to=subscription.email,
            language=subscription.language,
            subject=subject,
            body=body,
            headers=unsubscribe_headers(subscription),
        )
        recorded += mail is not None
    return recorded
