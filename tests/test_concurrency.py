"""Two officers approve the same application at the same instant: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from audits.services.decisions import approve_application
from certification.exceptions import TransitionNotAllowed
from certification.models import Application, ApplicationState, HistoryEvent, Label
from tests.workflow import Actors, build_application


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_issue_one_label(alice, carol, olivia, oscar, enterprise) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers on its own")
    from certification.seed import ensure_seed_scheme

    scheme = ensure_seed_scheme()
    application = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(officer) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            approve_application(application=Application.objects.get(pk=application.pk), by=officer)
            outcomes.append("approved")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(officer,)) for officer in (olivia, oscar)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["approved", "refused"]
    assert Label.objects.filter(application=application).count() == 1
    assert HistoryEvent.objects.filter(action="application.approved").count() == 1
