"""Labels keep a copy of what the public lookup shows of their product, enterprise, category,
scheme and successor (Label.public_facts): it is never out of date with what it copies."""

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from certification import generation
from certification.models import Label
from certification.services.labels import change_label_status, refresh_public_facts


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein", kind="product")


def shown(label: Label) -> dict:  # type: ignore[type-arg]
    return APIClient().get(reverse("api:label", args=[label.code])).json()


def assert_copies_current() -> None:
    for label in Label.objects.all():
        assert label.public_facts == label.lookup_facts(), label.code


def test_an_issued_label_holds_the_facts_it_shows(label) -> None:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    assert label.public_facts == {
        "product": {"name": "Houten speelgoedtrein", "kind": "product", "category": "assembly"},
        "enterprise": {
            "name": "Atelier Alice",
            "enterprise_number": label.product.enterprise.enterprise_number,
            "recognition_type": label.product.enterprise.recognition_type,
        },
        "scheme": str(label.scheme),
        "superseded_by": None,
    }


def test_each_thing_a_lookup_shows_is_copied_again_when_it_changes(label, committed) -> None:  # type: ignore[no-untyped-def]
    product = label.product
    category, enterprise, scheme = product.category, product.enterprise, label.scheme
    product.name, product.kind = "Houten speelgoedtrein XL", "service"
    enterprise.name, enterprise.recognition_type = "Atelier Alice vzw", "lokale_diensteneconomie"
    category.code = "woodwork"
    scheme.version = "2027.1"
    with committed():
        for changed in (product, enterprise, category, scheme):
            changed.save()

    body = shown(label)
    assert body["product"] == {"name": "Houten speelgoedtrein XL", "kind": "service", "category": "woodwork"}
    assert (body["enterprise"]["name"], body["enterprise"]["recognition_type"]) == (
        "Atelier Alice vzw",
        "lokale_diensteneconomie",
    )
    assert body["scheme"].endswith("2027.1")
    assert_copies_current()


def test_a_change_no_lookup_shows_rewrites_nothing_and_keeps_the_cached_answers(label, committed) -> None:  # type: ignore[no-untyped-def]
    enterprise = label.product.enterprise
    before = generation.read()
    enterprise.recognition_number = "MWB-99999"
    with committed():
        enterprise.save()
    assert generation.read() == before
    assert refresh_public_facts(labels=Label.objects.all()) == []


def test_a_status_change_keeps_the_copy_current(label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="misuse")
    assert shown(label)["status"] == "suspended"
    assert_copies_current()


def test_refreshing_rewrites_only_the_stale_copies(issue_label) -> None:  # type: ignore[no-untyped-def]
    issue_label(name="Stoel")
    second = issue_label(name="Tafel")
    Label.objects.filter(pk=second.pk).update(public_facts={**second.public_facts, "scheme": "iets anders"})
    assert refresh_public_facts(labels=Label.objects.all()) == [second.code]
    assert_copies_current()


def test_a_label_written_around_save_without_its_copy_is_refused(
    label, alice, carol, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    from certification.models import ApplicationState
    from tests.workflow import Actors, build_application

    application = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    written_around_save = Label(
        code="SE-7K3M-9QX2-4H6",
        application=application,
        product=application.product,
        scheme=scheme,
        level=1,
        social_share=50,
        issued_on=label.issued_on,
        valid_until=label.valid_until,
    )
    with pytest.raises(IntegrityError):
        Label.objects.bulk_create([written_around_save])


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_labels_their_copy(issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label(name="Houten speelgoedtrein")
    expected = label.lookup_facts()

    executor = MigrationExecutor(connection)
    executor.migrate([("certification", "0003_certificates_and_signing_keys")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("certification", "0004_label_public_facts")])

    assert Label.objects.get(pk=label.pk).public_facts == expected
