import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from demo.data import ACCOUNTS
from demo.seeding import seed

DEFAULT_PASSWORD = "demo-label-2026"


class Command(BaseCommand):
    help = "Create the demo scheme, enterprises, accounts and applications (idempotent). For demos and tests only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: $DEMO_PASSWORD, else {DEFAULT_PASSWORD}).",
        )
        parser.add_argument("--force", action="store_true", help="Seed even when DEBUG is off.")

    def handle(self, *args: object, password: str, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a known password; with DEBUG off, add --force.")
        # Demo people have made-up addresses: the story is told without sending mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            seed(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {password}):"))
        self.stdout.write(f"  {'admin':<12} administrator")
        for username, (first, last, roles, enterprise) in ACCOUNTS.items():
            where = f", {enterprise}" if enterprise else ""
            self.stdout.write(f"  {username:<12} {first} {last}: {', '.join(roles)}{where}")
