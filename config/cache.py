"""The shared cache: Redis when it answers, this process's memory when it does not.

Redis is an optimisation here, never a dependency of an answer. What the site keeps in the
cache (rate-limit counters) is then counted per process for a while instead of
across processes: limits still hold, per process. After a failure Redis is left alone for
RETRY_SECONDS, so a slow or cut Redis costs one short socket timeout per process and period,
not one per request. Built on Django's public cache API only: two configured backends and
BaseCache.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

RETRY_SECONDS = 5.0

log = logging.getLogger(__name__)

# When each Redis may be tried again, per LOCATION: shared by the threads of a process (Django
# gives each thread its own cache objects).
_retry_at: dict[str, float] = {}


class RedisOrLocalCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.location = location
        self.shared = RedisCache(location, params)
        self.local = LocMemCache(f"redis-fallback:{location}", params)

    def is_degraded(self) -> bool:
        """True while this process answers from its own memory (Redis failed lately)."""
        return time.monotonic() < _retry_at.get(self.location, 0.0)

    def probe(self) -> bool:
        """Whether Redis answers now (for /readyz/); a success ends a fallback at once."""
        try:
            self.shared.has_key("se-label:readyz")
        except RedisError:
            _retry_at[self.location] = time.monotonic() + RETRY_SECONDS
            return False
        _retry_at.pop(self.location, None)
        return True

    def _either(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if not self.is_degraded():
            try:
                return getattr(self.shared, method)(*args, **kwargs)
            except RedisError as error:
                log.warning("Redis failed (%s): counting in this process for %s s.", error, RETRY_SECONDS)
                _retry_at[self.location] = time.monotonic() + RETRY_SECONDS
        return getattr(self.local, method)(*args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._either("add", key, value, timeout, version)  # type: ignore[no-any-return]

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._either("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._either("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._either("touch", key, timeout, version)  # type: ignore[no-any-return]

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._either("delete", key, version)  # type: ignore[no-any-return]

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._either("has_key", key, version)  # type: ignore[no-any-return]

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._either("incr", key, delta, version)  # type: ignore[no-any-return]

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._either("get_many", keys, version)  # type: ignore[no-any-return]

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._either("set_many", data, timeout, version)  # type: ignore[no-any-return]

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._either("delete_many", keys, version)

    def clear(self) -> None:
        self.local.clear()
        self._either("clear")

    def close(self, **kwargs: Any) -> None:
        self.shared.close(**kwargs)
