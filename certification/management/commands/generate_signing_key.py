import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.models import CertificateRecord, SigningKey
from certification.signing import (
    current_private_key,
    generate_private_key_pem,
    load_key,
    mark_key_compromised,
    publish_key,
)


def is_current_key(kid: str) -> bool:
    """Whether `kid` is the key this server is configured to sign with."""
    try:
        return current_private_key().thumbprint() == kid
    except ImproperlyConfigured:
        return False


class Command(BaseCommand):
    help = (
        "Create the Ed25519 key that signs label credentials, and publish its public half. "
        "With --rotate, a new key replaces the current one; the old public key stays published. "
        "With --compromised KID, nothing that key signed is trusted any more (it stays published, "
        "so verifiers are told why); reissue what it signed with `regenerate_certificates`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="Key file (default: SIGNING_KEY_FILE).")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing key file with a new key.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing when the key file exists.")
        parser.add_argument(
            "--compromised",
            metavar="KID",
            default=None,
            help="Mark the published key KID compromised (after --rotate, when it is the current key).",
        )

    def handle(
        self,
        *args: object,
        output: Path | None,
        rotate: bool,
        if_missing: bool,
        compromised: str | None,
        **options: object,
    ) -> None:
        if compromised is not None:
            if rotate:
                self._create(Path(output or settings.SIGNING_KEY_FILE), rotate=True, if_missing=False)
            self._mark_compromised(compromised)
            return
        self._create(Path(output or settings.SIGNING_KEY_FILE), rotate=rotate, if_missing=if_missing)

    def _mark_compromised(self, kid: str) -> None:
        try:
            record = mark_key_compromised(kid)
        except SigningKey.DoesNotExist as error:
            raise CommandError(f"No published signing key has the id {kid}.") from error
        signed = CertificateRecord.objects.filter(key_id=kid, superseded_at__isnull=True)
        codes = sorted(signed.values_list("label__code", flat=True))
        self.stdout.write(
            self.style.WARNING(
                f"Signing key {record.kid} is marked compromised: the {len(codes)} current credential(s) it "
                "signed now answer not authentic. Reissue them with `manage.py regenerate_certificates"
                + "".join(f" {code}" for code in codes)
                + "`."
            )
        )
        if is_current_key(kid):
            self.stdout.write(
                self.style.ERROR(
                    "It is the key this server signs with: nothing can be issued until "
                    "`manage.py generate_signing_key --rotate` creates a new one."
                )
            )

    def _create(self, path: Path, *, rotate: bool, if_missing: bool) -> None:
        if path.exists():
            if if_missing:
                self.stdout.write(f"Signing key present: {path}")
                return
            if not rotate:
                raise CommandError(f"{path} exists; use --rotate to replace it with a new key.")
            # Publish the outgoing key first, so that what it signed keeps verifying.
            publish_key(load_key(path.read_bytes()), make_active=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = generate_private_key_pem()
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.replace(temporary, path)  # all or nothing: never a half-written key
        record = publish_key(load_key(pem), make_active=True)
        self.stdout.write(self.style.SUCCESS(f"New signing key {record.kid} written to {path} and published."))
