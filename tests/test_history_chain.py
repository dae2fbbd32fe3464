"""The history is a hash chain that the database keeps append-only (issue 11, DESIGN §12).

Attacks are written as someone with access to the database would write them: SQL, with the
guard's triggers switched off where they would stop it (session_replication_role on
PostgreSQL, a dropped trigger on SQLite). verify_history must then name the first row that no
longer matches; a signed checkpoint kept from before must contradict a rewritten history.
"""

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from io import StringIO

import jwt
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from api.throttling import PublicRateThrottle
from certification.history_chain import CHAINED_FIELDS, GENESIS_HASH, row_hash
from certification.history_guard import TABLE, TRIGGERS, installed_guards, remove_history_guard
from certification.models import Enterprise, HistoryChainHead, HistoryEvent, HistoryIsAppendOnly, User
from certification.services.history import record_event
from tests.factories import EnterpriseFactory


def verify(*checkpoints: str) -> str:
    out = StringIO()
    call_command("verify_history", *(f"--checkpoint={c}" for c in checkpoints), stdout=out)
    return out.getvalue()


@pytest.fixture
def history(olivia: User, enterprise: Enterprise) -> list[HistoryEvent]:
    """Five events, as services write them."""
    return [
        record_event(action="label.suspended", by=olivia, target=enterprise, comment=f"Reden {n}.", data={"n": n})
        for n in range(5)
    ]


