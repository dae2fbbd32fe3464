"""The open data's daily snapshot: written through the task queue (the immediate backend here),
equal to the registry's exports of the valid labels, written atomically, served and linked
from the registry page with its date and size."""

import datetime
import hashlib

import orjson
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from rest_framework.test import APIClient

import api.snapshots
from api.snapshots import write_open_data_snapshot
from background.scheduler import enqueue_due
from certification.services.labels import change_label_status
from certification.snapshots import DESCRIPTOR, current_snapshot, snapshot_directory
from tests.factories import keep_current_until_its_last_day

NOON = datetime.datetime(2026, 12, 1, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def labels(issue_label, olivia):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON - datetime.timedelta(days=30), tick=False):
        jam = issue_label(name="Aardbeienconfituur", category="food")
        chair = issue_label(name="=Eiken stoel")
        suspended = issue_label(name="Geschorste zeep")
        change_label_status(label=suspended, name="suspend", by=olivia, reason="x", category="other")
    keep_current_until_its_last_day(jam)
    return {"jam": jam, "chair": chair, "suspended": suspended}


def export(fmt: str) -> bytes:
    answer = APIClient().get(reverse("api:registry"), {"format": fmt, "status": "valid"})
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def snapshot_file(client: Client, name: str) -> bytes:
    answer = client.get(reverse("web:registry-snapshot", args=[name]))
    assert answer.status_code == 200, name
    return b"".join(answer.streaming_content)


def test_the_snapshot_holds_what_the_exports_of_the_valid_labels_hold(client, labels) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        result = write_open_data_snapshot.enqueue()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == "se-label-registry-2026-12-01.csv"
        csv_body = snapshot_file(client, "se-label-registry-2026-12-01.csv")
        assert csv_body == export("csv")
        assert snapshot_file(client, "se-label-registry-2026-12-01.jsonl") == export("jsonl")
    assert labels["jam"].code.encode() in csv_body
    assert labels["suspended"].code.encode() not in csv_body
    assert b"'=Eiken stoel" in csv_body  # neutralised, as the export is


def test_the_descriptor_names_each_file_with_its_size_and_hash(client, labels) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        write_open_data_snapshot.enqueue()
    descriptor = orjson.loads(snapshot_file(client, DESCRIPTOR))
    assert descriptor["created"] == NOON.isoformat()
    for resource in descriptor["resources"]:
        body = snapshot_file(client, resource["path"])
        assert resource["bytes"] == len(body)
        assert resource["hash"] == f"sha256:{hashlib.sha256(body).hexdigest()}"
    assert [field["name"] for field in descriptor["resources"][0]["schema"]["fields"]][:2] == ["code", "status"]


def test_a_failed_snapshot_leaves_the_last_one_whole_and_no_temporary_file(labels, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        write_open_data_snapshot.enqueue()
    before = sorted(path.name for path in snapshot_directory().iterdir())
    descriptor = (snapshot_directory() / DESCRIPTOR).read_bytes()

    def broken(labels):  # type: ignore[no-untyped-def]
        yield b"half a file"
        raise OSError("disk full")

    monkeypatch.setitem(api.snapshots.EXPORTS, "jsonl", (broken, "", ""))
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        assert write_open_data_snapshot.enqueue().status == TaskResultStatus.FAILED
    assert (snapshot_directory() / DESCRIPTOR).read_bytes() == descriptor
    after = sorted(path.name for path in snapshot_directory().iterdir() if "2026-12-02" not in path.name)
    assert after == before
    assert not [path for path in snapshot_directory().iterdir() if path.name.startswith(".")]


def test_the_snapshot_before_stays_and_older_ones_go(labels) -> None:  # type: ignore[no-untyped-def]
    for days in range(3):
        with time_machine.travel(NOON + datetime.timedelta(days=days), tick=False):
            write_open_data_snapshot.enqueue()
    names = sorted(path.name for path in snapshot_directory().iterdir())
    assert names == [
        DESCRIPTOR,
        "se-label-registry-2026-12-02.csv",
        "se-label-registry-2026-12-02.jsonl",
        "se-label-registry-2026-12-03.csv",
        "se-label-registry-2026-12-03.jsonl",
    ]


def test_the_status_in_the_snapshot_is_that_of_its_day(labels) -> None:  # type: ignore[no-untyped-def]
    last_day = labels["jam"].valid_until
    with time_machine.travel(datetime.datetime.combine(last_day, datetime.time(12), tzinfo=datetime.UTC)):
        write_open_data_snapshot.enqueue()
    snapshot = current_snapshot()
    assert snapshot is not None
    body = (snapshot_directory() / snapshot.files["csv"].name).read_bytes()
    assert labels["jam"].code.encode() in body
    with time_machine.travel(datetime.datetime.combine(last_day, datetime.time(23, 30), tzinfo=datetime.UTC)):
        write_open_data_snapshot.enqueue()  # past midnight in Brussels: the label has expired
    snapshot = current_snapshot()
    assert snapshot is not None
    assert labels["jam"].code.encode() not in (snapshot_directory() / snapshot.files["csv"].name).read_bytes()


def test_the_registry_page_links_the_snapshot_with_its_date_and_size(client, labels) -> None:  # type: ignore[no-untyped-def]
    assert "se-label-registry-" not in client.get("/registry/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with time_machine.travel(NOON, tick=False):
        write_open_data_snapshot.enqueue()
        html = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    snapshot = current_snapshot()
    assert snapshot is not None
    assert "Every valid label on Dec. 1, 2026, in one file:" in html
    assert f'href="/registry/snapshot/{snapshot.files["csv"].name}"' in html
    assert f'href="/registry/snapshot/{DESCRIPTOR}"' in html
    assert f"({snapshot.files['csv'].size}\xa0bytes)" in html


@pytest.mark.parametrize("name", ["se-label-registry-2026-11-01.csv", "..", ".datapackage.json.x", "nothing.csv"])
def test_only_the_files_of_the_current_snapshot_are_served(client, labels, name) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        write_open_data_snapshot.enqueue()
    (snapshot_directory() / "se-label-registry-2026-11-01.csv").write_bytes(b"old")
    assert client.get(f"/registry/snapshot/{name}").status_code == 404


def test_before_the_first_snapshot_there_is_nothing_to_serve(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/registry/snapshot/{DESCRIPTOR}").status_code == 404


@pytest.mark.django_db
def test_the_scheduler_enqueues_the_snapshot_once_a_day(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PERIODIC_TASKS = {"api.snapshots.write_open_data_snapshot": 24 * 3600}
    start = timezone.now()
    assert enqueue_due(start) == ["api.snapshots.write_open_data_snapshot"]
    assert current_snapshot() is not None
    assert enqueue_due(start + datetime.timedelta(hours=23)) == []
    assert enqueue_due(start + datetime.timedelta(hours=24)) == ["api.snapshots.write_open_data_snapshot"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_both_files_from_one_view_of_the_database(issue_label) -> None:  # type: ignore[no-untyped-def]
    """As the worker runs it, outside any transaction (on PostgreSQL: in one repeatable read)."""
    with time_machine.travel(NOON, tick=False):
        label = issue_label()
        assert write_open_data_snapshot.enqueue().status == TaskResultStatus.SUCCESSFUL
    snapshot = current_snapshot()
    assert snapshot is not None
    for fmt in ("csv", "jsonl"):
        assert label.code.encode() in (snapshot_directory() / snapshot.files[fmt].name).read_bytes()
