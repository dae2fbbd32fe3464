"""Use cases of the application itself: drafting, submitting, returning, rejecting, withdrawing."""

from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import Application, ApplicationState, Enterprise, Product, Role, Scheme, SchemeStatus, User
from certification.notifications import notify_application_change
from certification.services.history import record_event
from certification.services.workflow import ACTION_CODES, apply_transition, guard_transition, lock_application, require


def _check_draft_fields(
    *, enterprise: Enterprise, product: Product | None, declared_social_share: Decimal | None
) -> None:
    unmet = []
    if product is not None and product.enterprise_id != enterprise.pk:
        unmet.append(_("The product or service must belong to the applying enterprise."))
    if declared_social_share is not None and not Decimal(0) <= declared_social_share <= Decimal(100):
        unmet.append(_("The declared social-economy share must be between 0 and 100 %."))
    require(unmet)


def notify_on_commit(application: Application, name: str, comment: str = "") -> None:
    transaction.on_commit(
        partial(
            notify_application_change,
            application_id=application.pk,
            action=ACTION_CODES[name],
            state=application.state,
            comment=comment,
        )
    )


@transaction.atomic
def create_application(
    *,
    enterprise: Enterprise,
    by: User,
    product: Product | None = None,
    declared_social_share: Decimal | None = None,
    production_description: str = "",
) -> Application:
    if not (by.has_role(Role.APPLICANT) and by.is_member_of(enterprise.pk)):
        raise ActionForbidden(_("Only an applicant of the enterprise may apply for a label for it."))
    _check_draft_fields(enterprise=enterprise, product=product, declared_social_share=declared_social_share)
    application = Application.objects.create(
        enterprise=enterprise,
        product=product,
        declared_social_share=declared_social_share,
        production_description=production_description,
        created_by=by,
    )
    application.reference = f"APP-{application.created_at:%Y}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    record_event(action="application.created", by=by, target=application, application=application, to_state="draft")
    return application


@transaction.atomic
def update_application(
    *,
    application: Application,
    by: User,
    product: Product | None,
    declared_social_share: Decimal | None,
    production_description: str,
) -> Application:
    application = lock_application(application)
    if not (by.has_role(Role.APPLICANT) and by.is_member_of(application.enterprise_id)):
        raise ActionForbidden(_("Only an applicant of the enterprise may change this application."))
    if application.state != ApplicationState.DRAFT:
        raise RequirementsNotMet([_("Only a draft application can be changed.")])
    _check_draft_fields(enterprise=application.enterprise, product=product, declared_social_share=declared_social_share)
    application.product = product
    application.declared_social_share = declared_social_share
    application.production_description = production_description
    application.save(update_fields=["product", "declared_social_share", "production_description", "updated_at"])
    record_event(action="application.updated", by=by, target=application, application=application)
    return application


def _submission_unmet(application: Application, scheme: Scheme | None) -> list[str | None]:
    today = timezone.localdate()
    return [
        None if application.product_id else _("Choose the product or service the label is for."),
        None
        if application.declared_social_share is not None
        else _("Declare the social-economy share of the product or service."),
        None if application.documents.exists() else _("Add at least one document."),
        None
        if application.enterprise.recognition_valid_on(today)
        else _("The enterprise's recognition must be valid: check its recognition number and end date."),
        None if scheme is not None else _("No scheme is open for applications at the moment."),
    ]


@transaction.atomic
def submit_application(*, application: Application, by: User) -> Application:
    application = lock_application(application)
    guard_transition(application, "submit", by=by)
    scheme = Scheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    require(_submission_unmet(application, scheme))
    apply_transition(application, "submit", by=by, scheme=scheme, data={"scheme": str(scheme)})
    notify_on_commit(application, "submit")
    return application


@transaction.atomic
def return_application(*, application: Application, by: User, comment: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "return_to_applicant", by=by)
    require([None if comment.strip() else _("Say what the applicant should change (comment).")])
    apply_transition(application, "return_to_applicant", by=by, comment=comment)
    notify_on_commit(application, "return_to_applicant", comment)
    return application


@transaction.atomic
def reject_application(*, application: Application, by: User, reason: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "reject", by=by)
    require([None if reason.strip() else _("Give the rationale for the rejection (reason).")])
    apply_transition(application, "reject", by=by, comment=reason)
    notify_on_commit(application, "reject", reason)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, by: User, reason: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "withdraw", by=by)
    require([None if reason.strip() else _("Say why the application is withdrawn (reason).")])
    apply_transition(application, "withdraw", by=by, comment=reason)
    notify_on_commit(application, "withdraw", reason)
    return application
