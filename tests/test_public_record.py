"""Labels keep, rendered, what the public lookup shows of them that changes only when they are
issued or superseded or their product, enterprise, category or scheme changes
(Label.public_record): it is never out of date with what it shows."""

import orjson
import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from certification.lookup import labels_for_lookup, public_representation
from certification.models import Label, PublicStatus
from certification.services.labels import change_label_status, refresh_public_records


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein", kind="product")


def shown(label: Label) -> dict:  # type: ignore[type-arg]
    return APIClient().get(reverse("api:label", args=[label.code])).json()


def assert_records_current() -> None:
    for label in Label.objects.all():
        assert label.public_record == label.render_public_record(), label.code


def test_an_issued_label_holds_its_record(label) -> None:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    enterprise = label.product.enterprise
    assert orjson.loads(label.public_record) == {
        "level": 3,
        "social_share_percent": 80.0,
        "product": {"name": "Houten speelgoedtrein", "kind": "product", "category": "assembly"},
        "enterprise": {
            "name": "Atelier Alice",
            "enterprise_number": enterprise.enterprise_number,
            "recognition_type": enterprise.recognition_type,
        },
        "scheme": str(label.scheme),
        "issued_on": label.issued_on.isoformat(),
        "valid_until": label.valid_until.isoformat(),
        "superseded_by": None,
        "replaces": None,
    }


def test_each_thing_a_lookup_shows_is_rendered_again_when_it_changes(label, committed) -> None:  # type: ignore[no-untyped-def]
    product = label.product
    category, enterprise, scheme = product.category, product.enterprise, label.scheme
    product.name, product.kind = 'Houten "speelgoedtrein" XL', "service"
    enterprise.name, enterprise.recognition_type = "Atelier Alice vzw", "lokale_diensteneconomie"
    category.code = "woodwork"
    scheme.version = "2027.1"
    with committed():
        for changed in (product, enterprise, category, scheme):
            changed.save()

    body = shown(label)
    assert body["product"] == {"name": 'Houten "speelgoedtrein" XL', "kind": "service", "category": "woodwork"}
    assert (body["enterprise"]["name"], body["enterprise"]["recognition_type"]) == (
        "Atelier Alice vzw",
        "lokale_diensteneconomie",
    )
    assert body["scheme"].endswith("2027.1")
    assert_records_current()


def test_a_change_no_lookup_shows_rewrites_nothing(label, committed) -> None:  # type: ignore[no-untyped-def]
    enterprise = label.product.enterprise
    enterprise.recognition_number = "MWB-99999"
    with committed():
        enterprise.save()
    assert refresh_public_records(labels=Label.objects.all()) == []


def test_a_status_change_keeps_the_record_current(label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="misuse")
    assert shown(label)["status"] == "suspended"
    assert_records_current()


def test_refreshing_rewrites_only_the_stale_records(issue_label) -> None:  # type: ignore[no-untyped-def]
    issue_label(name="Stoel")
    second = issue_label(name="Tafel")
    Label.objects.filter(pk=second.pk).update(public_record='{"level":1}')
    assert refresh_public_records(labels=Label.objects.all()) == [second.code]
    assert_records_current()


@pytest.mark.parametrize("name", ["suspend", "revoke"])
def test_the_answer_is_the_json_of_the_public_representation(label, olivia, name) -> None:  # type: ignore[no-untyped-def]
    for state in ("issued", name):
        if state == name:
            change_label_status(label=label, name=name, by=olivia, reason="Klacht.", category="misuse")
        body = APIClient().get(reverse("api:label", args=[label.code])).content
        data = orjson.loads(body)
        assert body == orjson.dumps(data)  # compact, valid JSON
        assert data == public_representation(labels_for_lookup().get(pk=label.pk))
        assert PublicStatus(data["status"]) == Label.objects.get(pk=label.pk).public_status()
        assert list(data) == [
            "code", "status", "valid", "level", "social_share_percent", "product", "enterprise", "scheme",
            "issued_on", "valid_until", "superseded_by", "replaces", "status_reason", "status_since",
            "verify_url", "certificate_url",
        ]  # fmt: skip


def test_a_label_written_around_save_without_its_record_is_refused(
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
def test_the_migration_gives_existing_labels_their_record(issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label(name="Crèmes & zeepjes")
    expected = Label.objects.get(pk=label.pk).render_public_record()

    executor = MigrationExecutor(connection)
    executor.migrate([("certification", "0003_certificates_and_signing_keys")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("certification", "0004_label_public_record")])
    # Read as 0004 left it (later migrations add columns the model knows and this state has not).
    record = Label.objects.values_list("public_record", flat=True).get(pk=label.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # the schema the next tests expect

    # 0020 adds the label a label replaces: after it, the record is exactly the current one.
    assert orjson.loads(record) == {key: value for key, value in orjson.loads(expected).items() if key != "replaces"}
    assert Label.objects.values_list("public_record", flat=True).get(pk=label.pk) == expected


def test_the_operator_command_rewrites_records_changed_around_the_application(label) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    from certification.models import Enterprise

    Enterprise.objects.filter(pk=label.product.enterprise_id).update(name="Hernoemd via SQL")
    output = StringIO()
    call_command("refresh_public_records", stdout=output)
    assert "Rewrote 1 public record(s)." in output.getvalue()
    assert shown(label)["enterprise"]["name"] == "Hernoemd via SQL"
    assert_records_current()
