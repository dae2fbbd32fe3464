"""Role groups, and a database guard so that no history row is ever updated, even by raw SQL."""

from django.db import migrations

ROLES = ["applicant", "auditor", "officer"]

TRIGGERS = {
    "postgresql": (
        """
        CREATE FUNCTION certification_history_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'history rows are append-only';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER certification_history_no_update
            BEFORE UPDATE ON certification_historyevent
            FOR EACH ROW EXECUTE FUNCTION certification_history_append_only();
        """,
        """
        DROP TRIGGER IF EXISTS certification_history_no_update ON certification_historyevent;
        DROP FUNCTION IF EXISTS certification_history_append_only();
        """,
    ),
    "sqlite": (
        """
        CREATE TRIGGER certification_history_no_update
        BEFORE UPDATE ON certification_historyevent
        BEGIN
            SELECT RAISE(ABORT, 'history rows are append-only');
        END;
        """,
        "DROP TRIGGER IF EXISTS certification_history_no_update;",
    ),
}


def create_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    group = apps.get_model("auth", "Group")
    for name in ROLES:
        group.objects.get_or_create(name=name)


def add_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    sql = TRIGGERS.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[0])


def drop_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    sql = TRIGGERS.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[1])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("certification", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
