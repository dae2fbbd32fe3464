"""The history becomes a hash chain, and the database refuses DELETE and TRUNCATE of its rows
as it already refused UPDATE (issue 11).

The rows already written are chained in the order they were written (time, then id). The
guard of 0002 is lifted while they get their hashes, then replaced by the full guard.
"""

from django.db import migrations, models
import django.utils.timezone

from certification.history_chain import CHAINED_FIELDS, GENESIS_HASH, row_hash
from certification.history_guard import install_history_guard, remove_history_guard


def lift_guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    remove_history_guard(schema_editor.connection)


def guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    install_history_guard(schema_editor.connection)


def chain_existing_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    event_model = apps.get_model("certification", "HistoryEvent")
    head_model = apps.get_model("certification", "HistoryChainHead")
    previous_hash, sequence = GENESIS_HASH, 0
    rows = event_model.objects.order_by("created_at", "pk").values("id", *(f for f in CHAINED_FIELDS if f not in ("sequence", "previous_hash")))
    batch = []
    for row in rows.iterator(chunk_size=1000):
        sequence += 1
        row.update(sequence=sequence, previous_hash=previous_hash)
        previous_hash = row_hash(row)
        batch.append(event_model(pk=row["id"], sequence=sequence, previous_hash=row["previous_hash"], hash=previous_hash))
        if len(batch) == 1000:
            event_model.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
    head_model.objects.update_or_create(pk=1, defaults={"count": sequence, "head_hash": previous_hash})


def unchain(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Going back: the columns go, nothing to undo in the rows."""


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_auditor_qualification"),
    ]

    operations = [
        migrations.RunPython(lift_guard, guard),
        migrations.CreateModel(
            name="HistoryChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("count", models.PositiveBigIntegerField(default=0, verbose_name="rows")),
                (
                    "head_hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                        verbose_name="head hash",
                    ),
                ),
            ],
            options={
                "verbose_name": "history chain head",
                "verbose_name_plural": "history chain head",
            },
        ),
        migrations.AlterModelOptions(
            name="historyevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["created_at", "pk"],
                "verbose_name": "history event",
                "verbose_name_plural": "history",
            },
        ),
        migrations.AlterField(
            model_name="historyevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="time"
            ),
        ),
        migrations.AddField(
            model_name="historyevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historyevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historyevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="position"),
        ),
        migrations.RunPython(chain_existing_rows, unchain),
        migrations.AlterField(
            model_name="historyevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="position"),
        ),
        migrations.RunPython(guard, lift_guard),
    ]
