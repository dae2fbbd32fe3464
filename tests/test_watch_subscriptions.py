"""Following a label or an enterprise by e-mail: double opt-in, one mail per change and
confirmed address in its language, one-click unsubscribe, and limits against abuse."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from background.models import Mail
from certification.services.labels import change_label_status
from watch.changes import expiry_instant
from watch.models import Subscription
from watch.services import (
    CLIENT_REQUESTS_PER_HOUR,
    CONFIRM_WITHIN,
    CONFIRMATIONS_PER_DAY,
    request_subscription,
    tell_subscribers,
)
from watch.tasks import forget_stale_requests, tell_expiries

pytestmark = pytest.mark.django_db
BUYER = "koper@aankoop.example"


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """A visitor whose browser asks for English."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label()


def subscribe(client, *, email: str = BUYER, language: str = "en", **target: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/watch/?" + "&".join(f"{name}={value}" for name, value in target.items()),
        {"email": email, "website": "", **target},
        headers={"Accept-Language": language},
    )


def mistyped(code: str) -> str:
    """The code with its last character wrong: the check character says so."""
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def mails_to(address: str) -> list[Mail]:
    return list(Mail.objects.filter(to=address).order_by("pk"))


def confirmation_key(address: str = BUYER) -> str:
    found = re.search(r"/watch/confirm/([\w-]+)/", mails_to(address)[-1].body)
    assert found
    return found.group(1)


def confirmed(client, **target: str) -> Subscription:  # type: ignore[no-untyped-def]
    subscribe(client, **target)
    assert client.post(f"/watch/confirm/{confirmation_key()}/").status_code == 200
    return Subscription.objects.get(email=BUYER, confirmed_at__isnull=False, **_target_of(target))


def _target_of(target: dict[str, str]) -> dict[str, str]:
    if "label" in target:
        return {"label__code": target["label"]}
    return {"enterprise__enterprise_number": target["enterprise"]}


