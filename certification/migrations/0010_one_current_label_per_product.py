"""A product holds at most one current label: active, or suspended (which reinstating would make
valid again). Approvals that ran at the same time before this constraint could leave several;
the most recently issued stays, the others are superseded by it, each with a history row, as a
renewal would have done."""

import orjson
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

from certification.history_chain import row_hash

CURRENT = ["active", "suspended"]


def _append_to_history(apps, **fields):  # type: ignore[no-untyped-def]
    """One history row at the end of the hash chain, as certification.services.history writes it."""
    HistoryEvent = apps.get_model("certification", "HistoryEvent")
    HistoryChainHead = apps.get_model("certification", "HistoryChainHead")
    head, _created = HistoryChainHead.objects.get_or_create(pk=1)
    row = {**fields, "created_at": timezone.now(), "sequence": head.count + 1, "previous_hash": head.head_hash}
    row["hash"] = row_hash(row)
    HistoryEvent.objects.create(**row)
    HistoryChainHead.objects.filter(pk=1).update(count=row["sequence"], head_hash=row["hash"])


def supersede_all_but_the_newest(apps, schema_editor):  # type: ignore[no-untyped-def]
    Label = apps.get_model("certification", "Label")
    ContentType = apps.get_model("contenttypes", "ContentType")
    label_type, _created = ContentType.objects.get_or_create(app_label="certification", model="label")
    current = Label.objects.filter(status__in=CURRENT)
    crowded = current.values("product_id").annotate(n=Count("pk")).filter(n__gt=1).values_list("product_id", flat=True)
    for product_id in crowded:
        newest, *older = current.filter(product_id=product_id).order_by("-issued_on", "-pk")
        for label in older:
            record = orjson.loads(label.public_record)
            record["superseded_by"] = newest.code
            reason = f"Replaced by label {newest.code}."
            Label.objects.filter(pk=label.pk).update(
                status="superseded",
                superseded_by=newest,
                status_reason=reason,
                status_reason_category="renewed",
                status_changed_at=timezone.now(),
                public_record=orjson.dumps(record).decode(),
            )
            _append_to_history(
                apps,
                action="label.superseded",
                actor_id=None,
                target_type_id=label_type.pk,
                target_id=label.pk,
                application_id=label.application_id,
                from_state=label.status,
                to_state="superseded",
                comment=reason,
                data={"successor": newest.code, "by": "migration 0010_one_current_label_per_product"},
            )
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now: PostgreSQL builds no index on a table with checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0009_registry_search"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(supersede_all_but_the_newest, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="label",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["active", "suspended"])),
                fields=("product",),
                name="one_current_label_per_product",
                violation_error_message="This product or service already holds a current label.",
            ),
        ),
    ]
