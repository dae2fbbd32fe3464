"""Labels carry a copy of what the public lookup shows of their product, enterprise, scheme
and successor, so that a lookup reads one row; existing labels get theirs here."""

from django.db import migrations, models


def copy_public_facts(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The copy as this migration knows it (later code may shape it differently and must bring
    # its own migration).
    Label = apps.get_model("certification", "Label")
    labels = Label.objects.select_related("product__category", "product__enterprise", "scheme", "superseded_by")
    changed = []
    for label in labels.order_by("pk").iterator(chunk_size=1000):
        product, enterprise = label.product, label.product.enterprise
        label.public_facts = {
            "product": {"name": product.name, "kind": product.kind, "category": product.category.code},
            "enterprise": {
                "name": enterprise.name,
                "enterprise_number": enterprise.enterprise_number,
                "recognition_type": enterprise.recognition_type,
            },
            "scheme": f"{label.scheme.name} {label.scheme.version}",
            "superseded_by": label.superseded_by.code if label.superseded_by_id else None,
        }
        changed.append(label)
        if len(changed) == 1000:
            Label.objects.bulk_update(changed, ["public_facts"])
            changed = []
    Label.objects.bulk_update(changed, ["public_facts"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_certificates_and_signing_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="label",
            name="public_facts",
            field=models.JSONField(
                default=dict,
                editable=False,
                help_text="The product, enterprise, scheme and successor as the public lookup shows them.",
                verbose_name="facts shown to the public",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_public_facts, migrations.RunPython.noop, elidable=True),
    ]