def suspend(label, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Intern verslag", category="non_conformity")


def test_an_unconfirmed_address_gets_nothing_but_the_confirmation(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    answer = subscribe(client, label=label.code)
    assert answer.status_code == 302
    assert answer["Location"] == f"/verify/{label.code}/"
    (confirmation,) = mails_to(BUYER)
    assert confirmation.subject == f"Confirm that you want to follow label {label.code}"
    assert "https://label.example.be/watch/confirm/" in confirmation.body
    suspend(label, olivia)
    change_label_status(label=label, name="reinstate", by=olivia, reason="ok", category="corrected")
    assert mails_to(BUYER) == [confirmation]


def test_opening_the_confirmation_link_confirms_nothing_until_the_button_is_pressed(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    subscribe(client, label=label.code)
    page = client.get(f"/watch/confirm/{confirmation_key()}/")
    assert page.status_code == 200
    assert "Yes, mail me the changes" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmed_subscriber_gets_exactly_one_mail_per_change_in_his_language(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    subscribe(client, label=label.code, language="nl")
    client.post(f"/watch/confirm/{confirmation_key()}/")
    suspend(label, olivia)
    change_label_status(label=label, name="reinstate", by=olivia, reason="ok", category="corrected")
    confirmation, suspended, reinstated = mails_to(BUYER)
    assert confirmation.subject == f"Bevestig dat je label {label.code} wilt volgen"
    assert suspended.subject == f"{label.code}: geschorst"
    assert suspended.language == "nl"
    assert "Intern verslag" not in suspended.body  # the officer's words stay internal
    assert f"https://label.example.be/verify/{label.code}/" in suspended.body
    assert reinstated.subject == f"{label.code}: geldig"


def test_a_change_told_twice_is_mailed_once(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    from watch.changes import label_changes

    confirmed(client, label=label.code)
    suspend(label, olivia)
    latest = label_changes(label=label).changes[0]
    assert tell_subscribers(latest) == 0
    assert len(mails_to(BUYER)) == 2


def test_an_address_following_a_label_and_its_enterprise_gets_one_mail_per_change(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    confirmed(client, label=label.code)
    confirmed(client, enterprise=label.product.enterprise.enterprise_number)
    other = Client()
    subscribe(other, email="inkoop@stad.example", enterprise=label.product.enterprise.enterprise_number)
    other.post(f"/watch/confirm/{confirmation_key('inkoop@stad.example')}/")
    suspend(label, olivia)
    assert [m.subject for m in mails_to(BUYER)][2:] == [f"{label.code}: suspended"]
    assert [m.subject for m in mails_to("inkoop@stad.example")][1:] == [f"{label.code}: suspended"]


def test_every_change_mail_has_a_one_click_unsubscribe(  # type: ignore[no-untyped-def]
    client, label, olivia, django_capture_on_commit_callbacks
) -> None:
    subscription = confirmed(client, label=label.code)
    with django_capture_on_commit_callbacks(execute=True):
        suspend(label, olivia)
    sent = next(m for m in reversed(mail.outbox) if m.to == [BUYER])  # not the mail to the enterprise
    url = f"https://label.example.be/watch/unsubscribe/{subscription.key}/"
    assert sent.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in sent.body
    mail_program = Client(enforce_csrf_checks=True)  # RFC 8058: a POST without any form of ours
    answer = mail_program.post(
        f"/watch/unsubscribe/{subscription.key}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert not Subscription.objects.exists()
    change_label_status(label=label, name="reinstate", by=olivia, reason="ok", category="corrected")
    assert len(mails_to(BUYER)) == 2  # the confirmation and the suspension
    assert mail_program.post(f"/watch/unsubscribe/{subscription.key}/").status_code == 200  # again: no error


def test_the_unsubscribe_link_asks_before_it_stops(client, label) -> None:  # type: ignore[no-untyped-def]
    subscription = confirmed(client, label=label.code)
    page = client.get(f"/watch/unsubscribe/{subscription.key}/")
    assert "Stop the mails" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_confirmation_link_expires(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    subscribe(client, label=label.code)
    key = confirmation_key()
    with time_machine.travel(timezone.now() + CONFIRM_WITHIN + datetime.timedelta(seconds=1)):
        answer = client.post(f"/watch/confirm/{key}/")
        assert answer.status_code == 400
        assert "expired" in answer.content.decode()
        assert forget_stale_requests.call() == 1
    suspend(label, olivia)
    assert len(mails_to(BUYER)) == 1


def test_a_filled_in_trap_field_is_answered_as_anyone_and_does_nothing(client, label) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(f"/watch/?label={label.code}", {"email": BUYER, "label": label.code, "website": "http://spam"})
    assert answer.status_code == 302
    assert not Subscription.objects.exists()
    assert mails_to(BUYER) == []


def test_an_address_gets_a_limited_number_of_confirmations_a_day(client, issue_label) -> None:  # type: ignore[no-untyped-def]
    labels = [issue_label() for _ in range(CONFIRMATIONS_PER_DAY + 1)]
    for label in labels[:-1]:
        assert subscribe(client, label=label.code).status_code == 302
    refused = subscribe(client, label=labels[-1].code)
    assert refused.status_code == 429
    assert "as many confirmation requests as a day allows" in refused.content.decode()
    assert len(mails_to(BUYER)) == CONFIRMATIONS_PER_DAY
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert subscribe(client, label=labels[-1].code).status_code == 302


def test_a_client_address_is_refused_after_its_requests_of_the_hour(client, label) -> None:  # type: ignore[no-untyped-def]
    for n in range(CLIENT_REQUESTS_PER_HOUR):
        assert subscribe(client, email=f"koper{n}@aankoop.example", label=label.code).status_code == 302
    refused = subscribe(client, email="nog-een@aankoop.example", label=label.code)
    assert refused.status_code == 429
    assert "Too many subscription requests from your address: try again in 60 minutes." in refused.content.decode()
    robot = client.post(f"/watch/?label={label.code}", {"email": BUYER, "label": label.code, "website": "x"})
    assert "Too many subscription requests" in robot.content.decode()  # robots count too, and are refused alike
    assert mails_to("nog-een@aankoop.example") == []
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, seconds=1)):
        assert subscribe(client, email="nog-een@aankoop.example", label=label.code).status_code == 302


def test_an_expiry_is_mailed_once_by_the_periodic_task(client, label) -> None:  # type: ignore[no-untyped-def]
    confirmed(client, label=label.code)
    with time_machine.travel(expiry_instant(label.valid_until) + datetime.timedelta(hours=1)):
        assert tell_expiries.call() == 1
        assert tell_expiries.call() == 0
    assert mails_to(BUYER)[-1].subject == f"{label.code}: expired"


def test_an_expiry_is_mailed_to_who_follows_the_enterprise(client, label) -> None:  # type: ignore[no-untyped-def]
    confirmed(client, enterprise=label.product.enterprise.enterprise_number)
    with time_machine.travel(expiry_instant(label.valid_until) + datetime.timedelta(hours=1)):
        assert tell_expiries.call() == 1
    assert [m.subject for m in mails_to(BUYER)][1:] == [f"{label.code}: expired"]


def test_an_expiry_before_the_confirmation_is_not_mailed(label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(expiry_instant(label.valid_until) + datetime.timedelta(hours=1)):
        request_subscription(email=BUYER, target=label, language="en", client="192.0.2.1")
        client = Client()
        client.post(f"/watch/confirm/{confirmation_key()}/")
        assert tell_expiries.call() == 0


def test_the_subscribe_page_refuses_what_cannot_be_followed(client, label, other_enterprise) -> None:  # type: ignore[no-untyped-def]
    typo = client.get(f"/watch/?label={mistyped(label.code)}")
    assert typo.status_code == 400
    assert "not a valid label code" in typo.content.decode()
    assert client.get(f"/watch/?enterprise={other_enterprise.enterprise_number}").status_code == 404
    assert client.get("/watch/").status_code == 400
    bad_address = subscribe(client, email="not an address", label=label.code)
    assert bad_address.status_code == 400
    assert mails_to(BUYER) == []


def test_the_api_subscribes_confirms_and_unsubscribes(client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    asked = client.post(
        "/api/v1/subscriptions/",
        {"email": BUYER, "label": label.code.lower(), "language": "fr"},
        content_type="application/json",
    )
    assert asked.status_code == 202, asked.content
    assert "confirm" in asked.json()["detail"]
    assert mails_to(BUYER)[0].language == "fr"
    token = confirmation_key()
    done = client.post("/api/v1/subscriptions/confirm/", {"token": token}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["following"] == {"label": label.code, "enterprise_number": None}
    suspend(label, olivia)
    assert mails_to(BUYER)[-1].subject == f"{label.code}: suspendu"
    stopped = client.post("/api/v1/subscriptions/unsubscribe/", {"token": token}, content_type="application/json")
    assert stopped.status_code == 200
    assert not Subscription.objects.exists()


def test_the_api_refuses_with_a_sentence(client, label) -> None:  # type: ignore[no-untyped-def]
    def post(path: str, body: dict[str, str]):  # type: ignore[no-untyped-def]
        return client.post(path, body, content_type="application/json")

    assert post("/api/v1/subscriptions/", {"email": BUYER}).status_code == 400
    assert post("/api/v1/subscriptions/", {"email": BUYER, "label": mistyped(label.code)}).status_code == 400
    unknown = post("/api/v1/subscriptions/", {"email": BUYER, "enterprise_number": "0203.201.340"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No enterprise with this number holds or held a label."
    wrong = post("/api/v1/subscriptions/confirm/", {"token": "x" * 40})
    assert wrong.status_code == 400
    assert "not valid" in wrong.json()["detail"]
    assert mails_to(BUYER) == []
