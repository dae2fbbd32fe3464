"""Officers are mailed when something waits for their decision (issue 13 item 5): a surveillance
report, a change notified, a complaint received, an appeal lodged. Each mail goes to the
officers the impartiality rules let decide it, once per officer and event, in the officer's
language, with the address of the page where it is decided; nothing if the change rolls back.

olivia (Dutch) approved alice's labels and rejects; oscar (French) took no part in anything;
mia is an officer and a member of Atelier Alice; conrad is an officer who declared a conflict
with it; vera is an officer and an auditor who audits the surveillance.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from audits.services.surveillance import report_surveillance, submit_surveillance_corrections
from audits.surveillance import SurveillanceState
from background.models import Mail
from certification.models import ApplicationState, ConflictOfInterest, HistoryEvent, Label, Role, User
from certification.notifications import latest_event, notify_officers, officers_to_tell
from certification.services.applications import reject_application, submit_application
from certification.services.changes import CHANGE_SENTENCE, CHANGE_SUBJECT, notify_change
from complaints.services.appeals import lodge_appeal
from complaints.services.filing import ComplaintInput, file_complaint
from tests.conftest import qualified
from tests.factories import UserFactory
from tests.surveillance_world import build_surveillance
from tests.workflow import Actors, build_application

BASE = "https://label.example.be"


@pytest.fixture
def officers(olivia, oscar, enterprise) -> dict[str, User]:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=oscar.pk).update(language="fr")
    mia = UserFactory(username="mia", roles=[Role.OFFICER])
    enterprise.members.add(mia)
    conrad = UserFactory(username="conrad", roles=[Role.OFFICER])
    ConflictOfInterest.objects.create(person=conrad, enterprise=enterprise, reason="Broer van de zaakvoerder.")
    vera = qualified(UserFactory(username="vera", roles=[Role.OFFICER, Role.AUDITOR]))
    return {"olivia": olivia, "oscar": User.objects.get(pk=oscar.pk), "mia": mia, "conrad": conrad, "vera": vera}


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


def decision_mails() -> list[tuple[str, str, str, str]]:
    """(to, language, subject, body) of each mail to an officer about a decision, by address."""
    rows = Mail.objects.filter(key__startswith="decide:").order_by("to", "pk")
    return [(m.to, m.language, m.subject, m.body) for m in rows]


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_surveillance_report_is_mailed_to_the_officers_who_may_decide_it(  # type: ignore[no-untyped-def]
    label, officers, django_capture_on_commit_callbacks
) -> None:
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=label, auditor=officers["vera"])
    with django_capture_on_commit_callbacks(execute=True):
        report_surveillance(surveillance=surveillance, by=officers["vera"], summary="In orde.")
    # Not vera, who audited it (four eyes); not mia, a member; not conrad, who declared a conflict.
    mails = decision_mails()
    assert [(to, language) for to, language, _subject, _body in mails] == [
        ("olivia@example.be", "nl"),
        ("oscar@example.be", "fr"),
    ]
    (_to, _nl, dutch, _body), (_to2, _fr, french, body) = mails
    assert dutch == f"Surveillance-audit van label {label.code}: een verslag om over te beslissen"
    assert french == f"Audit de surveillance du label {label.code} : un rapport à décider"
    assert f"Décidez ici : {BASE}/surveillance/{surveillance.pk}/" in body
    assert sent_to() == ["olivia@example.be", "oscar@example.be"]


def test_the_same_event_told_twice_is_one_mail_per_officer(label, officers) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=label, auditor=officers["vera"])
    report_surveillance(surveillance=surveillance, by=officers["vera"], summary="Ok.")
    event = latest_event(surveillance, "surveillance.reported")
    facts = {"code": "-", "enterprise": "-", "product": "-", "kind": "-", "date": timezone.localdate()}
    notify_officers(surveillance, event, subject=CHANGE_SUBJECT, sentence=CHANGE_SENTENCE, facts=facts, url=BASE)
    assert Mail.objects.filter(key__startswith="decide:").count() == 2


def test_answered_corrective_actions_of_a_surveillance_tell_the_officers_again(  # type: ignore[no-untyped-def]
    label, alice, carol, officers
) -> None:
    surveillance = build_surveillance(SurveillanceState.CORRECTIVE_ACTION, label=label, auditor=carol)
    submit_surveillance_corrections(surveillance=surveillance, by=alice, response="Register bijgewerkt.")
    event = latest_event(surveillance, "surveillance.corrective_actions_submitted")
    keys = set(Mail.objects.filter(key__startswith="decide:").values_list("key", flat=True))
    assert keys == {f"decide:{event.sequence}:{officers[name].pk}" for name in ("olivia", "oscar", "vera")}


def test_a_change_notified_is_mailed_to_the_officers_without_a_conflict(  # type: ignore[no-untyped-def]
    label, alice, officers, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        change = notify_change(
            label=label,
            by=alice,
            kind="production_moved",
            description="Naar Gent.",
            effective_on=datetime.date(2027, 1, 4),
        )
    mails = decision_mails()
    assert [to for to, *_rest in mails] == ["olivia@example.be", "oscar@example.be", "vera@example.be"]
    _to, _language, subject, body = mails[1]
    assert subject == f"Label {label.code} : un changement à décider"
    assert "production déplacée" in body
    assert "4 janvier 2027" in body
    assert f"{BASE}/changes/#change-{change.pk}" in body
    assert len(mail.outbox) == 3


def test_a_change_that_rolls_back_mails_nobody(label, alice, officers, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    def notified_then_failed() -> None:
        with transaction.atomic():
            notify_change(
                label=label,
                by=alice,
                kind="production_moved",
                description="Naar Gent.",
                effective_on=timezone.localdate(),
            )
            raise RuntimeError("something after the notification fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notified_then_failed()
    assert decision_mails() == []
    assert mail.outbox == []


def test_a_complaint_received_is_mailed_to_the_officers_with_no_part_in_the_label(  # type: ignore[no-untyped-def]
    label, officers, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(
            data=ComplaintInput(category="not_as_claimed", description="Niet in een atelier gemaakt.", label=label.code)
        )
    # olivia approved the label: she took part in its certification.
    mails = decision_mails()
    assert [to for to, *_rest in mails] == ["oscar@example.be", "vera@example.be"]
    _to, language, subject, body = mails[0]
    assert language == "fr"
    assert subject.startswith(f"Plainte {complaint.tracking_number} reçue : à confirmer au plus tard le ")
    assert f"{BASE}/officer/complaints/{complaint.tracking_number}/" in body
    assert sent_to() == ["oscar@example.be", "vera@example.be"]


def test_an_appeal_lodged_is_mailed_to_the_officers_who_took_no_part_in_the_decision(  # type: ignore[no-untyped-def]
    alice, carol, officers, enterprise, scheme, django_capture_on_commit_callbacks
) -> None:
    application = build_application(
        ApplicationState.AUDIT_REPORTED,
        enterprise=enterprise,
        scheme=scheme,
        actors=Actors(alice, carol, officers["olivia"]),
    )
    reject_application(application=application, by=officers["olivia"], reason="Aandeel te laag gemeten.")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = lodge_appeal(by=alice, application=application, arguments="Verkeerd gemeten.", reopen_at="submitted")
    mails = decision_mails()
    assert [to for to, *_rest in mails] == ["oscar@example.be", "vera@example.be"]
    assert mails[0][2] == "Recours de Atelier Alice : une décision à prendre"
    assert f"{BASE}/appeals/{appeal.pk}/" in mails[0][3]
    assert HistoryEvent.objects.filter(action="appeal.lodged").count() == 1


def test_an_application_submitted_is_not_mailed_to_an_officer_of_the_enterprise(  # type: ignore[no-untyped-def]
    alice, carol, officers, enterprise, scheme
) -> None:
    application = build_application(
        ApplicationState.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, officers["olivia"])
    )
    submit_application(application=application, by=alice)
    told = set(Mail.objects.filter(key__startswith=f"application:{application.pk}:").values_list("to", flat=True))
    assert told == {"olivia@example.be", "oscar@example.be", "vera@example.be"}


def test_an_officer_without_an_address_or_inactive_is_not_told(label, officers) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=officers["oscar"].pk).update(email="")
    User.objects.filter(pk=officers["vera"].pk).update(is_active=False)
    assert [officer.username for officer in officers_to_tell(label)] == ["olivia"]
