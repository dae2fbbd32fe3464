from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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


class ApiToken(models.Model):
    """One of a user's API keys, named by its owner. Only a SHA-256 of the key is kept: the key
    itself is shown once, when it is made, and whoever reads the database cannot use it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class AttemptCounter(models.Model):
    """Attempts counted against one budget (failed sign-ins of a username from an address, all
    failed sign-ins from an address, password-reset mails of an account...), in the database so
    that every web process counts the same, and under a row lock so that none counts twice."""

    key = models.CharField(max_length=100, unique=True)  # "<budget>:<SHA-256 of what it counts>"
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    spent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
