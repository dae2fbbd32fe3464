"""The registry finds a search of two or more words by whole words of the names, on PostgreSQL.

A label's search text starts with the words of its product's and its enterprise's names
(certification.search: "product | enterprise | code | compact code"). `certification_name_words`
reads them as an array, which a GIN index serves, with the statistics of each word's frequency
that the planner needs to choose between gathering the matches and walking an ordering. Every
word of three characters or more also goes in a vocabulary (certification_search_word, with a
trigram index), kept by triggers in the transaction that writes the label: the registry turns a
typed word into the words of the vocabulary that contain it ("confit" into "confituur") and asks
for labels holding one of them, instead of a substring of the whole text.

Why: two common words ("biologische confituur", 532 labels of 1,000,000) made the trigram index
read the lists of 16 trigrams, tens to hundreds of thousands of labels each: 6 ms of the
query's 10 in the database. Their two word lists take 1 ms. The index is 19 MB (the trigram
index: 180 MB). ANALYZE at the end: until the word statistics exist, the planner would guess.

On SQLite nothing changes: the search reads the search text. The vocabulary is refilled, after
a restore or a load that fired no trigger, by `manage.py refresh_public_records`."""

from django.db import migrations

CODE_CHARACTER = "[0123456789ABCDEFGHJKMNPQRSTVWXYZ]"  # certification.codes.ALPHABET

INSTALL = [
    """
CREATE FUNCTION certification_name_words(search_text text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_remove(
    string_to_array(split_part(search_text, ' | ', 1) || ' ' || split_part(search_text, ' | ', 2), ' '), ''
)""",
    "CREATE INDEX label_name_words ON certification_label USING gin (certification_name_words(search_text))",
    "ALTER INDEX label_name_words ALTER COLUMN 1 SET STATISTICS 1000",
    # Not unique: a word added by two transactions at once is listed twice, which does no harm,
    # where a unique key would make the second wait for the first (and two that add the same two
    # new words in turn could deadlock).
    "CREATE TABLE certification_search_word (word text NOT NULL)",
    "CREATE INDEX search_word ON certification_search_word (word)",
    "CREATE INDEX search_word_trgm ON certification_search_word USING gin (word gin_trgm_ops)",
    # With the schema it is made in, whatever a session's search_path (pg_restore empties it).
    """
CREATE FUNCTION certification_search_words_added() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO certification_search_word (word)
    SELECT DISTINCT added.word
    FROM written, unnest(certification_name_words(written.search_text)) AS added(word)
    WHERE length(added.word) >= 3
      AND NOT EXISTS (SELECT 1 FROM certification_search_word AS known WHERE known.word = added.word);
    RETURN NULL;
END $$""",
    """CREATE TRIGGER search_words_by_insert AFTER INSERT ON certification_label
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION certification_search_words_added()""",
    """CREATE TRIGGER search_words_by_update AFTER UPDATE ON certification_label
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION certification_search_words_added()""",
    """INSERT INTO certification_search_word (word)
    SELECT DISTINCT word FROM certification_label, unnest(certification_name_words(search_text)) AS word
    WHERE length(word) >= 3""",
    # A typed word with a letter no code has (i, l, o, u, ...) is looked for among the name words
    # only: that holds while every code is as certification.codes makes them.
    f"""ALTER TABLE certification_label ADD CONSTRAINT label_code_canonical
    CHECK (code ~ '^SE-{CODE_CHARACTER}{{4}}-{CODE_CHARACTER}{{4}}-{CODE_CHARACTER}{{3}}$')""",
    "ANALYZE certification_label",
]

UNINSTALL = [
    "ALTER TABLE certification_label DROP CONSTRAINT label_code_canonical",
    "DROP TRIGGER search_words_by_insert ON certification_label",
    "DROP TRIGGER search_words_by_update ON certification_label",
    "DROP FUNCTION certification_search_words_added()",
    "DROP TABLE certification_search_word",
    "DROP INDEX label_name_words",
    "DROP FUNCTION certification_name_words(text)",
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
        ("certification", "0027_lookup_notifications"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
