"""The database's own guard on the history (DESIGN §12): UPDATE, DELETE and TRUNCATE of its
rows are refused by triggers, whatever client sends them.

The triggers are installed by migration 0005 and again after every `migrate` and `flush`
(post_migrate): a table rebuilt by a later migration (SQLite rebuilds a table to alter it,
dropping its triggers) gets them back. SQLite has no TRUNCATE; its `DELETE FROM` without a
WHERE fires the DELETE trigger (SQLite skips its truncate shortcut on a table with triggers).
"""

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "certification_historyevent"
TRIGGERS = ("certification_history_no_update", "certification_history_no_delete", "certification_history_no_truncate")

INSTALL = {
    "postgresql": [
        """
        CREATE OR REPLACE FUNCTION certification_history_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'history rows are append-only: % refused', TG_OP;
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER certification_history_no_update BEFORE UPDATE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION certification_history_append_only()
        """,
        f"""
        CREATE TRIGGER certification_history_no_delete BEFORE DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION certification_history_append_only()
        """,
        f"""
        CREATE TRIGGER certification_history_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION certification_history_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER certification_history_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'history rows are append-only: UPDATE refused'); END
        """,
        f"""
        CREATE TRIGGER certification_history_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'history rows are append-only: DELETE refused'); END
        """,
    ],
}

REMOVE = {
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in TRIGGERS),
        "DROP FUNCTION IF EXISTS certification_history_append_only()",
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS],
}

INSTALLED = {
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
}


def remove_history_guard(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in REMOVE.get(connection.vendor, []):
            cursor.execute(statement)


def install_history_guard(connection: BaseDatabaseWrapper) -> None:
    """(Re)install the triggers; a no-op on a database whose vendor has none defined."""
    remove_history_guard(connection)
    with connection.cursor() as cursor:
        for statement in INSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def installed_guards(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the triggers on the history table."""
    with connection.cursor() as cursor:
        cursor.execute(INSTALLED[connection.vendor], [TABLE])
        return {row[0] for row in cursor.fetchall()}


def guard_after_migrate(using: str, **kwargs: Any) -> None:
    """post_migrate receiver: guard the history table wherever it exists."""
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        install_history_guard(connection)
