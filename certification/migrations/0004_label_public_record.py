"""Labels carry what the public lookup shows of them that changes only when they are issued or
superseded or their product, enterprise or scheme changes, rendered, so that a lookup reads
one row; existing labels get theirs here."""

import orjson
from django.db import migrations, models


def write_public_records(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The record as this migration knows it (a later shape brings its own migration).
    Label = apps.get_model("certification", "Label")
    labels = Label.objects.select_related("product__category", "product__enterprise", "scheme", "superseded_by")
    changed = []
    for label in labels.order_by("pk").iterator(chunk_size=1000):
        product, enterprise = label.product, label.product.enterprise
        label.public_record = orjson.dumps(
            {
                "level": label.level,
                "social_share_percent": float(label.social_share),
                "product": {"name": product.name, "kind": product.kind, "category": product.category.code},
                "enterprise": {
                    "name": enterprise.name,
                    "enterprise_number": enterprise.enterprise_number,
                    "recognition_type": enterprise.recognition_type,
                },
                "scheme": f"{label.scheme.name} {label.scheme.version}",
                "issued_on": label.issued_on.isoformat(),
                "valid_until": label.valid_until.isoformat(),
                "superseded_by": label.superseded_by.code if label.superseded_by_id else None,
            }
        ).decode()
        changed.append(label)
        if len(changed) == 1000:
            Label.objects.bulk_update(changed, ["public_record"])
            changed = []
    Label.objects.bulk_update(changed, ["public_record"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_certificates_and_signing_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="label",
            name="public_record",
            field=models.TextField(
                default="",
                editable=False,
                help_text="What the public lookup shows of the product, enterprise, scheme and successor (JSON).",
                verbose_name="public record",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(write_public_records, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="label",
            constraint=models.CheckConstraint(
                condition=models.Q(("public_record", ""), _negated=True), name="label_public_record_written"
            ),
        ),
    ]
