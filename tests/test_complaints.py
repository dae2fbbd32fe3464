"""Complaints from the public (ISO/IEC 17065 7.13): filing, tracking numbers, deadlines in
working days, impartial handling, the suspension it can lead to, and what each party is told.

alice applies for Atelier Alice, whose label olivia approved (so olivia took part in it); oscar
is an officer with no part in it; mia is an officer and a member of alice's enterprise.
"""

import datetime
import secrets
import zoneinfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext, override

from background.models import Mail
from certification.codes import ALPHABET
from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import ConflictOfInterest, HistoryEvent, Label, LabelStatus, Role, StatusReason
from certification.working_days import add_working_days
from complaints.models import Complaint, ComplaintState
from complaints.services.filing import ComplaintInput, file_complaint
from complaints.services.handling import acknowledge_complaint, start_investigation, uphold_complaint
from complaints.tracking import InvalidTrackingNumber, make_tracking_number, parse_tracking_number
from tests.complaints import build_complaint
from tests.factories import PDF_BYTES, UserFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# Friday 4 December 2026, ten in the morning.
FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=BRUSSELS)


def complaint_about(code: str, **fields: object) -> ComplaintInput:
    values: dict[str, object] = {
        "label": code,
        "category": "not_as_claimed",
        "description": "Het werk gebeurt niet in het eigen atelier.",
        "email": "klager@example.be",
        "language": "fr",
    }
    values.update(fields)
    return ComplaintInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label()


@pytest.fixture
def mia(enterprise):  # type: ignore[no-untyped-def]
    user = UserFactory(username="mia", roles=[Role.OFFICER])
    enterprise.members.add(user)
    return user


# Tracking numbers


def compact(number: str) -> str:
    return number.removeprefix("SK-").replace("-", "")  # "SK-" may also end a group inside


def test_every_single_typo_of_a_tracking_number_is_caught() -> None:
    for _ in range(20):
        body = compact(make_tracking_number())
        for position, symbol in enumerate(body):
            for other in ALPHABET.replace(symbol, ""):
                typo = body[:position] + other + body[position + 1 :]
                with pytest.raises(InvalidTrackingNumber, match="check character"):
                    parse_tracking_number(f"SK{typo}")


def test_every_neighbour_swap_of_a_tracking_number_is_caught() -> None:
    for _ in range(200):
        body = compact(make_tracking_number())
        for position in range(len(body) - 1):
            if body[position] == body[position + 1]:
                continue
            swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
            with pytest.raises(InvalidTrackingNumber, match="check character"):
                parse_tracking_number(f"SK{swapped}")


def test_a_tracking_number_is_read_as_forgivingly_as_a_label_code() -> None:
    number = make_tracking_number()
    typed = f"  {number.lower().replace('-', ' ')} ".replace("0", "o").replace("1", "l")
    assert parse_tracking_number(typed) == number
    assert parse_tracking_number(compact(number)) == number


def test_a_label_code_is_not_a_tracking_number(label) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidTrackingNumber, match="11 characters after SK"):
        parse_tracking_number(label.code)


# Filing


def test_anyone_files_a_complaint_about_a_label_and_is_mailed_its_number(label, committed) -> None:  # type: ignore[no-untyped-def]
    with committed():
        complaint = file_complaint(data=complaint_about(label.code.lower()))

    assert complaint.state == ComplaintState.RECEIVED
    assert (complaint.label, complaint.enterprise) == (label, label.product.enterprise)
    assert complaint.tracking_number == parse_tracking_number(complaint.tracking_number)
    event = HistoryEvent.objects.get(action="complaint.received")
    assert (event.actor, event.to_state, event.target_id) == (None, "received", complaint.pk)
    assert "klager@example.be" not in str(event.data)
    assert "atelier" not in str(event.data)
    mail = Mail.objects.get(to="klager@example.be")
    assert mail.language == "fr"
    with override("fr"):
        assert mail.subject == gettext("Your complaint %(number)s: %(stage)s") % {
            "number": complaint.tracking_number,
            "stage": ComplaintState.RECEIVED.label,
        }
    assert complaint.tracking_number in mail.body


