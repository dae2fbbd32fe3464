"""Renewal (ISO/IEC 17065 recertification, DESIGN §9): from a number of months the scheme sets
before a label's last day, its enterprise applies for the label again. The renewal is an
application linked to the label and prefilled from it, through the same workflow; approving it
supersedes the label in the same transaction (issue_label). A label that is suspended or revoked,
stored or derived, is never superseded: its status and its public reason stay what they are.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import OPEN_STATES, Application, Label, PublicStatus, User
from certification.policies import is_applicant_of
from certification.services.applications import create_application
from certification.services.history import record_event
from certification.services.labels import CURRENT_STATUSES, add_months
from certification.services.workflow import require

# A label in one of these public statuses stays as it is: no new label replaces it.
NOT_REPLACEABLE = (PublicStatus.SUSPENDED, PublicStatus.REVOKED)


def renewal_opens_on(label: Label) -> datetime.date:
    """The first day the label's enterprise can apply for its renewal."""
    return add_months(label.valid_until, -label.scheme.renewal_window_months)


def renewal_under_way(label: Label) -> Application | None:
    return label.renewals.filter(state__in=OPEN_STATES).first()


def renewal_refusal(label: Label, today: datetime.date | None = None) -> str | None:
    """Why the label cannot be renewed today, in one sentence, or None when it can."""
    today = today or timezone.localdate()
    status = label.public_status()
    words = {"code": label.code, "status": status.label}
    if status in NOT_REPLACEABLE:
        return _("Label %(code)s is %(status)s: it cannot be renewed while it is.") % words
    if status != PublicStatus.VALID:
        return _("Label %(code)s is %(status)s: apply for a new label instead.") % words
    if today < (opens := renewal_opens_on(label)):
        return _("Label %(code)s can be renewed from %(date)s.") % {
            "code": label.code,
            "date": date_format(opens, "DATE_FORMAT"),
        }
    if (under_way := renewal_under_way(label)) is not None:
        return _("Label %(code)s is being renewed already: application %(reference)s.") % {
            "code": label.code,
            "reference": under_way.reference,
        }
    return None


@transaction.atomic
def start_renewal(*, label: Label, by: User) -> Application:
    """A draft application renewing `label`, prefilled from it: the same product, its measured
    share as the declared one, the production as last described. Documents are added anew."""
    locked = Label.objects.select_for_update(of=("self",)).select_related(
        "product__enterprise", "scheme", "application"
    )
    label = locked.get(pk=label.pk)
    if not is_applicant_of(by, label.product.enterprise_id):
        raise ActionForbidden(_("Only an applicant of the enterprise may renew its label."))
    require([refusal] if (refusal := renewal_refusal(label)) else [])
    try:
        with transaction.atomic():
            application = create_application(
                enterprise=label.product.enterprise,
                by=by,
                product=label.product,
                declared_social_share=label.social_share,
                production_description=label.application.production_description,
                renews=label,
            )
    except IntegrityError as error:  # one_open_renewal_per_label: another renewal was started meanwhile
        raise RequirementsNotMet([_("A renewal of this label is under way already.")]) from error
    record_event(
        action="label.renewal_started",
        by=by,
        target=label,
        application=label.application,
        data={"application": application.reference},
    )
    return application


def succession_unmet(application: Application) -> list[str]:
    """What keeps approving `application` from replacing the product's label: a label that reads
    suspended or revoked keeps its status and reason (renewing it away would hide them)."""
    assert application.product is not None
    blocking = Label.objects.filter(product=application.product, status__in=CURRENT_STATUSES)
    if application.renews_id is not None:
        blocking = blocking | Label.objects.filter(pk=application.renews_id)
    unmet = []
    for label in blocking.select_related("scheme", "product__enterprise").order_by("pk"):
        status = label.public_status()
        if status in NOT_REPLACEABLE:
            unmet.append(
                _("Label %(code)s of this product is %(status)s: a new label cannot replace it while it is.")
                % {"code": label.code, "status": status.label}
            )
    return unmet
