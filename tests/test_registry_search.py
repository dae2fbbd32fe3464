"""The registry's search: a normalised search text per label, kept current, matched word by
word (and served by a trigram index on PostgreSQL), and the registry page's form used as a
person uses it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import Enterprise, Label, Product
from certification.registry import RegistryFilter
from certification.search import normalise, search_text, search_words
from certification.services.labels import refresh_public_records


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def labels(issue_label):  # type: ignore[no-untyped-def]
    return {
        "cafe": issue_label(name="Café-crème « Brûlé »"),
        "jam": issue_label(name="Biologische confituur", category="food"),
        "rack": issue_label(name="Houten fietsrek"),
    }


def found(api: APIClient, text: str) -> set[str]:
    answer = api.get(reverse("api:registry"), {"q": text})
    assert answer.status_code == 200, answer.content
    return {row["code"] for row in answer.json()["results"]}


def test_normalise_drops_case_accents_and_punctuation() -> None:
    assert normalise("Café-crème « Brûlé »") == "cafe creme brule"
    assert normalise("  ÉCRU  d'ART_x ") == "ecru d art x"
    assert search_text(product_name="Zeep", enterprise_name="L'Atelier", code="SE-7K3M-9QX2-4H6") == (
        "zeep | l atelier | se 7k3m 9qx2 4h6 | se7k3m9qx24h6"
    )


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Biologische confituur", ["biologische", "confituur"]),
        ("De Ster", ["ster"]),  # a short word alone cannot narrow a search: the longer ones do
        ("de ab", ["de ab"]),  # only short words: the whole query is the word
        ("ab", []),
        ("  ", []),
    ],
)
def test_search_words(query: str, words: list[str]) -> None:
    assert search_words(query) == words


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("cafe", "cafe"),
        ("CAFÉ CRÈME", "cafe"),
        ("brule creme", "cafe"),  # every word, in any order
        ("confituur", "jam"),
        ("confituur biologische", "jam"),
        ("ouTEN", "rack"),  # part of a word
    ],
)
def test_the_registry_finds_words_whatever_their_case_accents_and_order(api, labels, query, key) -> None:  # type: ignore[no-untyped-def]
    assert found(api, query) == {labels[key].code}


def test_the_registry_finds_the_enterprise_and_a_code_whole_or_in_part(api, labels) -> None:  # type: ignore[no-untyped-def]
    code = labels["rack"].code
    assert found(api, "atelier alice") == {label.code for label in labels.values()}
    assert found(api, code) == {code}
    assert found(api, code.lower().replace("-", " ")) == {code}
    assert found(api, code[3:7]) >= {code}
    assert found(api, code[3:12]) == {code}  # "7K3M-9QX2": across the dash
    assert found(api, "biologische stoel") == set()


def test_a_code_typed_with_o_for_0_is_found(api, labels) -> None:  # type: ignore[no-untyped-def]
    code = labels["jam"].code
    loose = code.replace("0", "O").replace("1", "I")
    assert found(api, loose) == {code}


def test_a_search_too_short_to_narrow_is_a_clear_400(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:registry"), {"q": "ab"})
    assert answer.status_code == 400
    assert answer.json()["errors"]["q"] == ["Type at least 3 letters or digits to search."]


def test_the_search_text_follows_a_renamed_product_and_enterprise(api, labels) -> None:  # type: ignore[no-untyped-def]
    product = Product.objects.get(pk=labels["rack"].product_id)
    product.name = "Eiken kapstok"
    product.save()
    assert found(api, "kapstok") == {labels["rack"].code}
    assert found(api, "fietsrek") == set()
    enterprise = Enterprise.objects.get(pk=product.enterprise_id)
    enterprise.name = "Kringwinkel Zuid"
    enterprise.save()
    assert found(api, "kringwinkel") == {label.code for label in labels.values()}


def test_refresh_public_records_mends_a_stale_search_text(labels) -> None:  # type: ignore[no-untyped-def]
    Label.objects.filter(pk=labels["jam"].pk).update(search_text="oud")
    assert refresh_public_records(labels=Label.objects.all()) == [labels["jam"].code]
    assert Label.objects.get(pk=labels["jam"].pk).search_text.startswith("biologische confituur | atelier alice")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_labels_their_search_text(labels) -> None:  # type: ignore[no-untyped-def]
    expected = {label.pk: Label.objects.get(pk=label.pk).render_search_text() for label in labels.values()}
    executor = MigrationExecutor(connection)
    executor.migrate([("certification", "0004_label_public_record")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Label.objects.values_list("pk", "search_text")) == expected


def test_the_search_is_served_by_the_trigram_index_on_postgresql(labels) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no trigram index and scans")
    with connection.cursor() as cursor:
        # Three labels: the planner would rather scan, or walk an ordering's index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        labels_found = RegistryFilter({"q": "confituur", "status": "all"}, queryset=Label.objects.all()).qs
        plan = labels_found.explain()
    assert "label_search_text_trgm" in plan


def test_a_deep_page_is_an_index_range_on_postgresql(labels) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from certification.registry import after_cursor, make_cursor

    ordered = RegistryFilter({"ordering": "-level", "status": "all"}, queryset=Label.objects.all()).qs
    cursor = make_cursor(ordered[1], ordering="-level")
    with connection.cursor() as raw:
        raw.execute("SET LOCAL enable_seqscan = off")  # three labels: the planner would rather scan and sort
        raw.execute("SET LOCAL enable_bitmapscan = off")
        page, backwards = after_cursor(ordered, ordering="-level", cursor=cursor)
        plan = page[:25].explain()
    assert not backwards
    assert "Index Scan Backward using label_level_code" in plan
    assert "Index Cond: (ROW(level, " in plan  # the cursor's row is where the scan starts
    assert "Sort" not in plan


def test_the_planner_samples_the_search_text_finely_on_postgresql(db) -> None:  # type: ignore[no-untyped-def]
    """With PostgreSQL's default sample the estimate of how many labels carry a word swung from
    100 to 40,000 at 1,000,000 labels, and with it the plan (16 ms or 800 ms): migration 0026."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute"
            " WHERE attrelid = 'certification_label'::regclass AND attname = 'search_text'"
        )
        assert cursor.fetchone() == (1000,)


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)  # as a request: not within a transaction of the caller's
def test_the_registry_plans_its_queries_for_their_words_on_postgresql(api, labels) -> None:  # type: ignore[no-untyped-def]
    """A prepared statement's plan for any values cannot see what a LIKE pattern matches: the
    registry's queries are not prepared (certification.registry.planned_for_its_words), and so
    are planned for their words each time, while the lookup's are."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    for _ in range(6):
        assert found(api, "confituur") == {labels["jam"].code}
        assert found(api, "biologische confit") == {labels["jam"].code}
        assert api.get(reverse("web:registry"), {"q": "confituur"}).status_code == 200
        assert api.get(reverse("api:label", args=[labels["jam"].code])).status_code == 200
    prepared = prepared_statements()
    assert any("certification_label" in statement for statement in prepared)  # the lookup's, at least
    assert not [statement for statement in prepared if "LIKE" in statement or "&&" in statement]


def test_within_a_callers_transaction_the_registry_leaves_the_connection_as_it_was(labels) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from certification.registry import keyset_page

    threshold = connection.connection.prepare_threshold
    assert threshold is not None
    ordered = RegistryFilter({"q": "confituur biologische"}, queryset=Label.objects.all()).qs
    found_codes = [label.code for label in keyset_page(ordered, ordering="-issued_on", cursor=None, size=5).labels]
    assert found_codes == [labels["jam"].code]
    assert connection.connection.prepare_threshold == threshold
    assert connection.in_atomic_block  # the test's own transaction, untouched


NAMES = [
    "Aardbeienconfituur",
    "Biologische confituur",
    "Confituur van vijgen",
    "Biologische honing",
    "Houten fietsrek",
    "Crème brûlée",
    "Fietsrek, gerecycleerd",
]


@pytest.fixture
def named(issue_label):  # type: ignore[no-untyped-def]
    return [issue_label(name=name) for name in NAMES]


def held(query: str) -> set[str]:
    """The labels whose search text holds every word of the query: what a search must find."""
    words = search_words(query)
    return {code for code, text in Label.objects.values_list("code", "search_text") if all(w in text for w in words)}


@pytest.mark.parametrize(
    "query",
    [
        "biologische confituur",
        "confit bio",  # parts of words
        "ienconfit aardbei",  # inside a compound
        "confituur vijgen",
        "vijgen van",  # "van" could be part of a code: read in the text
        "creme brulee",
        "fiets gerecycleerd",
        "fietsrek houten atelier",
        "honing alice",
        "zzqxwv confituur",  # a word no name holds
        "confituur ienconfituurx",
    ],
)
@pytest.mark.django_db(transaction=True)  # as a request: the registry reads in a snapshot of its own
def test_two_words_find_exactly_the_labels_whose_search_text_holds_them(api, named, query) -> None:  # type: ignore[no-untyped-def]
    expected = held(query)
    assert found(api, query) == expected
    assert found(api, " ".join(reversed(query.split()))) == expected


@pytest.mark.django_db(transaction=True)  # as a request: the registry reads in a snapshot of its own
def test_two_words_find_a_code_and_a_name_together(api, named) -> None:  # type: ignore[no-untyped-def]
    label = named[1]
    assert found(api, f"confituur {label.code[3:7]}") == {label.code}
    assert found(api, f"biologische {label.code[8:12]} confituur") == {label.code}


@pytest.mark.django_db(transaction=True)  # as a request: the registry reads in a snapshot of its own
def test_new_and_renamed_names_are_found_by_two_words_at_once(api, named, issue_label) -> None:  # type: ignore[no-untyped-def]
    """The vocabulary of name words (PostgreSQL) is written with the label, in its transaction."""
    product = Product.objects.get(pk=named[4].product_id)
    product.name = "Zwartebessenconfituur"
    product.save()
    assert found(api, "bessen confituur") == {named[4].code}
    assert found(api, "fietsrek houten") == set()
    fresh = issue_label(name="Vlierbloesemsiroop")
    assert found(api, "bloesem siroop") == {fresh.code}


@pytest.mark.django_db(transaction=True)  # as a request: the registry reads in a snapshot of its own
def test_a_word_in_more_names_than_the_vocabulary_lists_is_read_in_the_text(api, named, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from certification import registry

    monkeypatch.setattr(registry, "MOST_NAME_WORDS", 1)  # "confituur" is in two words of the vocabulary
    assert found(api, "confituur biologische") == held("confituur biologische")
    assert found(api, "confituur aardbei") == held("confituur aardbei")


@pytest.mark.django_db(transaction=True)
def test_two_words_are_served_by_the_name_words_index_on_postgresql(named) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite reads the search text")
    from certification.registry import one_snapshot

    with one_snapshot(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # seven labels: the planner would rather scan
        cursor.execute("SET LOCAL enable_indexscan = off")
        labels_found = RegistryFilter({"q": "biologische confit", "status": "all"}, queryset=Label.objects.all()).qs
        plan = labels_found.explain()
    assert "label_name_words" in plan
    assert "label_search_text_trgm" not in plan


def test_outside_one_snapshot_two_words_are_read_in_the_search_text(named) -> None:  # type: ignore[no-untyped-def]
    """In a transaction that reads each statement anew (the test's own), the vocabulary and the
    labels could be read at two moments: the search reads the text, in one statement."""
    labels_found = RegistryFilter({"q": "biologische confit", "status": "all"}, queryset=Label.objects.all()).qs
    assert "certification_name_words" not in str(labels_found.query)
    assert {label.code for label in labels_found} == {named[1].code}


@pytest.mark.django_db(transaction=True)
def test_a_label_renamed_while_it_is_searched_for_is_found_as_it_was(named, issue_label) -> None:  # type: ignore[no-untyped-def]
    """The vocabulary and the labels are read in one snapshot: a product renamed between the two
    reads, to a word no label had before, is found as it was when the search began (read at two
    moments, it was found by neither its old words nor its new ones)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from certification.lookup_cache import listening_connection
    from certification.registry import one_snapshot

    tea = issue_label(name="Bloesemthee fietsrek")
    with one_snapshot():
        searched = RegistryFilter({"q": "bloesem fiets"}, queryset=Label.objects.all()).qs  # reads the vocabulary
        with listening_connection() as other:  # meanwhile, another session renames it and commits
            other.execute(
                "UPDATE certification_label SET search_text = replace(search_text, 'bloesemthee', 'kersenbloesemthee')"
                " WHERE id = %s",
                [tea.pk],
            )
            other.commit()
        assert {label.code for label in searched} == {tea.code}
    assert {label.code for label in RegistryFilter({"q": "bloesem fiets"}, queryset=Label.objects.all()).qs} == {
        tea.code
    }


def test_the_planner_knows_how_often_each_name_word_occurs_on_postgresql(db) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'label_name_words'::regclass AND attnum = 1"
        )
        assert cursor.fetchone() == (1000,)


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_the_name_words_of_existing_labels(api, named) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    executor = MigrationExecutor(connection)
    executor.migrate([("certification", "0027_lookup_notifications")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM certification_search_word ORDER BY word")
        words = {word for (word,) in cursor.fetchall()}
    assert {"aardbeienconfituur", "biologische", "confituur", "vijgen", "van", "atelier", "alice"} <= words
    assert found(api, "aardbei confituur") == {named[0].code}


@pytest.mark.django_db(transaction=True)  # two sessions, each with a transaction of its own
def test_two_transactions_adding_the_same_new_word_do_not_wait_for_each_other(api, named) -> None:  # type: ignore[no-untyped-def]
    """The vocabulary has no unique key: the second transaction lists the word again instead of
    waiting to see whether the first commits. Both labels are found once both have committed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import transaction

    from certification.lookup_cache import listening_connection

    first, second = named[4], named[6]
    with transaction.atomic():
        Product.objects.filter(pk=first.product_id).update(name="Kersenbloesemthee")
        refresh_public_records(labels=Label.objects.filter(pk=first.pk))
        with listening_connection() as other:  # a second session, with the site's settings
            other.execute("SET statement_timeout = '5s'")
            other.execute(
                "UPDATE certification_label SET search_text = 'kersenbloesemthee | atelier | x | x' WHERE id = %s",
                [second.pk],
            )
            other.commit()
    assert found(api, "bloesem thee") == {first.code, second.code}


def test_the_operator_command_lists_the_name_words_a_load_without_triggers_missed(named) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no vocabulary")
    from io import StringIO

    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM certification_search_word WHERE word IN ('vijgen', 'aardbeienconfituur')")
    output = StringIO()
    call_command("refresh_public_records", stdout=output)
    assert "Listed 2 missing search word(s)." in output.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM certification_search_word WHERE word IN ('vijgen', 'aardbeienconfituur')")
        assert cursor.fetchone() == (2,)


def test_a_label_code_is_always_as_the_codes_are_made_on_postgresql(named) -> None:  # type: ignore[no-untyped-def]
    """The search looks for a word with a letter no code has among the name words only."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.filter(pk=named[0].pk).update(code="SE-OLD1-LUIK-01")


def test_the_vocabulary_is_kept_whatever_the_sessions_search_path(named) -> None:  # type: ignore[no-untyped-def]
    """pg_restore writes with an empty search_path: the trigger still finds its table."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        cursor.execute("SET LOCAL search_path = ''")
        cursor.execute(
            f"UPDATE {schema}.certification_label SET search_text = 'zijdezachte handdoek | x | x | x' WHERE id = %s",
            [named[0].pk],
        )
        cursor.execute(f"SELECT count(*) FROM {schema}.certification_search_word WHERE word = 'zijdezachte'")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)  # as a request
def test_only_a_search_by_name_words_reads_in_a_snapshot_of_its_own(api, named) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.test.utils import CaptureQueriesContext

    asked = [("confituur", False), ("van zeep", False), ("vijgen van", True), ("biologische confit", True)]
    for query, by_names in asked:
        with CaptureQueriesContext(connection) as queries:
            assert found(api, query) == held(query)
            assert api.get(reverse("web:registry"), {"q": query}).status_code == 200
        said = [captured["sql"] for captured in queries.captured_queries]
        assert said.count("BEGIN") == (2 if by_names else 0), query
        assert any("certification_search_word" in sql for sql in said) == by_names, query


def test_the_vocabulary_is_read_by_its_trigram_index_at_a_national_size_on_postgresql(named) -> None:  # type: ignore[no-untyped-def]
    """200,000 words: a pattern the planner could not see made it read the vocabulary in order."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.test.utils import CaptureQueriesContext

    from certification.registry import words_containing

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO certification_search_word (word)"
            " SELECT md5(n::text) || 'woord' FROM generate_series(1, 200000) AS n"
        )
        cursor.execute("ANALYZE certification_search_word")
    with CaptureQueriesContext(connection) as queries:
        found_words = words_containing(["confit", "biologisch"])
    assert sorted(found_words["confit"] or []) == ["aardbeienconfituur", "confituur"]
    assert found_words["biologisch"] == ["biologische"]
    [looked_up] = [query["sql"] for query in queries.captured_queries if "certification_search_word" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {looked_up}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert plan.count("search_word_trgm") == 2, plan
