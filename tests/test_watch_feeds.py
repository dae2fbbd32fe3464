"""Atom feeds of label changes: valid Atom (read back by feedparser), newest first, paged, with
expiries that no job wrote, cacheable by ETag, and linked from the pages."""

import datetime

import feedparser
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from certification.codes import make_label_code
from certification.models import Label
from certification.services.labels import change_label_status
from watch import changes
from watch.changes import expiry_instant, label_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """A feed reader asking for English."""
    return Client(headers={"Accept-Language": "en"})


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def parse(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def history(issue_label, olivia):  # type: ignore[no-untyped-def]
    """A label issued on 1 March 2027, suspended on the 2nd, reinstated on the 3rd."""
    start = datetime.date(2027, 3, 1)
    with time_machine.travel(at(start), tick=False):
        label = issue_label()
    with time_machine.travel(at(start + datetime.timedelta(days=1)), tick=False):
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern: klacht van X", category="misuse")
    with time_machine.travel(at(start + datetime.timedelta(days=2)), tick=False):
        change_label_status(label=label, name="reinstate", by=olivia, reason="Intern: opgelost", category="corrected")
    label.refresh_from_db()
    return label


def test_the_label_feed_lists_its_changes_newest_first_in_words(client, history) -> None:  # type: ignore[no-untyped-def]
    feed = parse(client.get(f"/verify/{history.code}/feed.atom"))
    titles = [entry.title for entry in feed.entries]
    assert titles == [f"{history.code}: valid", f"{history.code}: suspended", f"{history.code}: valid"]
    reinstated, suspended, issued = feed.entries
    assert "Reason: misuse of the label." in suspended.summary
    assert "Reason: the cause was remedied." in reinstated.summary
    assert all(entry.link == f"https://label.example.be/verify/{history.code}/" for entry in feed.entries)
    assert [entry.tags[0].term for entry in feed.entries] == ["valid", "suspended", "valid"]
    assert issued.published_parsed[:3] == (2027, 3, 1)
    assert feed.feed.updated_parsed[:3] == (2027, 3, 3)
    assert len({entry.id for entry in feed.entries}) == 3
    assert "Intern" not in client.get(f"/verify/{history.code}/feed.atom").content.decode()  # the officer's words


def test_an_expiry_is_a_change_at_its_instant_though_no_job_ran(client, history) -> None:  # type: ignore[no-untyped-def]
    last_moment = expiry_instant(history.valid_until) - datetime.timedelta(seconds=1)
    with time_machine.travel(last_moment, tick=False):
        assert len(parse(client.get(f"/verify/{history.code}/feed.atom")).entries) == 3
    with time_machine.travel(expiry_instant(history.valid_until), tick=False):
        feed = parse(client.get(f"/verify/{history.code}/feed.atom"))
    assert [entry.title for entry in feed.entries][:2] == [f"{history.code}: expired", f"{history.code}: valid"]
    updated = datetime.datetime(*feed.entries[0].updated_parsed[:6], tzinfo=datetime.UTC)
    assert updated == expiry_instant(history.valid_until)  # midnight in Brussels, the first instant expired


def test_a_label_suspended_on_its_last_day_does_not_expire_in_the_feed(client, issue_label, olivia) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    with time_machine.travel(at(label.valid_until), tick=False):
        change_label_status(label=label, name="suspend", by=olivia, reason="x", category="misuse")
    with time_machine.travel(at(label.valid_until + datetime.timedelta(days=5)), tick=False):
        feed = parse(client.get(f"/verify/{label.code}/feed.atom"))
    assert [entry.tags[0].term for entry in feed.entries] == ["suspended", "valid"]


def test_the_registry_feed_pages_through_every_change_newest_first(client, history, issue_label, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(datetime.date(2027, 4, 1)), tick=False):
        second = issue_label()
    monkeypatch.setattr(changes, "PAGE_SIZE", 2)
    with time_machine.travel(expiry_instant(history.valid_until) + datetime.timedelta(days=1), tick=False):
        first_page = parse(client.get("/registry/changes.atom"))
        links = {link.rel: link.href for link in first_page.feed.links}
        assert links["self"] == "https://label.example.be/registry/changes.atom"
        second_page = parse(client.get(links["next"].removeprefix("https://label.example.be")))
        next_links = {link.rel: link.href for link in second_page.feed.links}
        third_page = parse(client.get(next_links["next"].removeprefix("https://label.example.be")))
    entries = first_page.entries + second_page.entries + third_page.entries
    assert "next" not in {link.rel for link in third_page.feed.links}
    assert [entry.title for entry in entries] == [
        f"{history.code}: expired",
        f"{second.code}: valid",
        f"{history.code}: valid",
        f"{history.code}: suspended",
        f"{history.code}: valid",
    ]
    assert first_page.feed.id == second_page.feed.id  # one feed, in pages (RFC 5005)


def test_changes_at_the_same_instant_are_each_listed_once_across_pages(issue_label) -> None:  # type: ignore[no-untyped-def]
    labels = [issue_label() for _ in range(5)]
    Label.objects.filter(pk__in=[label.pk for label in labels]).update(valid_until=datetime.date(2030, 1, 31))
    seen, cursor = [], None
    with time_machine.travel(at(datetime.date(2030, 2, 2)), tick=False):
        while True:
            page = label_changes(cursor=cursor, size=3)
            seen += [change.key for change in page.changes]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 10  # five issues, five expiries at one instant


def test_the_enterprise_feed_lists_only_its_labels(client, history, other_enterprise, issue_label) -> None:  # type: ignore[no-untyped-def]
    number = history.product.enterprise.enterprise_number
    feed = parse(client.get(f"/enterprises/{number}/feed.atom"))
    assert {entry.title.split(":")[0] for entry in feed.entries} == {history.code}
    assert feed.feed.title == "Labels of Atelier Alice"
    assert client.get("/enterprises/0203201340/feed.atom").status_code == 404
    assert client.get("/enterprises/0403.170.701/feed.atom").status_code == 301
    assert client.get("/enterprises/0403170702/feed.atom").status_code == 400


def test_a_feed_is_answered_304_until_it_changes(client, history, olivia) -> None:  # type: ignore[no-untyped-def]
    url = f"/verify/{history.code}/feed.atom"
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    change_label_status(label=history, name="revoke", by=olivia, reason="x", category="misuse")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_feed_refuses_bad_codes_and_cursors_with_a_sentence(client, history) -> None:  # type: ignore[no-untyped-def]
    typo = history.code[:-1] + ("0" if history.code[-1] != "0" else "1")
    answer = client.get(f"/verify/{typo}/feed.atom")
    assert answer.status_code == 400
    assert "check character" in answer.content.decode()
    assert client.get(f"/verify/{make_label_code()}/feed.atom").status_code == 404  # never issued
    assert client.get(f"/verify/{history.code.lower()}/feed.atom").status_code == 301
    bad = client.get("/registry/changes.atom?cursor=nonsense")
    assert bad.status_code == 400
    assert "does not exist" in bad.content.decode()


def test_the_pages_link_their_feeds(client, history) -> None:  # type: ignore[no-untyped-def]
    verify = client.get(f"/verify/{history.code}/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in verify
    assert f'href="/verify/{history.code}/feed.atom"' in verify
    registry = client.get("/registry/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in registry
    assert 'href="/registry/changes.atom"' in registry


def test_names_in_a_feed_are_escaped(client, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label(name="Kast <script>alert(1)</script> & co")
    feed = parse(client.get(f"/verify/{label.code}/feed.atom"))
    summary = feed.entries[0].summary  # HTML, as Atom's type="html" says
    assert "Kast &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in summary
    assert "<script>" not in summary
