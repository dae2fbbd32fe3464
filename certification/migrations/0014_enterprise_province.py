"""Enterprises keep their province, from their postal code by certification.provinces (the one
rule: this migration places the enterprises there are by it, as Enterprise.save() places every
later change); the registry filters on it and the statistics count by it, through its index."""

from django.db import migrations, models

from certification.provinces import province_of


def place_enterprises(apps, schema_editor):  # type: ignore[no-untyped-def]
    Enterprise = apps.get_model("certification", "Enterprise")
    placed = []
    for enterprise in Enterprise.objects.only("pk", "postal_code").order_by("pk").iterator(chunk_size=1000):
        enterprise.province = province_of(enterprise.postal_code)
        placed.append(enterprise)
    Enterprise.objects.bulk_update(placed, ["province"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0013_attempt_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="province",
            field=models.CharField(
                choices=[
                    ("brussels", "Brussels-Capital Region"),
                    ("walloon_brabant", "Walloon Brabant"),
                    ("flemish_brabant", "Flemish Brabant"),
                    ("antwerp", "Antwerp"),
                    ("limburg", "Limburg"),
                    ("liege", "Liège"),
                    ("namur", "Namur"),
                    ("hainaut", "Hainaut"),
                    ("luxembourg", "Luxembourg"),
                    ("west_flanders", "West Flanders"),
                    ("east_flanders", "East Flanders"),
                    ("unknown", "unknown"),
                ],
                db_index=True,
                default="unknown",
                editable=False,
                max_length=16,
                verbose_name="province",
            ),
        ),
        migrations.RunPython(place_enterprises, migrations.RunPython.noop),
    ]
