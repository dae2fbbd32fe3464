from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certification.services.accounts import sign_in_budgets
from certification.services.limits import forgive


class Command(BaseCommand):
    help = (
        "Open the sign-in budgets of a client address before LOGIN_LOCKOUT_SECONDS have passed: "
        "with --username, only that username from that address; without, the address's budget over "
        "all usernames. Counters keep no address or username in clear, so they are named here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", help="The client address, as the application sees it (see NUM_PROXIES).")
        parser.add_argument("--username", help="Only the failures of this username from that address.")

    def handle(self, *args: Any, address: str, username: str | None, **options: Any) -> None:
        pair, every_username = sign_in_budgets(username=username or "", address=address)
        opened = forgive(pair if username is not None else every_username)
        what = f"{username} from {address}" if username is not None else f"every username from {address}"
        if opened:
            self.stdout.write(self.style.SUCCESS(f"Sign-in is open again for {what}."))
        else:
            self.stdout.write(f"No failed sign-in is counted for {what}: nothing to open.")
