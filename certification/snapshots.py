"""The open data's daily snapshot as the pages and its readers see it (DESIGN §13): every valid
label as CSV and as JSON Lines, beside the datapackage.json that describes them; written by a
task of the api app (api.snapshots), which renders the rows the registry's exports render.

Written atomically: each file to a temporary name in the snapshot directory, then renamed
over its name (a rename within one file system is atomic). The data files have dated names
and come first, the descriptor last: a reader sees the last snapshot or the new one whole,
never part of one. The descriptor names its files with their size and hash; the registry
page reads it to link them with their date and size.

The directory is MEDIA_ROOT/opendata: every web process must see it, as it sees MEDIA_ROOT.
"""

import datetime
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.conf import settings
from django.utils import timezone

DESCRIPTOR = "datapackage.json"
PREFIX = "se-label-registry-"


def snapshot_directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata"


@dataclass(frozen=True)
class SnapshotFile:
    """A file of a snapshot, as written: its name beside the descriptor, size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Snapshot:
    """The snapshot the descriptor names: when it was made and its files by format."""

    created: datetime.datetime
    files: dict[str, SnapshotFile]

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.created)


def current_snapshot() -> Snapshot | None:
    """The snapshot as its descriptor describes it, or None before the first was written."""
    try:
        descriptor = orjson.loads((snapshot_directory() / DESCRIPTOR).read_bytes())
    except FileNotFoundError:
        return None
    files = {
        resource["format"]: SnapshotFile(resource["path"], resource["bytes"], resource["hash"].removeprefix("sha256:"))
        for resource in descriptor["resources"]
    }
    return Snapshot(datetime.datetime.fromisoformat(descriptor["created"]), files)


def snapshot_path(name: str) -> Path | None:
    """The file of the current snapshot called `name` (its descriptor or a file it names), or
    None: nothing else in the directory is served, whatever the name says."""
    snapshot = current_snapshot()
    if snapshot is None or (name != DESCRIPTOR and name not in {file.name for file in snapshot.files.values()}):
        return None
    return snapshot_directory() / name


def write_atomically(path: Path, chunks: Iterable[bytes]) -> SnapshotFile:
    """Write `chunks` to a temporary file beside `path`, then rename it to `path`: a failure
    leaves `path` as it was and no temporary file behind."""
    digest, size = hashlib.sha256(), 0
    # Not a `with`: on success the file is renamed, not removed.
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)  # noqa: SIM115
    try:
        with handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)  # a temporary file is private to its writer; these are public
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return SnapshotFile(path.name, size, digest.hexdigest())
