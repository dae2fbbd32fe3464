"""Who may do what to which object, and if not, why: the one place that decides.

Services call `check` on the locked object before they act; the pages, the API and the admin
ask `refusal` and `allowed_transitions` to show what is possible. A refusal is a domain error
whose class says how it is answered (403: not yours to do; 409: not now) and whose sentence
says why, so that a person is told the same thing on a page and through the API.

The rules (DESIGN §1, §4, §12):
- an applicant acts for the enterprises he or she is a member of;
- a certification officer holds the officer role (an administrator is not an officer);
- an auditor acts on the audits assigned to him or her;
- nobody schedules, audits or decides for an enterprise he or she is a member of, and the
  officer who decides did not audit (four eyes);
- a complaint or an appeal is handled by an officer who had no part in what it is about (the
  object's own `involvement`);
- the officers told that something waits for a decision are those these rules let decide it
  (`deciding_officers`);
- a change affecting certification is notified by an applicant of the label's enterprise, for a
  current label (`change_notification_refusal`).
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.exceptions import ActionForbidden, DomainError, RequirementsNotMet, TransitionNotAllowed
from certification.models.accounts import Role, User, has_role
from certification.transitions import Step, available, state_display, state_of, step_of, steps, words_of

# Who may call an endpoint or open a page at all, by role (DESIGN §1): the API and the pages say it alike.
ROLE_NOT_ALLOWED = gettext_lazy("Your role does not allow this.")

if TYPE_CHECKING:
    from certification.models import Application, Label


def acting_user(request: HttpRequest) -> User:
    """The signed-in person a page or an endpoint acts for; refused when there is none."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise ActionForbidden(_("Sign in to do this."))
    return user


def is_officer(user: object) -> bool:
    return has_role(user, Role.OFFICER)


def is_applicant_of(user: object, enterprise_id: int | None) -> bool:
    return has_role(user, Role.APPLICANT) and isinstance(user, User) and user.is_member_of(enterprise_id)


def is_assigned_auditor(user: object, application: "Application") -> bool:
    auditor_id = application.auditor_id
    return has_role(user, Role.AUDITOR) and auditor_id is not None and auditor_id == getattr(user, "pk", None)


def recording_refusal(user: object, application: "Application", *, doing: str) -> DomainError | None:
    """Why this person may not record assessments and findings on the application's audit now
    (`doing` says what, in words), or None: only its auditor, only while it is in progress."""
    from certification.models import ApplicationState  # the models import this module

    if not is_assigned_auditor(user, application):
        return ActionForbidden(_("Only the assigned auditor may %(doing)s.") % {"doing": doing})
    if application.state != ApplicationState.AUDIT_IN_PROGRESS:
        return TransitionNotAllowed(
            _("You can %(doing)s only while the audit is in progress; the application is %(state)s.")
            % {"doing": doing, "state": application.get_state_display()},
            state=application.state,
            allowed=[],
        )
    return None


def may_administer(user: object) -> bool:
    """Reference data (schemes, categories, enterprises) is kept by officers and administrators."""
    return is_officer(user) or bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def membership_conflict(user: User, enterprise_id: int | None) -> str | None:
    """Impartiality: why this person may not act for this enterprise (a member of it, or a
    declared conflict of interest that has not ended), or None."""
    if enterprise_id is None:
        return None
    if user.is_member_of(enterprise_id):
        return _("%(user)s is a member of the applying enterprise: a conflict of interest.") % {
            "user": user.get_username()
        }
    declared = user.declared_conflicts.filter(enterprise_id=enterprise_id).exclude(until__lt=timezone.localdate())
    if reason := declared.values_list("reason", flat=True).first():
        return _("%(user)s declared a conflict of interest with the applying enterprise: %(reason)s") % {
            "user": user.get_username(),
            "reason": reason,
        }
    return None


def auditor_conflict(*, application: "Application", auditor: User) -> str | None:
    """Why this user cannot audit this application, or None when he or she can: an auditor,
    qualified for the product's category until at least the audit, without a conflict."""
    if not (auditor.is_active and auditor.has_role(Role.AUDITOR)):
        return _("%(user)s is not an auditor.") % {"user": auditor.get_username()}
    category = application.product.category if application.product else None
    qualified = auditor.qualifications.filter(category=category, valid_until__gte=timezone.localdate())
    if category is not None and not qualified.exists():
        return _("%(user)s is not qualified to audit %(category)s.") % {
            "user": auditor.get_username(),
            "category": category.name,
        }
    return membership_conflict(auditor, application.enterprise_id)


