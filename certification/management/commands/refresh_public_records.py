from django.core.management.base import BaseCommand
from django.db import transaction

from certification.models import Label
from certification.registry import list_every_name_word
from certification.services.labels import refresh_public_records


class Command(BaseCommand):
    help = (
        "Render again the public records (what the lookup shows) of labels whose product, enterprise, "
        "category or scheme changed outside the application, e.g. by SQL or a bulk import; only "
        "records that differ are written; the next lookup shows them. On PostgreSQL, also list the "
        "name words the registry's search lacks (after a restore or a load that fired no trigger)."
    )

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            codes = refresh_public_records(labels=Label.objects.all())
            listed = list_every_name_word()
        self.stdout.write(self.style.SUCCESS(f"Rewrote {len(codes)} public record(s)."))
        if listed:
            self.stdout.write(self.style.SUCCESS(f"Listed {listed} missing search word(s)."))
