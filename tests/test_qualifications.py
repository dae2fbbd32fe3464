"""Auditors are scheduled only for the product categories they are qualified for, until the
qualification ends (ISO/IEC 17065 6.1.2).

erin is an auditor qualified for food only; carol for every category.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import Application, ApplicationState, AuditorQualification, ProductCategory, Role
from certification.policies import eligible_auditors
from tests.factories import UserFactory
from tests.workflow import Actors, build_application

S = ApplicationState


@pytest.fixture
def erin(scheme):  # type: ignore[no-untyped-def]
    user = UserFactory(username="erin", roles=[Role.AUDITOR])
    food = ProductCategory.objects.get(code="food")
    AuditorQualification.objects.create(auditor=user, category=food, valid_until=timezone.localdate())
    return user


def schedule(officer, application, auditor: str):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(officer)
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/schedule_audit/",
        {"auditor": auditor, "scheduled_for": day},
        format="json",
    )


def test_an_auditor_is_refused_for_a_category_he_is_not_qualified_for(
    erin, alice, carol, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia), category="assembly"
    )

    response = schedule(olivia, application, "erin")

    assert response.status_code == 400
    assert response.json()["unmet"] == ["erin is not qualified to audit Assembly."]
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED
    assert [u.username for u in eligible_auditors(application=application)] == ["carol"]


def test_a_qualified_auditor_is_offered_and_scheduled_until_the_qualification_ends(
    erin, alice, carol, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia), category="food"
    )
    assert [u.username for u in eligible_auditors(application=application)] == ["carol", "erin"]

    AuditorQualification.objects.filter(auditor=erin).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert schedule(olivia, application, "erin").json()["unmet"] == ["erin is not qualified to audit Food."]

    AuditorQualification.objects.filter(auditor=erin).update(valid_until=timezone.localdate())
    assert schedule(olivia, application, "erin").status_code == 200
    assert Application.objects.get(pk=application.pk).audit.auditor == erin


def test_the_page_offers_only_qualified_auditors(client, erin, alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia), category="assembly"
    )
    client.force_login(olivia)
    form = client.get(f"/applications/{application.pk}/schedule_audit/").context["form"]
    assert [value for value, _label in form.fields["auditor"].widget.choices] == ["", "carol"]