def test_a_complaint_about_an_enterprise_is_filed_by_its_number(enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(
        data=complaint_about("", enterprise_number="0403 170 701", category="working_conditions", email="")
    )
    assert (complaint.label, complaint.enterprise) == (None, enterprise)
    assert not Mail.objects.exists()  # no address, no mail


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"label": "SE-7K3M-9QX2-4H7"}, "check character"),
        ({"label": ""}, "a label code or an enterprise number"),
        ({"enterprise_number": "0403170701"}, "not both"),
        ({"category": "rude"}, "category"),
        ({"description": "   "}, "Describe the problem"),
        ({"description": "x" * 5001}, "longer than 5000 characters"),
        ({"email": "not-an-address"}, "e-mail address is not valid"),
    ],
)
def test_filing_refuses_bad_input_with_a_sentence(label, fields, sentence) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet) as refusal:
        file_complaint(data=complaint_about(label.code, **fields))
    assert sentence in refusal.value.message
    assert not Complaint.objects.exists()


def test_an_unknown_label_code_is_said_to_be_never_issued(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="never issued"):
        file_complaint(data=complaint_about("SE-7K3M-9QX2-4H6"))


def test_the_honeypot_field_refuses_the_whole_complaint(label) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="machine"):
        file_complaint(data=complaint_about(label.code, website="http://spam.example"))
    assert not Complaint.objects.exists()


def test_files_pass_the_same_checks_as_documents(label, settings) -> None:  # type: ignore[no-untyped-def]
    pdf = SimpleUploadedFile("foto.pdf", PDF_BYTES)
    complaint = file_complaint(data=complaint_about(label.code, files=[pdf]))
    assert complaint.files.get().content_type == "application/pdf"
    with pytest.raises(RequirementsNotMet, match="Only PDF, PNG and JPEG"):
        file_complaint(data=complaint_about(label.code, files=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00")]))
    with pytest.raises(RequirementsNotMet, match="plain name"):
        file_complaint(data=complaint_about(label.code, files=[ContentFile(PDF_BYTES, name="../x.pdf")]))
    many = [SimpleUploadedFile(f"{n}.pdf", PDF_BYTES) for n in range(settings.COMPLAINT_MAX_FILES + 1)]
    with pytest.raises(RequirementsNotMet, match="at most 3 files"):
        file_complaint(data=complaint_about(label.code, files=many))
    assert Complaint.objects.count() == 1


# Deadlines, in working days, under time travel


def test_working_days_skip_the_weekend() -> None:
    friday = datetime.date(2026, 12, 4)
    assert add_working_days(friday, 5) == datetime.date(2026, 12, 11)
    assert add_working_days(friday + datetime.timedelta(days=1), 5) == datetime.date(2026, 12, 14)
    assert add_working_days(friday, 0) == friday


def test_the_deadlines_run_in_working_days_and_overdue_is_read_when_asked(label, oscar) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FRIDAY, tick=False):
        complaint = file_complaint(data=complaint_about(label.code))
    assert complaint.acknowledge_by == datetime.date(2026, 12, 11)  # five working days: the next Friday
    with time_machine.travel(datetime.datetime(2026, 12, 11, 23, 0, tzinfo=BRUSSELS), tick=False):
        assert not complaint.overdue()
    with time_machine.travel(datetime.datetime(2026, 12, 12, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert complaint.overdue()
    with time_machine.travel(datetime.datetime(2026, 12, 14, 9, 0, tzinfo=BRUSSELS), tick=False):
        complaint = acknowledge_complaint(complaint=complaint, by=oscar)
        assert not complaint.overdue()
    # Twenty working days after Monday 14 December: Christmas and New Year (Fridays) are not.
    assert complaint.decide_by == datetime.date(2027, 1, 13)
    with time_machine.travel(datetime.datetime(2027, 1, 13, 23, 0, tzinfo=BRUSSELS), tick=False):
        assert not complaint.overdue()
    with time_machine.travel(datetime.datetime(2027, 1, 14, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert complaint.overdue()


# Impartiality


def test_an_officer_who_took_part_in_the_label_may_not_handle_the_complaint(label, olivia) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code))
    with pytest.raises(ActionForbidden) as refusal:
        acknowledge_complaint(complaint=complaint, by=olivia)
    assert refusal.value.message == (
        "You took part in the certification of this label: another certification officer handles the complaint."
    )
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RECEIVED


def test_an_officer_of_the_enterprise_or_with_a_declared_conflict_may_not_handle_it(label, mia, oscar) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code))
    with pytest.raises(ActionForbidden, match="member of the applying enterprise"):
        acknowledge_complaint(complaint=complaint, by=mia)
    ConflictOfInterest.objects.create(person=oscar, enterprise=label.product.enterprise, reason="Mijn zus werkt er.")
    with pytest.raises(ActionForbidden, match="declared a conflict of interest"):
        acknowledge_complaint(complaint=complaint, by=oscar)


# Outcome and what each party is told


def test_an_upheld_complaint_can_suspend_the_label_linked_to_it(label, oscar) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code))
    acknowledge_complaint(complaint=complaint, by=oscar)
    start_investigation(complaint=complaint, by=oscar)
    uphold_complaint(complaint=complaint, by=oscar, reason="Vastgesteld ter plaatse.", suspend_label=True)

    complaint = Complaint.objects.get(pk=complaint.pk)
    label = Label.objects.get(pk=label.pk)
    assert complaint.state == ComplaintState.UPHELD
    assert (label.status, label.status_reason_category) == (LabelStatus.SUSPENDED, StatusReason.COMPLAINT_UPHELD)
    assert complaint.suspension is not None
    assert (complaint.suspension.action, complaint.suspension.target_id) == ("label.suspended", label.pk)
    assert complaint.tracking_number in complaint.suspension.comment