def eligible_auditors(*, application: "Application") -> list[User]:
    """The auditors an officer may assign to this application."""
    auditors = User.objects.filter(groups__name=Role.AUDITOR, is_active=True).order_by("username").distinct()
    return [auditor for auditor in auditors if auditor_conflict(application=application, auditor=auditor) is None]


# The transitions' permissions, as django-fsm asks them: the object first, then anyone.
def applicant_may(application: Any, user: object) -> bool:
    return is_applicant_of(user, application.enterprise_id)


def officer_may(target: Any, user: object) -> bool:
    return is_officer(user)


def assigned_auditor_may(application: Any, user: object) -> bool:
    return is_assigned_auditor(user, application)


def _actor_refusal(target: models.Model, step: Step, user: User) -> str | None:
    """Why this person, who holds the step's role, may still not take it on this object."""
    if step.impartial and (conflict := membership_conflict(user, getattr(target, "enterprise_id", None))):
        return conflict
    involvement = getattr(target, "involvement", None)
    if step.impartial and involvement is not None and (part := involvement(user)):
        return str(part)
    if step.four_eyes and getattr(target, "auditor_id", None) == user.pk:
        return _("You audited this application: another certification officer decides on it (four eyes).")
    return None


def _forbidden(target: models.Model, step: Step) -> ActionForbidden:
    return ActionForbidden(words_of(target).forbidden % {"actor": step.actor, "step": step.button})


def refusal(target: models.Model, name: str, *, user: User) -> DomainError | None:
    """Why `user` may not take transition `name` on `target` now, or None when he or she may.

    First the role (never yours: forbidden), then the state (not now: not allowed), then who
    exactly (your enterprise, your audit, impartiality, four eyes: forbidden)."""
    step = step_of(type(target), name)
    if not has_role(user, step.role):
        return _forbidden(target, step)
    transition = next((t for t in available(target) if t.name == name), None)
    if transition is None:
        return TransitionNotAllowed(
            words_of(target).not_now % {"step": step.button, "state": state_display(target)},
            state=state_of(target),
            allowed=allowed_transitions(target, user=user),
        )
    if reason := _actor_refusal(target, step, user):
        return ActionForbidden(reason)
    if not transition.has_perm(target, user):
        return _forbidden(target, step)
    return None


def check(target: models.Model, name: str, *, by: User) -> None:
    """Raise the refusal, if any: services call this on the locked object before acting."""
    if (error := refusal(target, name, user=by)) is not None:
        raise error


def allowed_transitions(target: models.Model, *, user: User) -> list[str]:
    """The transitions this person may take on this object now, in their declared order."""
    possible = {t.name: t for t in available(target)}
    return [
        name
        for name, step in steps(type(target)).items()
        if name in possible
        and has_role(user, step.role)
        and _actor_refusal(target, step, user) is None
        and possible[name].has_perm(target, user)
    ]


def _enterprise_of(target: models.Model) -> int | None:
    """The enterprise an object is about: its own, or (a label) its product's."""
    if (enterprise_id := getattr(target, "enterprise_id", None)) is not None:
        return int(enterprise_id)
    product = getattr(target, "product", None)
    return getattr(product, "enterprise_id", None)


def deciding_officers(target: models.Model) -> list[User]:
    """The certification officers who may decide on `target` as far as impartiality goes, in the
    order of their e-mail addresses: the one answer to "which officers are told that it waits for
    a decision". Refused are a member of its enterprise or an officer who declared a conflict with
    it, and those its officers' steps refuse (a part in what it is about, its auditor where four
    eyes apply) unless one of those steps is still theirs to take."""
    enterprise_id = _enterprise_of(target)
    officer_steps = [step for step in steps(type(target)).values() if step.role == Role.OFFICER]
    officers = User.objects.filter(groups__name=Role.OFFICER, is_active=True).distinct().order_by("email", "pk")
    return [
        officer
        for officer in officers
        if membership_conflict(officer, enterprise_id) is None
        and (not officer_steps or any(_actor_refusal(target, step, officer) is None for step in officer_steps))
    ]


def change_notification_refusal(user: object, label: "Label") -> DomainError | None:
    """Why this person may not notify a change affecting the certification of `label` now, or
    None: only an applicant of its enterprise (403), only for a current label, active or
    suspended (400)."""
    from certification.models import LabelStatus  # the models import this module

    if not is_applicant_of(user, label.product.enterprise_id):
        return ActionForbidden(_("Only an applicant of the enterprise may notify a change to its label."))
    if label.status not in (LabelStatus.ACTIVE, LabelStatus.SUSPENDED):
        return RequirementsNotMet([_("Only a current label (active or suspended) can be affected by a change.")])
    return None
