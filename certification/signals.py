"""Cached public lookups show product, enterprise, category and scheme data: drop them when
that data changes (the admin edits it directly)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.dispatch import receiver

from certification.lookup import forget_labels
from certification.models import Enterprise, Label, Product, ProductCategory, Scheme

SHOWN_IN_LOOKUPS = {
    Product: "product",
    Enterprise: "product__enterprise",
    ProductCategory: "product__category",
    Scheme: "scheme",
}


@receiver(post_save, sender=Product)
@receiver(post_save, sender=Enterprise)
@receiver(post_save, sender=ProductCategory)
@receiver(post_save, sender=Scheme)
def forget_lookups_showing(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    codes = list(Label.objects.filter(**{SHOWN_IN_LOOKUPS[sender]: instance}).values_list("code", flat=True))
    if codes:
        transaction.on_commit(partial(forget_labels, codes))
