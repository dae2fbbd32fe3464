"""Atom feeds (RFC 4287) of label changes, paged as RFC 5005 describes: rel="next" to older entries.

Rendered by Django's Atom generator. Every element derives from the changes listed, never from
the clock: the same changes give the same bytes, so the ETag changes only when the feed does.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language

from watch.changes import ChangePage

# The `updated` of a feed without entries (required by RFC 4287): the day the watch began.
NO_CHANGES_YET = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class PagedAtomFeed(Atom1Feed):
    """Atom with the paging links of RFC 5005 and an `updated` that never reads the clock."""

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        for rel, href in self.feed["paging"]:
            handler.addQuickElement("link", "", {"rel": rel, "href": href})

    def latest_post_date(self) -> datetime.datetime:
        return super().latest_post_date() if self.items else NO_CHANGES_YET


def tag_uri(specific: str) -> str:
    """A permanent id (RFC 4151 tag URI) under this registry's host name."""
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"
    return f"tag:{host},2026:{specific}"


@dataclass(frozen=True)
class FeedAddresses:
    """Where a feed and its pages live (absolute URLs), and its permanent id."""

    feed_id: str
    alternate: str  # the page a reader opens: the verify page, the registry
    first: str
    this: str
    next: str | None


def render_feed(*, title: str, subtitle: str, page: ChangePage, addresses: FeedAddresses) -> bytes:
    feed = PagedAtomFeed(
        title=title,
        link=addresses.alternate,
        description=subtitle,
        subtitle=subtitle,
        language=get_language(),
        author_name=settings.LABEL_ISSUER_NAME,
        feed_url=addresses.this,
        feed_guid=tag_uri(addresses.feed_id),
        paging=[("first", addresses.first)] + ([("next", addresses.next)] if addresses.next else []),
    )
    for change in page.changes:
        feed.add_item(
            title=f"{change.code}: {change.status.label}",
            link=change.verify_url,
            # The summary is HTML (Django's Atom writes type="html"): names are escaped.
            description=escape(change.sentence()),
            unique_id=tag_uri(f"change/{change.key}"),
            pubdate=change.at,
            updateddate=change.at,
            categories=[change.status.value],
        )
    return feed.writeString("utf-8").encode()
