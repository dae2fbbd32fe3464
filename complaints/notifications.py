"""Mail about a complaint: the complainant at each stage, the enterprise that a complaint about it
exists and its outcome, never who complained. Recorded in the outbox in the transaction of the
change (one mail per change and recipient), each in its recipient's language."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from background.outbox import in_language, queue_mail
from certification.models import HistoryEvent, Role, User
from complaints.models import Complaint, ComplaintState

# The stages the enterprise is told of: that a complaint is being handled, and its outcome.
TOLD_TO_THE_ENTERPRISE = (ComplaintState.ACKNOWLEDGED, ComplaintState.UPHELD, ComplaintState.NOT_UPHELD)


def status_url(complaint: Complaint) -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('web:complaint', args=[complaint.tracking_number])}"


def notify_complaint_change(complaint: Complaint, event: HistoryEvent) -> None:
    """Tell who it concerns that the complaint reached its current stage through `event`."""
    if complaint.email:
        _tell_the_complainant(complaint, event)
    if complaint.state in TOLD_TO_THE_ENTERPRISE:
        for user in _enterprise_applicants(complaint):
            _tell_the_enterprise(complaint, event, user)


def _tell_the_complainant(complaint: Complaint, event: HistoryEvent) -> None:
    with in_language(complaint.language):
        stage = ComplaintState(complaint.state).label
        subject = _("Your complaint %(number)s: %(stage)s") % {"number": complaint.tracking_number, "stage": stage}
        lines = [
            _("Your complaint %(number)s is now %(stage)s.") % {"number": complaint.tracking_number, "stage": stage}
        ]
        if complaint.state == ComplaintState.RECEIVED:
            lines.append(
                _("It will be acknowledged by %(date)s at the latest.")
                % {"date": date_format(complaint.acknowledge_by)}
            )
        if complaint.state == ComplaintState.ACKNOWLEDGED and complaint.decide_by:
            lines.append(_("A decision is due by %(date)s.") % {"date": date_format(complaint.decide_by)})
        lines.append(_("Follow it at %(url)s") % {"url": status_url(complaint)})
    queue_mail(
        key=f"complaint:{complaint.pk}:{event.sequence}:complainant",
        to=complaint.email,
        language=complaint.language,
        subject=subject,
        body="\n\n".join(lines),
    )


def _enterprise_applicants(complaint: Complaint) -> list[User]:
    users = User.objects.filter(
        enterprises=complaint.enterprise_id, groups__name=Role.APPLICANT, is_active=True
    ).exclude(email="")
    return list(users.distinct().order_by("email"))


def _tell_the_enterprise(complaint: Complaint, event: HistoryEvent, user: User) -> None:
    with in_language(user.language):
        about = (
            _("your label %(code)s") % {"code": complaint.label.code} if complaint.label else complaint.enterprise.name
        )
        if complaint.state == ComplaintState.ACKNOWLEDGED:
            subject = _("A complaint about %(about)s") % {"about": about}
            body = _(
                "The certification body received a complaint about %(about)s and is handling it. "
                "An officer with no part in your certification will contact you if the investigation needs you."
            ) % {"about": about}
        else:
            outcome = ComplaintState(complaint.state).label
            subject = _("The complaint about %(about)s: %(outcome)s") % {"about": about, "outcome": outcome}
            body = _("The complaint about %(about)s was decided: %(outcome)s.") % {"about": about, "outcome": outcome}
    queue_mail(
        key=f"complaint:{complaint.pk}:{event.sequence}:user:{user.pk}",
        to=user.email,
        language=user.language,
        subject=subject,
        body=body,
    )
