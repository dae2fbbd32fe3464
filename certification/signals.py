"""Labels keep a copy of what the public lookup shows of their product, enterprise, category
and scheme (Label.public_facts): rewrite the copies that no longer hold, and drop cached
lookups, when that data changes (the admin edits it directly)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.dispatch import receiver

from certification.lookup import forget_labels
from certification.models import Enterprise, Label, Product, ProductCategory, Scheme
from certification.models.labels import enterprise_facts, product_facts
from certification.models.schemes import scheme_name
from certification.services.labels import refresh_public_facts


def _showing(instance: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The labels that show `instance`, and what their copies hold of it while current."""
    if isinstance(instance, Product):
        return {"product": instance}, {"product": product_facts(instance)}
    if isinstance(instance, Enterprise):
        return {"product__enterprise": instance}, {"enterprise": enterprise_facts(instance)}
    if isinstance(instance, ProductCategory):
        return {"product__category": instance}, {"product": {"category": instance.code}}
    return {"scheme": instance}, {"scheme": scheme_name(instance.name, instance.version)}


def _lookups(copied: dict[str, Any], prefix: str = "public_facts") -> dict[str, Any]:
    """{"product": {"name": "X"}} -> {"public_facts__product__name": "X"}"""
    lookups = {}
    for key, value in copied.items():
        if isinstance(value, dict):
            lookups.update(_lookups(value, f"{prefix}__{key}"))
        else:
            lookups[f"{prefix}__{key}"] = value
    return lookups


@receiver(post_save, sender=Product)
@receiver(post_save, sender=Enterprise)
@receiver(post_save, sender=ProductCategory)
@receiver(post_save, sender=Scheme)
def refresh_labels_showing(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    showing, copied = _showing(instance)
    codes = refresh_public_facts(labels=Label.objects.filter(**showing).exclude(**_lookups(copied)))
    if codes:
        transaction.on_commit(partial(forget_labels, codes))
