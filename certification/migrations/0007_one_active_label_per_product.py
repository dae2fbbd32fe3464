"""A product holds at most one current label: active, or suspended (which reinstating would make
valid again). Approvals that ran at the same time before this constraint could leave several;
the most recently issued stays, the others are superseded by it, each with a history row, as a
renewal would have done."""

import orjson
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

CURRENT = ["active", "suspended"]


def supersede_all_but_the_newest(apps, schema_editor):  # type: ignore[no-untyped-def]
    Label = apps.get_model("certification", "Label")
    HistoryEvent = apps.get_model("certification", "HistoryEvent")
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
            HistoryEvent.objects.create(
                action="label.superseded",
                actor=None,
                target_type=label_type,
                target_id=label.pk,
                application_id=label.application_id,
                from_state=label.status,
                to_state="superseded",
                comment=reason,
                data={"successor": newest.code, "by": "migration 0007_one_active_label_per_product"},
            )
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now: PostgreSQL builds no index on a table with checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_label_public_record"),
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
