"""Use cases of the application itself: drafting, submitting, returning, rejecting, withdrawing."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.inputs import CommentForm, ReasonForm
from certification.models import (
    Application,
    ApplicationState,
    Enterprise,
    Label,
    Product,
    Scheme,
    SchemeStatus,
    User,
)
from certification.notifications import notify_application_change
from certification.policies import is_applicant_of
from certification.services.history import record_event
from certification.services.workflow import (
    apply_transition,
    guard_transition,
    lock_application,
    require,
    require_text,
)
from certification.transitions import ActionForm, performs, step_of


def _check_draft_fields(
    *, enterprise: Enterprise, product: Product | None, declared_social_share: Decimal | None
) -> None:
    unmet = []
    if product is not None and product.enterprise_id != enterprise.pk:
        unmet.append(_("The product or service must belong to the applying enterprise."))
    if declared_social_share is not None and not Decimal(0) <= declared_social_share <= Decimal(100):
        unmet.append(_("The declared social-economy share must be between 0 and 100 %."))
    require(unmet)


def notify_step(application: Application, name: str, comment: str = "") -> None:
    """Record the mails about the step just taken; they go out once its transaction commits."""
    notify_application_change(application, step_of(Application, name).action, comment)


@transaction.atomic
def create_application(
    *,
    enterprise: Enterprise,
    by: User,
    product: Product | None = None,
    declared_social_share: Decimal | None = None,
    production_description: str = "",
    renews: Label | None = None,
) -> Application:
    """A draft application; `renews` is the label a renewal renews (start_renewal checks it may)."""
    if not is_applicant_of(by, enterprise.pk):
        raise ActionForbidden(_("Only an applicant of the enterprise may apply for a label for it."))
    _check_draft_fields(enterprise=enterprise, product=product, declared_social_share=declared_social_share)
    application = Application.objects.create(
        enterprise=enterprise,
        product=product,
        declared_social_share=declared_social_share,
        production_description=production_description,
        renews=renews,
        created_by=by,
    )
    application.reference = f"APP-{application.created_at:%Y}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    record_event(
        action="application.created",
        by=by,
        target=application,
        application=application,
        to_state="draft",
        data={"renews": renews.code} if renews else None,
    )
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
    if not is_applicant_of(by, application.enterprise_id):
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


def _submission_unmet(application: Application, scheme: Scheme | None) -> list[str]:
    unmet = []
    if not application.product_id:
        unmet.append(_("Choose the product or service the label is for."))
    if application.declared_social_share is None:
        unmet.append(_("Declare the social-economy share of the product or service."))
    if not application.documents.exists():
        unmet.append(_("Add at least one document."))
    if not application.enterprise.recognition_valid_on(timezone.localdate()):
        unmet.append(_("The enterprise's recognition must be valid: check its recognition number and end date."))
    if scheme is None:
        unmet.append(_("No scheme is open for applications at the moment."))
    return unmet


@performs(Application, "submit", form=ActionForm)
@transaction.atomic
def submit_application(*, application: Application, by: User) -> Application:
    application = lock_application(application)
    guard_transition(application, "submit", by=by)
    scheme = Scheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    require(_submission_unmet(application, scheme))
    apply_transition(application, "submit", by=by, scheme=scheme, data={"scheme": str(scheme)})
    notify_step(application, "submit")
    return application


@performs(Application, "return_to_applicant", form=CommentForm)
@transaction.atomic
def return_application(*, application: Application, by: User, comment: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "return_to_applicant", by=by)
    require_text(comment, _("Say what the applicant should change (comment)."))
    apply_transition(application, "return_to_applicant", by=by, comment=comment)
    notify_step(application, "return_to_applicant", comment)
    return application


@performs(Application, "reject", form=ReasonForm)
@transaction.atomic
def reject_application(*, application: Application, by: User, reason: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "reject", by=by)
    require_text(reason, _("Give the reason for the rejection (reason)."))
    apply_transition(application, "reject", by=by, comment=reason)
    notify_step(application, "reject", reason)
    return application


@performs(Application, "withdraw", form=ReasonForm)
@transaction.atomic
def withdraw_application(*, application: Application, by: User, reason: str) -> Application:
    application = lock_application(application)
    guard_transition(application, "withdraw", by=by)
    require_text(reason, _("Say why the application is withdrawn (reason)."))
    apply_transition(application, "withdraw", by=by, comment=reason)
    notify_step(application, "withdraw", reason)
    return application
