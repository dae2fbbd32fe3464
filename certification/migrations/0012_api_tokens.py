"""Several named API tokens per user, kept as hashes. The tokens of rest_framework.authtoken
(one per user, its key in clear) are carried over as hashes, so nobody is signed out, and
their table is dropped: the keys it held in clear are gone from the database."""

import hashlib
from datetime import UTC, timedelta

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def hash_the_old_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("certification", "ApiToken")
    lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608 (a constant)
        rows = cursor.fetchall()
    tokens = []
    for key, user_id, created in rows:
        if isinstance(created, str):
            created = parse_datetime(created)
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        tokens.append(
            ApiToken(
                user_id=user_id,
                name="API",
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                created_at=created,
                expires_at=created + lifetime,
            )
        )
    ApiToken.objects.bulk_create(tokens)
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0011_user_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True, verbose_name="key hash")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(hash_the_old_tokens, migrations.RunPython.noop),
    ]
