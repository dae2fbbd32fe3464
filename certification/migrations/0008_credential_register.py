"""The register of issued credentials: each certificate version records the credential it carries."""

import base64
import datetime
import hashlib
import json
from typing import Any

from django.db import migrations, models


def _issued_at(token: str) -> datetime.datetime | None:
    """The `iat` of a credential this system wrote itself (read, not verified: it is our own row)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.datetime.fromtimestamp(int(claims["iat"]), tz=datetime.UTC)
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def register_current_credentials(apps: Any, schema_editor: Any) -> None:
    """Credentials issued before the register existed: each label's current one goes with its
    current certificate version (older ones were not kept, and so are no longer recognised)."""
    Label = apps.get_model("certification", "Label")
    CertificateRecord = apps.get_model("certification", "CertificateRecord")
    for label_id, credential in Label.objects.exclude(credential="").values_list("pk", "credential").iterator():
        CertificateRecord.objects.filter(label_id=label_id, superseded_at__isnull=True).update(
            credential_sha256=hashlib.sha256(credential.encode()).hexdigest(), signed_at=_issued_at(credential)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0007_history_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificaterecord",
            name="credential_sha256",
            field=models.CharField(
                blank=True, max_length=64, null=True, unique=True, verbose_name="credential SHA-256"
            ),
        ),
        migrations.AddField(
            model_name="certificaterecord",
            name="signed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="credential signed at"),
        ),
        migrations.AlterField(
            model_name="signingkey",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "active: signs new credentials"),
                    ("retired", "retired: verifies old credentials"),
                    ("compromised", "compromised: what it signed is not trusted"),
                ],
                default="active",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(register_current_credentials, migrations.RunPython.noop),
    ]
