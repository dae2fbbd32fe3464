"""The registry's search that scales: labels carry a normalised search text (product, enterprise,
code) and the time of their last change; indexes serve every ordering the registry offers (with
the code, for its keyset pagination) and, on PostgreSQL, a trigram index the substring search.

The trigram index is made here with SQL on PostgreSQL only, not declared on the model: SQLite
has no GIN, and a model-declared GinIndex would be recreated (and fail) whenever SQLite
rebuilds the table for a later change to Label."""

import re
import unicodedata

from django.db import migrations, models

TRIGRAM_INDEX = "label_search_text_trgm"


def normalise(text):  # type: ignore[no-untyped-def]
    # As certification.search knows it today (a later change brings its own migration).
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", " ", letters.casefold()).strip()


def write_search_texts(apps, schema_editor):  # type: ignore[no-untyped-def]
    Label = apps.get_model("certification", "Label")
    changed = []
    for label in Label.objects.select_related("product__enterprise").order_by("pk").iterator(chunk_size=1000):
        names = (normalise(label.product.name), normalise(label.product.enterprise.name), normalise(label.code))
        label.search_text = " | ".join((*names, label.code.replace("-", "").lower()))
        changed.append(label)
        if len(changed) == 1000:
            Label.objects.bulk_update(changed, ["search_text"])
            changed = []
    Label.objects.bulk_update(changed, ["search_text"])


def add_trigram_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted: no superuser needed
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON certification_label USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The extension stays: something else may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0008_credential_register"),
    ]

    operations = [
        migrations.AddField(
            model_name="label",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="label",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["issued_on", "code"], name="label_issued_on_code"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["valid_until", "code"], name="label_valid_until_code"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["level", "code"], name="label_level_code"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["social_share", "code"], name="label_social_share_code"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["search_text", "code"], name="label_search_text_code"),
        ),
        migrations.RunPython(write_search_texts, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
