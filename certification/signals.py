"""Labels keep a rendered record of what the public lookup shows of their product, enterprise,
category and scheme (Label.public_record): when a save changes what a record shows, rewrite
the records of the labels showing it, in the same transaction."""

from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from certification.lookup_cache import EVERY_LABEL, kept_lookups
from certification.models import Application, Enterprise, Label, Product, ProductCategory, Scheme, User
from certification.services.labels import refresh_public_records
from certification.tallies import Key, apply_change, apply_decisions_change, counted, decisions_counted

# What a public record shows of each model, and which labels show it.
SHOWN = {
    Product: (("name", "kind", "category_id"), "product"),
    Enterprise: (("name", "enterprise_number", "recognition_type"), "product__enterprise"),
    ProductCategory: (("code",), "product__category"),
    Scheme: (("name", "version"), "scheme"),
}


@receiver(pre_save, sender=Product)
@receiver(pre_save, sender=Enterprise)
@receiver(pre_save, sender=ProductCategory)
@receiver(pre_save, sender=Scheme)
def note_shown_change(sender: type[Model], instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    fields, _showing = SHOWN[sender]
    instance._changes_public_records = False
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    instance._changes_public_records = before is not None and before != tuple(getattr(instance, f) for f in fields)


@receiver(post_save, sender=Product)
@receiver(post_save, sender=Enterprise)
@receiver(post_save, sender=ProductCategory)
@receiver(post_save, sender=Scheme)
def refresh_labels_showing(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if not getattr(instance, "_changes_public_records", False):
        return
    _fields, showing = SHOWN[sender]
    refresh_public_records(labels=Label.objects.filter(**{showing: instance}))


@receiver(post_save, sender=Label)
@receiver(post_save, sender=Product)
@receiver(post_save, sender=Enterprise)
@receiver(post_save, sender=Scheme)
def forget_kept_lookups(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """The process that makes a change forgets what it kept of it as soon as it commits, without
    waiting for PostgreSQL's notification to reach its listener (certification.lookup_cache)."""
    code = instance.code if sender is Label else EVERY_LABEL
    transaction.on_commit(lambda: kept_lookups.forget(code))


# What a save of each model can change of the labels' tallies (certification.tallies): the
# labels it touches. Read before and after the save, in its transaction.
TALLIED = {
    Label: "pk",
    Product: "product",
    Enterprise: "product__enterprise",
    ProductCategory: "product__category",
}


@receiver(pre_save, sender=Label)
@receiver(pre_save, sender=Product)
@receiver(pre_save, sender=Enterprise)
@receiver(pre_save, sender=ProductCategory)
def note_tallies_before(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    touched = Label.objects.filter(**{TALLIED[sender]: instance.pk}) if instance.pk else Label.objects.none()
    instance._tallied_before = counted(touched)


@receiver(post_save, sender=Label)
@receiver(post_save, sender=Product)
@receiver(post_save, sender=Enterprise)
@receiver(post_save, sender=ProductCategory)
def keep_tallies_in_step(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    after = counted(Label.objects.filter(**{TALLIED[sender]: instance.pk}))
    before = cast(Counter[Key], getattr(instance, "_tallied_before", Counter()))
    apply_change(before, after)


@receiver(pre_save, sender=Application)
def note_decision_before(sender: type[Model], instance: Application, **kwargs: Any) -> None:
    before = Application.objects.filter(pk=instance.pk) if instance.pk else Application.objects.none()
    instance._decision_before = decisions_counted(before)  # type: ignore[attr-defined]


@receiver(post_save, sender=Application)
def keep_decisions_in_step(sender: type[Model], instance: Application, **kwargs: Any) -> None:
    after = decisions_counted(Application.objects.filter(pk=instance.pk))
    before = cast(Counter[tuple[str, int]], getattr(instance, "_decision_before", Counter()))
    apply_decisions_change(before, after)


@receiver(user_logged_in)
def remember_language(sender: type[Model], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The mail a person gets is in the language he or she last signed in with."""
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
