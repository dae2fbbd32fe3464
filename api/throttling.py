"""Per-address limits for the public endpoints: a fixed-window counter in the shared cache.

The counter holds across every web process. A process does not add each hit to it one by
one: it reserves a block of counts with one increment and hands them out itself, so a busy
client costs one round trip to the cache per block, not per request. The block is a fiftieth
of the limit (at least 1, at most 100): a client spread over P processes may be refused up to
P blocks before its limit (a few percent), never let through after it. While Redis does not
answer, the cache counts in each process (config.cache): the limit then holds per process.
"""

import threading
import time

from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from config.clients import client_address

MAX_BLOCK = 100


def reserve(key: str, count: int, window: int) -> int:
    """Add `count` to the counter `key` of one window; its new value. A counter lives two windows,
    well past the window its key names: it is never read after it expired."""
    try:
        return int(cache.incr(key, count))
    except ValueError:  # the first reservation of this window
        return count if cache.add(key, count, timeout=2 * window) else int(cache.incr(key, count))


class _Blocks:
    """The counts this process has reserved and not handed out yet, per counter, this window."""

    def __init__(self) -> None:
        self.window = -1
        self.left: dict[str, tuple[int, int]] = {}  # key -> (next count, last count)
        self.lock = threading.Lock()

    def next_count(self, key: str, window_number: int, block: int, window: int) -> int:
        with self.lock:
            if window_number != self.window:
                self.window, self.left = window_number, {}
            following, last = self.left.get(key, (1, 0))
            if following <= last:
                self.left[key] = (following + 1, last)
                return following
        last = reserve(key, block, window)
        with self.lock:
            if window_number == self.window:
                self.left[key] = (last - block + 2, last)
        return last - block + 1


_blocks = _Blocks()


def clear_reservations() -> None:
    with _blocks.lock:
        _blocks.window, _blocks.left = -1, {}


class PublicRateThrottle(BaseThrottle):
    scope = "public"
    THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    def __init__(self) -> None:
        self.limit, self.window = SimpleRateThrottle.parse_rate(None, self.THROTTLE_RATES[self.scope])  # type: ignore[arg-type]
        self.block = max(1, min(MAX_BLOCK, self.limit // 50))
        self.retry_after = 0.0

    def get_ident(self, request: Request | HttpRequest) -> str:
        """The client's address (config.clients), read from META: DRF's own reads it from
        request.headers, which would parse every header of every request."""
        return client_address(request.META)

    def allow_request(self, request: Request | HttpRequest, view: APIView | None) -> bool:
        now = time.time()
        window_number = int(now // self.window)
        key = f"se-label:throttle:{self.scope}:{self.get_ident(request)}:{window_number}"
        if _blocks.next_count(key, window_number, self.block, self.window) <= self.limit:
            return True
        self.retry_after = (window_number + 1) * self.window - now
        return False

    def wait(self) -> float:
        return max(1.0, self.retry_after)


class ComplaintRateThrottle(PublicRateThrottle):
    """Complaints filed from one address: one counter for the page and the API (the page asks
    it too), so that a machine cannot file more by switching between them."""

    scope = "complaints"
