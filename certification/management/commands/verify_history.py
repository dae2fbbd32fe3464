from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.checkpoints import CheckpointError, chain_end, contradiction, find_chain_break, read_checkpoint


class Command(BaseCommand):
    help = (
        "Walk the history's hash chain from its first row: exit 0 when every row matches, else exit "
        "non-zero naming the first row that does not (edited, deleted, inserted or reordered). With "
        "--checkpoint, also check that the history still begins with the chain a checkpoint signed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            help=(
                "A checkpoint kept earlier: the JSON of GET /api/v1/history/checkpoint, its signature, "
                "or a file holding either. May be given several times."
            ),
        )

    def handle(self, *args: Any, checkpoint: list[str], **options: Any) -> None:
        broken = find_chain_break()
        if broken is not None:
            raise CommandError(str(broken))
        for text in checkpoint:
            try:
                problem = contradiction(read_checkpoint(text))
            except CheckpointError as error:
                raise CommandError(str(error)) from error
            if problem:
                raise CommandError(problem)
        end = chain_end()
        checked = f", and consistent with {len(checkpoint)} checkpoint(s)" if checkpoint else ""
        self.stdout.write(
            self.style.SUCCESS(f"The history chain is intact: {end.count} rows, head {end.head_hash}{checked}.")
        )
