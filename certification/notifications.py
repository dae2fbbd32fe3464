"""Mail to the people an application change concerns; sent only after the change commits."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils.translation import gettext as _

from certification.models import Application, ApplicationState, Role, User
from certification.transitions import Recipient, step_for_action

logger = logging.getLogger(__name__)


def recipients_for(application: Application, action: str) -> list[str]:
    step = step_for_action(action)
    groups = step.notify if step else ()
    who = Q(pk__in=[])
    if Recipient.APPLICANTS in groups:
        who |= Q(enterprises=application.enterprise_id, groups__name=Role.APPLICANT)
    if Recipient.OFFICERS in groups:
        who |= Q(groups__name=Role.OFFICER)
    if Recipient.AUDITOR in groups and application.auditor_id:
        who |= Q(pk=application.auditor_id)
    users = User.objects.filter(who, is_active=True).exclude(email="").distinct()
    return sorted(users.values_list("email", flat=True))


def notify_application_change(*, application_id: int, action: str, state: str, comment: str = "") -> None:
    """Tell who it concerns that the application reached `state` (the state of that change,
    not the current one: several changes may commit together)."""
    application = Application.objects.select_related("enterprise", "product").get(pk=application_id)
    addresses = recipients_for(application, action)
    if not addresses:
        return
    state_label = ApplicationState(state).label
    subject = _("%(reference)s is now %(state)s") % {"reference": application.reference, "state": state_label}
    body = "\n\n".join(
        part
        for part in (
            _("Application %(reference)s of %(enterprise)s for %(product)s is now %(state)s.")
            % {
                "reference": application.reference,
                "enterprise": application.enterprise.name,
                "product": application.product or "-",
                "state": state_label,
            },
            comment,
        )
        if part
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    try:
        send_mass_mail(messages)
    except OSError:  # the change stands; a mail server outage must not undo it
        logger.exception("Could not send the mail about %s of application %s", action, application_id)