@pytest.fixture
def sql() -> Iterator[Callable[..., None]]:
    """Run SQL against the history as an attacker who first switched its guard off."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            remove_history_guard(connection)  # DDL in the test's transaction: rolled back after it
        yield cursor.execute


def test_each_event_extends_one_chain(history) -> None:  # type: ignore[no-untyped-def]
    rows = list(HistoryEvent.objects.order_by("sequence").values("id", "hash", *CHAINED_FIELDS))
    assert [row["sequence"] for row in rows] == [1, 2, 3, 4, 5]
    assert [row["previous_hash"] for row in rows] == [GENESIS_HASH] + [row["hash"] for row in rows[:-1]]
    assert all(row_hash(row) == row["hash"] for row in rows)
    head = HistoryChainHead.objects.get()
    assert (head.count, head.head_hash) == (5, rows[-1]["hash"])


def test_an_intact_history_verifies(history) -> None:  # type: ignore[no-untyped-def]
    assert f"The history chain is intact: 5 rows, head {history[-1].hash}." in verify()


def test_an_empty_history_verifies(db) -> None:  # type: ignore[no-untyped-def]
    assert "intact: 0 rows" in verify()


def test_events_of_the_workflow_verify(issue_label) -> None:  # type: ignore[no-untyped-def]
    issue_label()
    assert HistoryEvent.objects.filter(action="label.issued").exists()
    assert "intact" in verify()


def test_data_is_hashed_as_the_database_gives_it_back(olivia, enterprise) -> None:  # type: ignore[no-untyped-def]
    record_event(action="label.suspended", by=olivia, target=enterprise, data={2: ("a", "é"), "b": {"z": 1, "a": 0.5}})
    assert "intact: 1 rows" in verify()


def test_an_edited_comment_is_named(history, sql) -> None:  # type: ignore[no-untyped-def]
    sql(f"UPDATE {TABLE} SET comment = 'Alles in orde.' WHERE id = %s", [history[2].pk])
    with pytest.raises(CommandError, match=rf"row id {history[2].pk} \(position 3\): .* was edited"):
        verify()


def test_a_deleted_row_is_named_by_the_row_after_it(history, sql) -> None:  # type: ignore[no-untyped-def]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [history[1].pk])
    with pytest.raises(CommandError, match=rf"row id {history[2].pk} \(position 2\): .* was deleted"):
        verify()


def test_a_deleted_last_row_is_caught_by_the_head(history, sql) -> None:  # type: ignore[no-untyped-def]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [history[-1].pk])
    with pytest.raises(CommandError, match=r"position 4: the chain head records 5 rows"):
        verify()


def test_an_inserted_back_dated_approval_is_named(history, sql, olivia) -> None:  # type: ignore[no-untyped-def]
    """The finding of issue 11: a forged 'approved' row, back-dated, appended at the end."""
    first = history[0]
    forged = hashlib.sha256(b"approved").hexdigest()
    sql(
        f"INSERT INTO {TABLE} (action, actor_id, target_type_id, target_id, from_state, to_state, comment, data,"
        " created_at, sequence, previous_hash, hash) VALUES ('application.approved', %s, %s, %s, 'audit_reported',"
        " 'approved', '', '{}', %s, 6, %s, %s)",
        [olivia.pk, first.target_type_id, first.target_id, first.created_at, history[-1].hash, forged],
    )
    inserted = HistoryEvent.objects.get(sequence=6)
    with pytest.raises(CommandError, match=rf"row id {inserted.pk} \(position 6\): .* edited or forged"):
        verify()


def test_a_row_inserted_in_the_middle_is_named(history, sql) -> None:  # type: ignore[no-untyped-def]
    """Room made at position 3 by moving the rows after it one place up; the copy pretends to
    be a third row."""
    sql(f"UPDATE {TABLE} SET sequence = sequence + 100 WHERE sequence >= 3")
    sql(f"UPDATE {TABLE} SET sequence = sequence - 99 WHERE sequence >= 103")
    sql(
        f"INSERT INTO {TABLE} (action, actor_id, target_type_id, target_id, from_state, to_state, comment, data,"
        " created_at, sequence, previous_hash, hash) SELECT action, actor_id, target_type_id, target_id, from_state,"
        f" to_state, 'ingevoegd', data, created_at, 3, previous_hash, hash FROM {TABLE} WHERE id = %s",
        [history[2].pk],
    )
    inserted = HistoryEvent.objects.get(sequence=3)
    with pytest.raises(CommandError, match=rf"row id {inserted.pk} \(position 3\)"):
        verify()


def test_two_swapped_rows_are_named(history, sql) -> None:  # type: ignore[no-untyped-def]
    second, fourth = history[1], history[3]
    sql(f"UPDATE {TABLE} SET sequence = 1000 WHERE id = %s", [second.pk])
    sql(f"UPDATE {TABLE} SET sequence = 2 WHERE id = %s", [fourth.pk])
    sql(f"UPDATE {TABLE} SET sequence = 4 WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=rf"row id {fourth.pk} \(position 2\): it does not point to the row before"):
        verify()


def rewrite_whole_chain(execute: Callable[..., None]) -> None:
    """What a careful attacker does after editing a row: recompute every hash, and the head."""
    previous = GENESIS_HASH
    for row in HistoryEvent.objects.order_by("sequence").values("id", *CHAINED_FIELDS):
        row["previous_hash"] = previous
        previous = row_hash(row)
        values = [row["previous_hash"], previous, row["id"]]
        execute(f"UPDATE {TABLE} SET previous_hash = %s, hash = %s WHERE id = %s", values)
    execute("UPDATE certification_historychainhead SET head_hash = %s", [previous])


def test_an_old_checkpoint_contradicts_a_rewritten_history(history, sql) -> None:  # type: ignore[no-untyped-def]
    kept = json.dumps(APIClient().get("/api/v1/history/checkpoint").json())
    sql(f"UPDATE {TABLE} SET comment = 'Alles in orde.' WHERE id = %s", [history[2].pk])
    rewrite_whole_chain(sql)
    assert "intact" in verify()  # the chain alone cannot tell: that is what checkpoints are for
    with pytest.raises(CommandError, match=r"signed a different row at position 5.* rewritten"):
        verify(kept)


def test_a_checkpoint_holds_while_history_only_grows(history, olivia, enterprise, tmp_path) -> None:  # type: ignore[no-untyped-def]
    kept = tmp_path / "checkpoint.json"
    kept.write_text(json.dumps(APIClient().get("/api/v1/history/checkpoint").json()))
    record_event(action="label.reinstated", by=olivia, target=enterprise)
    assert "intact: 6 rows" in verify(str(kept))
    assert "consistent with 1 checkpoint(s)" in verify(str(kept))


def test_a_checkpoint_with_a_changed_claim_is_refused(history) -> None:  # type: ignore[no-untyped-def]
    signature = APIClient().get("/api/v1/history/checkpoint").json()["signature"]
    header, payload, mac = signature.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    forged = jwt.utils.base64url_encode(json.dumps({**claims, "count": 3}).encode()).decode()
    with pytest.raises(CommandError, match="signature does not match"):
        verify(f"{header}.{forged}.{mac}")


# The database's guard, with nothing switched off.
STATEMENTS = {
    "UPDATE": f"UPDATE {TABLE} SET comment = 'weg'",
    "DELETE": f"DELETE FROM {TABLE}",
    "DELETE ONE": f"DELETE FROM {TABLE} WHERE sequence = 5",
    "TRUNCATE": f"TRUNCATE {TABLE} CASCADE",
}


@pytest.mark.parametrize("statement", list(STATEMENTS))
def test_the_database_refuses_to_change_history(history, statement) -> None:  # type: ignore[no-untyped-def]
    if statement == "TRUNCATE" and connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE FROM is refused above)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # check the test's inserts now: TRUNCATE waits for no pending check
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            cursor.execute(STATEMENTS[statement])
    assert HistoryEvent.objects.count() == 5
    assert "intact" in verify()


def test_the_guard_is_on_the_table_after_migrating(db) -> None:  # type: ignore[no-untyped-def]
    expected = set(TRIGGERS) if connection.vendor == "postgresql" else set(TRIGGERS[:2])
    assert installed_guards(connection) == expected


def delete_through_the_base_manager() -> None:
    HistoryEvent._base_manager.all().delete()


def delete_through_the_default_manager() -> None:
    HistoryEvent._default_manager.filter(sequence=1).delete()


def update_a_queryset() -> None:
    HistoryEvent.objects.update(comment="weg")


def bulk_update() -> None:
    event = HistoryEvent.objects.get(sequence=1)
    event.comment = "weg"
    HistoryEvent.objects.bulk_update([event], ["comment"])


def bulk_create() -> None:
    HistoryEvent.objects.bulk_create([HistoryEvent(action="application.approved")])


def create_beside_record_event() -> None:
    event = HistoryEvent.objects.get(sequence=1)
    HistoryEvent.objects.create(action="application.approved", target=event.target, sequence=99)


def delete_an_instance() -> None:
    HistoryEvent.objects.get(sequence=1).delete()


def save_an_existing_row() -> None:
    event = HistoryEvent.objects.get(sequence=1)
    event.comment = "weg"
    event.save()


ORM_WRITES = [
    delete_through_the_base_manager,
    delete_through_the_default_manager,
    update_a_queryset,
    bulk_update,
    bulk_create,
    create_beside_record_event,
    delete_an_instance,
    save_an_existing_row,
]


@pytest.mark.parametrize("write", ORM_WRITES)
def test_every_orm_path_refuses_to_change_history(history, write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HistoryIsAppendOnly):
        write()
    assert HistoryEvent.objects.count() == 5
    assert "intact" in verify()


def test_the_checkpoint_is_public_and_signed_with_a_published_key(history) -> None:  # type: ignore[no-untyped-def]
    api = APIClient()
    answer = api.get("/api/v1/history/checkpoint")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["count"], body["head_hash"]) == (5, history[-1].hash)
    key_set = jwt.PyJWKSet.from_dict(api.get("/api/v1/keys/").json())
    kid = jwt.get_unverified_header(body["signature"])["kid"]
    key = next(key for key in key_set.keys if key.key_id == kid)
    claims = jwt.decode(body["signature"], key.key, algorithms=["EdDSA"])
    assert (claims["count"], claims["head_hash"], claims["sub"]) == (5, history[-1].hash, "history-checkpoint")
    assert claims["iat"] == int(datetime.fromisoformat(body["time"]).timestamp())


def test_the_checkpoint_is_limited_like_every_public_endpoint(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "2/minute"})
    api = APIClient()
    assert [api.get("/api/v1/history/checkpoint").status_code for _ in range(3)] == [200, 200, 429]


def test_the_checkpoint_is_in_the_api_schema(db) -> None:  # type: ignore[no-untyped-def]
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/history/checkpoint" in schema["paths"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(olivia) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers on its own")
    enterprise = EnterpriseFactory()
    start = threading.Barrier(8)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                record_event(action="label.suspended", by=olivia, target=Enterprise.objects.get(pk=enterprise.pk))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(HistoryEvent.objects.values_list("sequence", flat=True)) == list(range(1, 9))
    assert "intact: 8 rows" in verify()


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_it(olivia) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory()
    before = [("certification", "0006_auditor_qualification")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_model = executor.loader.project_state(before).apps.get_model("certification", "HistoryEvent")
    target_type = ContentType.objects.get_for_model(Enterprise)
    for n in range(3):
        old_model.objects.create(
            action="label.suspended", actor_id=olivia.pk, target_type_id=target_type.pk, target_id=enterprise.pk,
            comment=f"Reden {n}.", data={"n": n},
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "intact: 3 rows" in verify()
    assert list(HistoryEvent.objects.order_by("sequence").values_list("comment", flat=True)) == [
        "Reden 0.",
        "Reden 1.",
        "Reden 2.",
    ]
