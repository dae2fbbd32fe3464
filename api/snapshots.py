"""The task that writes the open data's daily snapshot (certification.snapshots): every valid
label, as GET /api/v1/labels/?status=valid lists them, as CSV and JSON Lines rendered by the
registry's exports, and the descriptor. The scheduler enqueues it once a day
(settings.PERIODIC_TASKS); the worker writes it, so that bulk users download a file instead of
holding a web worker while the registry streams a million rows."""

import orjson
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from api.opendata import EXPORTS, snapshot_package
from certification.lookup import labels_for_lookup
from certification.models import PublicStatus
from certification.registry import RegistryFilter
from certification.snapshots import DESCRIPTOR, PREFIX, current_snapshot, snapshot_directory, write_atomically


@task()
def write_open_data_snapshot() -> str:
    """Write today's snapshot of every valid label; the name of its CSV file. The files of the
    snapshot before stay (a download of them may be under way); older ones are removed."""
    created = timezone.now()
    day = timezone.localdate(created)
    directory = snapshot_directory()
    directory.mkdir(parents=True, exist_ok=True)
    before = current_snapshot()
    labels = RegistryFilter({"status": PublicStatus.VALID}, queryset=labels_for_lookup()).qs
    files = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Both files from one view of the database, as it was when the first row was read.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for fmt, (rows, _media, _name) in EXPORTS.items():
            files[fmt] = write_atomically(directory / f"{PREFIX}{day.isoformat()}.{fmt}", rows(labels))
    descriptor = snapshot_package(created=created, day=day, files=files)
    write_atomically(directory / DESCRIPTOR, [orjson.dumps(descriptor, option=orjson.OPT_INDENT_2)])
    kept = {file.name for written in (files, before.files if before else {}) for file in written.values()}
    for path in directory.glob(f"{PREFIX}*"):
        if path.name not in kept:
            path.unlink(missing_ok=True)
    return files["csv"].name
