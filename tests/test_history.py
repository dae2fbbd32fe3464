"""The history is append-only: one row per change, none ever updated or deleted."""

import pytest
from django.db import connection, transaction

from certification.models import ApplicationState, HistoryEvent, HistoryIsAppendOnly
from certification.services.applications import return_application
from tests.workflow import Actors, build_application


@pytest.fixture
def event(alice, carol, olivia, enterprise, scheme) -> HistoryEvent:  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    return_application(application=application, by=olivia, comment="Attest ontbreekt.")
    return HistoryEvent.objects.get(action="application.returned")


def test_a_transition_writes_exactly_one_row(event, olivia) -> None:  # type: ignore[no-untyped-def]
    assert (event.action, event.actor, event.from_state, event.to_state, event.comment) == (
        "application.returned",
        olivia,
        "submitted",
        "draft",
        "Attest ontbreekt.",
    )


def test_an_existing_row_cannot_be_saved_again(event) -> None:  # type: ignore[no-untyped-def]
    event.comment = "herschreven"
    with pytest.raises(HistoryIsAppendOnly):
        event.save()
    assert HistoryEvent.objects.get(pk=event.pk).comment == "Attest ontbreekt."


def test_rows_cannot_be_updated_or_deleted_through_the_orm(event) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEvent.objects.filter(pk=event.pk).update(comment="weg")
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEvent.objects.all().delete()
    with pytest.raises(HistoryIsAppendOnly):
        event.delete()
    assert HistoryEvent.objects.get(pk=event.pk).comment == "Attest ontbreekt."


def test_the_database_refuses_an_update_in_sql(event) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE certification_historyevent SET comment = 'weg'")
    assert HistoryEvent.objects.get(pk=event.pk).comment == "Attest ontbreekt."
