from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN §1; each is a Django group of the same name, so admins assign them."""

    APPLICANT = "applicant", _("applicant")
    AUDITOR = "auditor", _("auditor")
    OFFICER = "officer", _("certification officer")


def has_role(user: object, role: Role) -> bool:
    """True for an authenticated, active user who holds the role; False for anyone anonymous."""
    return bool(getattr(user, "is_authenticated", False)) and role.value in user.roles  # type: ignore[attr-defined]


class User(AbstractUser):
    # The language of the mail this person gets: the one he or she last signed in with.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active or self.pk is None:
            return frozenset()
        return frozenset(self.groups.filter(name__in=Role.values).values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return has_role(self, role)

    def is_member_of(self, enterprise_id: int | None) -> bool:
        return enterprise_id is not None and self.enterprises.filter(pk=enterprise_id).exists()
