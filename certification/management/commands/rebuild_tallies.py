from django.core.management.base import BaseCommand

from certification.tallies import rebuild_tallies


class Command(BaseCommand):
    help = (
        "Count every label and decision again into the statistics' tallies, after a write that went "
        "around the application (SQL, COPY, a bulk import): the application keeps them in step itself."
    )

    def handle(self, *args: object, **options: object) -> None:
        labels, decisions = rebuild_tallies()
        self.stdout.write(self.style.SUCCESS(f"{labels} label tallies, {decisions} decision tallies."))
