"""The one hook of the watch into label changes: every public status change of a label writes a
history row (certification's services, whichever of them), so the watch listens to the history
and tells the subscribers in the same transaction; likewise to the changes that time made, which
certification.derived records as they are found. Changes that no row records (expiries) are
found by watch.tasks.tell_expiries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver

from certification.models import DerivedStatusChange, HistoryEvent, Label, PublicStatus
from watch.changes import PUBLIC_ACTIONS, LabelFacts, change_from_event, derived_change
from watch.services import tell_subscribers


@receiver(post_save, sender=HistoryEvent, dispatch_uid="watch-tell-label-change")
def tell_label_change(sender: type[HistoryEvent], instance: HistoryEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.action not in PUBLIC_ACTIONS:
        return
    if instance.target_type_id != ContentType.objects.get_for_model(Label).pk:
        return
    label = Label.objects.select_related("scheme", "product__enterprise").get(pk=instance.target_id)
    change = change_from_event(instance, LabelFacts.of(label))
    if change.status == PublicStatus.VALID and label.public_status() != PublicStatus.VALID:
        # Issued or reinstated while time keeps it from reading valid: no change to valid to
        # tell; certification.derived records what it reads at this instant, and that is told.
        return
    tell_subscribers(change)


@receiver(post_save, sender=DerivedStatusChange, dispatch_uid="watch-tell-derived-change")
def tell_derived_change(
    sender: type[DerivedStatusChange], instance: DerivedStatusChange, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw") or not instance.is_news:
        return
    label = Label.objects.only("code", "issued_on", "valid_until", "public_record").get(pk=instance.label_id)
    tell_subscribers(derived_change(instance, LabelFacts.of(label)))
