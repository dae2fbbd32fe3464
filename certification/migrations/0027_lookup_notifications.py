"""PostgreSQL notifies every change a label lookup shows, from inside the changing transaction
(certification.lookup_cache): it delivers the notification if and only if the change commits.

A lookup reads a label's row, its scheme's periods, its product's enterprise and that
enterprise's recognition. A change to labels notifies their codes, or "*" (every label) when a
statement changed more than a hundred at once; a change to the rest notifies "*", only when it
touches a column the lookup reads. PostgreSQL folds identical notifications of one transaction
into one."""

from django.db import migrations

CHANNEL = "label_lookup"

INSTALL = [
    f"""
CREATE FUNCTION certification_label_lookup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM (SELECT 1 FROM changed LIMIT 101) AS counted) > 100 THEN
        PERFORM pg_notify('{CHANNEL}', '*');
    ELSE
        PERFORM pg_notify('{CHANNEL}', code) FROM changed;
    END IF;
    RETURN NULL;
END $$""",
    f"""
CREATE FUNCTION certification_every_lookup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '*');
    RETURN NULL;
END $$""",
    """CREATE TRIGGER lookup_changed_by_update AFTER UPDATE ON certification_label
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION certification_label_lookup_changed()""",
    """CREATE TRIGGER lookup_changed_by_delete AFTER DELETE ON certification_label
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION certification_label_lookup_changed()""",
    """CREATE TRIGGER lookup_changed_by_truncate AFTER TRUNCATE ON certification_label
    FOR EACH STATEMENT EXECUTE FUNCTION certification_every_lookup_changed()""",
    """CREATE TRIGGER lookup_changed_by_scheme AFTER UPDATE ON certification_scheme FOR EACH ROW
    WHEN (OLD.surveillance_grace_days IS DISTINCT FROM NEW.surveillance_grace_days
          OR OLD.max_suspension_months IS DISTINCT FROM NEW.max_suspension_months)
    EXECUTE FUNCTION certification_every_lookup_changed()""",
    """CREATE TRIGGER lookup_changed_by_recognition AFTER UPDATE ON certification_enterprise FOR EACH ROW
    WHEN (OLD.recognition_valid_until IS DISTINCT FROM NEW.recognition_valid_until)
    EXECUTE FUNCTION certification_every_lookup_changed()""",
    """CREATE TRIGGER lookup_changed_by_product_owner AFTER UPDATE ON certification_product FOR EACH ROW
    WHEN (OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id)
    EXECUTE FUNCTION certification_every_lookup_changed()""",
]

UNINSTALL = [
    "DROP TRIGGER lookup_changed_by_update ON certification_label",
    "DROP TRIGGER lookup_changed_by_delete ON certification_label",
    "DROP TRIGGER lookup_changed_by_truncate ON certification_label",
    "DROP TRIGGER lookup_changed_by_scheme ON certification_scheme",
    "DROP TRIGGER lookup_changed_by_recognition ON certification_enterprise",
    "DROP TRIGGER lookup_changed_by_product_owner ON certification_product",
    "DROP FUNCTION certification_label_lookup_changed()",
    "DROP FUNCTION certification_every_lookup_changed()",
]


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in INSTALL:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0026_search_text_statistics"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