def test_a_complaint_about_an_enterprise_has_no_label_to_suspend(enterprise, oscar) -> None:  # type: ignore[no-untyped-def]
    complaint = build_complaint(ComplaintState.UNDER_INVESTIGATION, enterprise=enterprise)
    with pytest.raises(RequirementsNotMet, match="no label to suspend"):
        uphold_complaint(complaint=complaint, by=oscar, reason="Klopt.", suspend_label=True)
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.UNDER_INVESTIGATION


def test_the_complainant_is_told_each_stage_and_the_enterprise_only_that_it_exists_and_its_outcome(
    label, alice, oscar, committed
) -> None:  # type: ignore[no-untyped-def]
    with committed():
        complaint = file_complaint(data=complaint_about(label.code, description="Geheim verhaal van Jan."))
        acknowledge_complaint(complaint=complaint, by=oscar, note="Interne nota.")
        start_investigation(complaint=complaint, by=oscar)
        uphold_complaint(complaint=complaint, by=oscar, reason="Interne reden.")

    to_complainant = Mail.objects.filter(to="klager@example.be").order_by("pk")
    assert to_complainant.count() == 4
    assert {mail.language for mail in to_complainant} == {"fr"}
    to_enterprise = Mail.objects.filter(to=alice.email, key__startswith="complaint:").order_by("pk")
    assert to_enterprise.count() == 2  # acknowledged, upheld
    for mail in to_enterprise:
        text = mail.subject + mail.body
        for private in ("klager@example.be", "Jan", "Interne", complaint.tracking_number):
            assert private not in text
        assert label.code in text


def test_telling_the_same_change_twice_sends_one_mail(label, oscar) -> None:  # type: ignore[no-untyped-def]
    from complaints.notifications import notify_complaint_change

    complaint = file_complaint(data=complaint_about(label.code))
    event = HistoryEvent.objects.get(action="complaint.received")
    notify_complaint_change(complaint, event)
    assert Mail.objects.filter(to="klager@example.be").count() == 1


# The public status page and its API


