from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.codes import parse_label_code
from certification.exceptions import InvalidLabelCode
from certification.models import Label
from certification.services.certificates import regenerate_certificate


class Command(BaseCommand):
    help = (
        "Render and sign the certificates of the given label codes again (all labels when none is "
        "given), after a template or key change. The previous certificates stay known as superseded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="Label codes (any spelling the public may type).")

    def handle(self, *args: object, codes: list[str], **options: object) -> None:
        try:
            wanted = [parse_label_code(code) for code in codes]
        except InvalidLabelCode as error:
            raise CommandError(str(error)) from error
        labels = Label.objects.order_by("pk")
        if wanted:
            labels = labels.filter(code__in=wanted)
            missing = sorted(set(wanted) - set(labels.values_list("code", flat=True)))
            if missing:
                raise CommandError(f"No label with code {', '.join(missing)}.")
        total = labels.count()
        for done, label in enumerate(labels.iterator(chunk_size=200), start=1):
            regenerate_certificate(label=label, by=None)
            self.stdout.write(f"\r{done}/{total} {label.code}", ending="")
            self.stdout.flush()
        self.stdout.write(self.style.SUCCESS(f"\nRegenerated {total} certificate(s)."))
