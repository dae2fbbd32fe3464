"""Impartiality (ISO/IEC 17065 4.2, 7.6): nobody schedules, audits or decides for an
enterprise he or she is a member of or has declared a conflict of interest with.

mia is an officer and a member of alice's enterprise; olivia an officer who declared a tie
with it; carol audits; dan is an auditor who declared a tie.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import Application, ApplicationState, ConflictOfInterest, Label, Role
from certification.policies import eligible_auditors
from tests.factories import UserFactory
from tests.workflow import Actors, build_application

S = ApplicationState


@pytest.fixture
def mia(enterprise):  # type: ignore[no-untyped-def]
    user = UserFactory(username="mia", roles=[Role.OFFICER])
    enterprise.members.add(user)
    return user


def declare(person, enterprise, *, until=None) -> None:  # type: ignore[no-untyped-def]
    ConflictOfInterest.objects.create(person=person, enterprise=enterprise, reason="Vroegere werkgever.", until=until)


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_an_officer_of_the_enterprise_may_not_approve_its_application(
    mia, alice, carol, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )

    response = api(mia).post(f"/api/v1/applications/{application.pk}/transitions/approve/", {}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "mia is a member of the applying enterprise: a conflict of interest."
    assert Application.objects.get(pk=application.pk).state == S.AUDIT_REPORTED
    assert not Label.objects.exists()


def test_an_officer_of_the_enterprise_may_not_schedule_its_audit(mia, alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = api(mia).post(
        f"/api/v1/applications/{application.pk}/transitions/schedule_audit/",
        {"auditor": "carol", "scheduled_for": day},
        format="json",
    )

    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED
    assert "schedule_audit" not in [
        t["name"] for t in api(mia).get(f"/api/v1/applications/{application.pk}/transitions/").json()
    ]


def test_a_declared_conflict_refuses_the_officer_until_it_ends(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    declare(olivia, enterprise, until=timezone.localdate())
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    url = f"/api/v1/applications/{application.pk}/transitions/reject/"

    refused = api(olivia).post(url, {"reason": "Voldoet niet."}, format="json")

    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "olivia declared a conflict of interest with the applying enterprise: Vroegere werkgever."
    )
    ConflictOfInterest.objects.update(until=timezone.localdate() - datetime.timedelta(days=1))
    assert api(olivia).post(url, {"reason": "Voldoet niet."}, format="json").status_code == 200


def test_an_auditor_with_a_declared_conflict_is_neither_offered_nor_accepted(
    alice, carol, dan, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    declare(dan, enterprise)
    application = build_application(
        S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    assert [u.username for u in eligible_auditors(application=application)] == ["carol"]
    response = api(olivia).post(
        f"/api/v1/applications/{application.pk}/transitions/schedule_audit/",
        {"auditor": "dan", "scheduled_for": day},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["unmet"] == [
        "dan declared a conflict of interest with the applying enterprise: Vroegere werkgever."
    ]
