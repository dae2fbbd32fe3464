import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.signing import generate_private_key_pem, load_key, publish_key


class Command(BaseCommand):
    help = (
        "Create the Ed25519 key that signs label credentials, and publish its public half. "
        "With --rotate, a new key replaces the current one; the old public key stays published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="Key file (default: SIGNING_KEY_FILE).")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing key file with a new key.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing when the key file exists.")

    def handle(self, *args: object, output: Path | None, rotate: bool, if_missing: bool, **options: object) -> None:
        path = Path(output or settings.SIGNING_KEY_FILE)
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
