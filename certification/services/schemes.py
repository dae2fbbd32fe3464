"""Scheme versions: a draft is edited, activated once (freezing it), and copied to make the next."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, SchemeLocked
from certification.models import CriterionKind, ProductCategory, Scheme, SchemeStatus, User
from certification.policies import may_administer
from certification.services.history import record_event
from certification.services.workflow import require


def _check_administrator(by: User) -> None:
    if not may_administer(by):
        raise ActionForbidden(_("Only a certification officer or an administrator may manage schemes."))


def activation_unmet(scheme: Scheme) -> list[str]:
    """What a draft lacks to be activated, one sentence each."""
    if not scheme.criteria.exists():
        return [_("A scheme needs at least one criterion.")]
    unmet = []
    share = list(scheme.criteria.filter(kind=CriterionKind.SOCIAL_SHARE).prefetch_related("categories"))
    if len(share) != 1 or not share[0].mandatory or share[0].categories.all():
        unmet.append(
            _("A scheme needs exactly one share criterion (measured from hours), mandatory and for every category.")
        )
    quality = scheme.criteria.filter(mandatory=True, product_quality=True)
    lacking = [
        category.name
        for category in ProductCategory.objects.order_by("code")
        if not quality.filter(Q(categories__isnull=True) | Q(categories=category)).exists()
    ]
    if lacking:
        unmet.append(
            _("Every product category needs a mandatory product-quality criterion; none for: %(categories)s.")
            % {"categories": ", ".join(lacking)}
        )
    return unmet


@transaction.atomic
def activate_scheme(*, scheme: Scheme, by: User) -> Scheme:
    """Make this draft the scheme new applications are assessed against; the previous one retires."""
    _check_administrator(by)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != SchemeStatus.DRAFT:
        raise SchemeLocked(_("Only a draft scheme can be activated."))
    require(activation_unmet(scheme))
    for previous in Scheme.objects.select_for_update().filter(status=SchemeStatus.ACTIVE):
        previous.status = SchemeStatus.RETIRED
        previous.save(update_fields=["status"])
        record_event(action="scheme.retired", by=by, target=previous, from_state="active", to_state="retired")
    scheme.status, scheme.activated_at = SchemeStatus.ACTIVE, timezone.now()
    scheme.save(update_fields=["status", "activated_at"])
    record_event(action="scheme.activated", by=by, target=scheme, from_state="draft", to_state="active")
    return scheme


@transaction.atomic
def copy_scheme(*, scheme: Scheme, version: str, by: User) -> Scheme:
    """A new draft version with the same settings and criteria, to edit and activate later."""
    _check_administrator(by)
    unmet = []
    if not version.strip():
        unmet.append(_("Give the new version a name."))
    if Scheme.objects.filter(name=scheme.name, version=version).exists():
        unmet.append(_("Version %(version)s exists already.") % {"version": version})
    require(unmet)
    copy = Scheme.objects.create(
        name=scheme.name,
        version=version.strip(),
        validity_months=scheme.validity_months,
        surveillance_months=scheme.surveillance_months,
        level_1_min_share=scheme.level_1_min_share,
        level_2_min_share=scheme.level_2_min_share,
        level_3_min_share=scheme.level_3_min_share,
        reference_period_months=scheme.reference_period_months,
        max_share_gap=scheme.max_share_gap,
        min_quality_score=scheme.min_quality_score,
    )
    # Not prefetched: a prefetched instance keeps the original's categories in its cache, and
    # `set` on the copy would then think them set already and leave the copy for every category.
    for criterion in scheme.criteria.all():
        categories = list(criterion.categories.all())
        criterion.pk, criterion.scheme = None, copy
        criterion._state.adding = True
        criterion.save()
        criterion.categories.set(categories)
    record_event(action="scheme.created", by=by, target=copy, to_state="draft", data={"copied_from": str(scheme)})
    return copy
