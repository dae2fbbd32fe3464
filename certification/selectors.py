"""Reads, scoped to the user who asks: what is not yours does not exist (404)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from certification.models import ApiToken, Application, ApplicationState, Change, Criterion, Label, Product, Role, User
from certification.models.accounts import has_role


def applications_visible_to(*, user: User) -> QuerySet[Application]:
    """Officers see every application, auditors those they audit, applicants their enterprises'."""
    applications = Application.objects.select_related("enterprise", "product", "product__category", "scheme")
    if not user.is_authenticated:
        return applications.none()
    if has_role(user, Role.OFFICER):
        return applications
    scope = Q(pk__in=[])
    if has_role(user, Role.AUDITOR):
        scope |= Q(audit__auditor=user)
    if has_role(user, Role.APPLICANT):
        scope |= Q(enterprise__members=user)
    return applications.filter(scope).distinct()


def applications_per_state() -> dict[str, int]:
    """How many applications are in each state (every state, zeros included): the officers' queue."""
    counts = dict(Application.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {state.value: counts.get(state.value, 0) for state in ApplicationState}


# A product can change while no application for it went past these: assessments refer to it.
PRODUCT_EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)


def assessed_applications(product: OuterRef | Product) -> QuerySet[Application]:
    return Application.objects.filter(product=product).exclude(state__in=PRODUCT_EDITABLE_STATES)


def products_visible_to(*, user: User) -> QuerySet[Product]:
    """Officers see every product and service, applicants their enterprises'; `frozen` says
    whether it can still change."""
    products = Product.objects.select_related("category", "enterprise").annotate(
        frozen=Exists(assessed_applications(OuterRef("pk")))
    )
    if has_role(user, Role.OFFICER):
        return products
    return products.filter(enterprise__members=user) if user.is_authenticated else products.none()


def applicable_criteria(*, application: Application) -> QuerySet[Criterion]:
    """The criteria of the application's frozen scheme that apply to its product's category."""
    if application.scheme_id is None or application.product is None:
        return Criterion.objects.none()
    return (
        Criterion.objects.filter(scheme_id=application.scheme_id)
        .filter(Q(categories__isnull=True) | Q(categories=application.product.category_id))
        .distinct()
        .order_by("position", "code")
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first; another user's token is not among them (404)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def labels_held_by(*, user: User) -> QuerySet[Label]:
    """The labels of the applicant's enterprises; officers, every label. Others: none."""
    labels = Label.objects.select_related("product__enterprise", "scheme")
    if has_role(user, Role.OFFICER):
        return labels
    if has_role(user, Role.APPLICANT):
        return labels.filter(product__enterprise__members=user).distinct()
    return labels.none()


def changes_visible_to(*, user: User) -> QuerySet[Change]:
    """Officers see every change, applicants their enterprises'."""
    changes = Change.objects.select_related("label__product__enterprise", "label__application", "notified_by")
    if has_role(user, Role.OFFICER):
        return changes
    if has_role(user, Role.APPLICANT):
        return changes.filter(Q(label__product__enterprise__members=user)).distinct()
    return changes.none()
