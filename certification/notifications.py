"""Mail to the people an application change concerns, each in his or her language.

Recorded in the outbox in the transaction of the change (one mail per change and recipient),
delivered by the task worker only after that transaction commits."""

from django.db.models import Q
from django.utils.translation import gettext as _

from background.outbox import in_language, queue_mail
from certification.models import Application, ApplicationState, HistoryEvent, Role, User
from certification.transitions import Recipient, step_for_action


def recipients_for(application: Application, action: str) -> list[User]:
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
    return list(users.order_by("email"))


def notify_application_change(application: Application, action: str, comment: str = "") -> None:
    """Tell who it concerns that the application reached its current state through `action`.

    Called in the transaction of the change, after its history row: that row names the change,
    so each recipient gets one mail for it however often it is told."""
    change_id = HistoryEvent.objects.filter(application=application, action=action).latest("sequence").sequence
    for user in recipients_for(application, action):
        with in_language(user.language):
            state = ApplicationState(application.state).label
            subject = _("%(reference)s is now %(state)s") % {"reference": application.reference, "state": state}
            sentence = _("Application %(reference)s of %(enterprise)s for %(product)s is now %(state)s.") % {
                "reference": application.reference,
                "enterprise": application.enterprise.name,
                "product": application.product or "-",
                "state": state,
            }
        queue_mail(
            key=f"application:{application.pk}:{change_id}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body="\n\n".join(part for part in (sentence, comment) if part),
        )