def test_the_public_status_shows_the_stage_and_dates_and_nothing_private(label, oscar, client) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code, description="Geheim verhaal van Jan."))
    acknowledge_complaint(complaint=complaint, by=oscar, note="Interne nota over de klager.")

    page = client.get(f"/complaints/{complaint.tracking_number}/", HTTP_ACCEPT_LANGUAGE="en")
    answer = client.get(f"/api/v1/complaints/{complaint.tracking_number}/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == answer.status_code == 200
    assert "acknowledged" in page.content.decode()
    body = answer.json()
    assert (body["status"], body["label"], body["overdue"]) == ("acknowledged", label.code, False)
    assert [stage["status"] for stage in body["stages"]] == ["received", "acknowledged"]
    for text in (page.content.decode(), answer.content.decode()):
        for private in ("klager@example.be", "Geheim", "Interne", "oscar", "olivia"):
            assert private not in text


def test_a_mistyped_number_is_answered_400_and_an_unknown_one_404(client, db) -> None:  # type: ignore[no-untyped-def]
    number = make_tracking_number()
    typo = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert client.get(f"/api/v1/complaints/{typo}/").status_code == 400
    assert client.get(f"/complaints/{typo}/").status_code == 400
    assert client.get(f"/api/v1/complaints/{number}/").status_code == 404
    assert client.get(f"/complaints/{number}/").status_code == 404
    assert client.get(f"/complaints/{number.lower()}/").status_code == 302


def test_the_verify_page_links_to_a_complaint_about_its_label(label, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/verify/{label.code}/").content.decode()
    assert f"/complaints/new/?label={label.code}" in page
    form = client.get(f"/complaints/new/?label={label.code}").content.decode()
    assert f'value="{label.code}"' in form


def test_a_visitor_files_on_the_page_and_lands_on_the_status_page(label, client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/complaints/new/",
        {
            "label": label.code,
            "category": "label_misused",
            "description": "Het label staat op een ander product.",
            "email": "",
            "website": "",
            "attachments": [SimpleUploadedFile("bewijs.pdf", PDF_BYTES)],
        },
    )
    complaint = Complaint.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/complaints/{complaint.tracking_number}/"
    assert complaint.files.count() == 1


def test_the_page_keeps_the_form_and_says_why_it_refused(label, client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/complaints/new/",
        {"label": label.code, "category": "other", "description": "Spam", "website": "http://spam.example"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400
    assert "machine" in answer.content.decode()
    assert not Complaint.objects.exists()


def test_filing_is_limited_per_address_on_the_page_and_the_api_together(label, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.throttling import ComplaintRateThrottle

    monkeypatch.setattr(ComplaintRateThrottle, "THROTTLE_RATES", {"public": "100/minute", "complaints": "2/hour"})
    body = {"label": label.code, "category": "other", "description": "Iets klopt niet."}
    assert client.post("/api/v1/complaints/", body, content_type="application/json").status_code == 201
    assert client.post("/complaints/new/", body).status_code == 302
    refused = client.post("/api/v1/complaints/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert "Too many requests" in refused.json()["detail"]
    assert client.post("/complaints/new/", body).status_code == 429
    assert Complaint.objects.count() == 2


def test_the_api_files_a_complaint_with_files_and_answers_its_public_status(label, client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/api/v1/complaints/",
        {
            "label": label.code,
            "category": "not_as_claimed",
            "description": "Niet zoals beloofd.",
            "email": f"{secrets.token_hex(4)}@example.be",
            "files": [SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)],
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "received"
    assert "email" not in body
    assert "description" not in body
    assert Complaint.objects.get(tracking_number=body["tracking_number"]).files.count() == 1


def test_an_officer_takes_the_steps_through_the_api_and_an_involved_one_is_refused_403(label, olivia, oscar) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    complaint = file_complaint(data=complaint_about(label.code))
    url = f"/api/v1/complaints/{complaint.tracking_number}/transitions/acknowledge/"
    involved, impartial = APIClient(HTTP_ACCEPT_LANGUAGE="en"), APIClient(HTTP_ACCEPT_LANGUAGE="en")
    involved.force_authenticate(olivia)
    impartial.force_authenticate(oscar)

    refused = involved.post(url, {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("You took part in the certification of this label")
    answer = impartial.post(url, {"note": "Ontvankelijk."}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "acknowledged"
    assert answer.json()["handled_by"] == "oscar"
    assert answer.json()["transitions"] == ["investigate"]
    again = impartial.post(url, {}, format="json")
    assert again.status_code == 409


def test_officers_handle_complaints_on_their_pages(label, oscar, client) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code, files=[SimpleUploadedFile("f.pdf", PDF_BYTES)]))
    client.force_login(oscar)
    listing = client.get("/officer/complaints/")
    assert complaint.tracking_number in listing.content.decode()
    detail = client.get(f"/officer/complaints/{complaint.tracking_number}/")
    assert complaint.description in detail.content.decode()
    file = complaint.files.get()
    assert client.get(f"/officer/complaints/{complaint.tracking_number}/files/{file.pk}/").status_code == 200
    answer = client.post(f"/officer/complaints/{complaint.tracking_number}/acknowledge/", {"note": "Ok."})
    assert answer.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.ACKNOWLEDGED


def test_the_officer_pages_are_refused_to_everyone_else(label, alice, olivia, client) -> None:  # type: ignore[no-untyped-def]
    complaint = file_complaint(data=complaint_about(label.code))
    assert client.get("/officer/complaints/").status_code == 302  # sign in first
    client.force_login(alice)
    assert client.get("/officer/complaints/").status_code == 403
    assert client.get(f"/officer/complaints/{complaint.tracking_number}/").status_code == 403
    client.force_login(olivia)
    page = client.get(f"/officer/complaints/{complaint.tracking_number}/acknowledge/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert "You took part in the certification of this label" in page.content.decode()
