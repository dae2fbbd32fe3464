"""Per-address limits for the public endpoints: a fixed-window counter in the shared cache.

One atomic increment per request, whatever the rate, so the limit costs the same at 60 and at
60,000 requests a minute, and it holds across every web process. On Redis, the increment, its
expiry and the shared keys the view asks for (`shared_keys`) travel in one round trip: a
public request costs one round trip to the cache.
"""

import time
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from config.cache import PooledRedisCache


def count_hit(key: str, window: int, shared_keys: Sequence[str] = ()) -> tuple[int, dict[str, Any]]:
    """Add one to the counter `key` (alive `window` seconds from its first hit); also read `shared_keys`."""
    backend = caches["default"]
    if isinstance(backend, PooledRedisCache):
        client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
        counter = backend.make_and_validate_key(key)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(counter)
        if shared_keys:
            pipeline.mget([backend.make_and_validate_key(k) for k in shared_keys])
        results = pipeline.execute()
        count = int(results[0])
        if count == 1:  # the window's first hit starts its clock
            client.expire(counter, window + 1)
        values = results[1] if shared_keys else []
        loads = backend._cache._serializer.loads  # type: ignore[attr-defined]
        return count, {k: loads(v) for k, v in zip(shared_keys, values, strict=True) if v is not None}
    try:
        count = int(backend.incr(key))
    except ValueError:  # the first hit of this window
        count = 1 if backend.add(key, 1, timeout=window + 1) else int(backend.incr(key))
    return count, backend.get_many(shared_keys) if shared_keys else {}


class PublicRateThrottle(BaseThrottle):
    scope = "public"
    THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    def __init__(self) -> None:
        self.limit, self.window = SimpleRateThrottle.parse_rate(None, self.THROTTLE_RATES[self.scope])  # type: ignore[arg-type]
        self.retry_after = 0.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        now = time.time()
        window_number = int(now // self.window)
        count, shared = count_hit(
            f"se-label:throttle:{self.scope}:{self.get_ident(request)}:{window_number}",
            self.window,
            getattr(view, "shared_keys", ()),
        )
        request.shared_values = shared  # type: ignore[attr-defined]
        if count <= self.limit:
            return True
        self.retry_after = (window_number + 1) * self.window - now
        return False

    def wait(self) -> float:
        return max(1.0, self.retry_after)
