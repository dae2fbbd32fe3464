"""A new password ends every API token of its user (issue 11).

Sessions end by themselves: Django keeps a hash of the password in each session and signs
out a session whose hash no longer matches (the page that changes the password keeps its own).
"""

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver

from certification.models import User
from certification.services.tokens import revoke_all_api_tokens


@receiver(pre_save, sender=User, dispatch_uid="api-revoke-tokens-on-new-password")
def revoke_tokens_on_new_password(
    sender: type[User], instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        revoke_all_api_tokens(user_id=instance.pk)
