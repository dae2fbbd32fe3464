"""Django's Redis cache, with one redis-py client per connection pool.

Django's client builds a new redis.Redis object for every cache call, and redis-py's
constructor fills a table of about 170 response callbacks each time: most of the cost of a
cache hit. redis.Redis is thread-safe and borrows connections from its pool, so one object per
pool serves every call.
"""

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class PooledRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = PooledRedisCacheClient


def redis_client(alias: str = "default") -> Any | None:
    """The redis-py client behind a cache, for what Django's cache API does not offer
    (pipelines, publish and subscribe); None when that cache is not Redis."""
    backend = caches[alias]
    return backend._cache.get_client(write=True) if isinstance(backend, PooledRedisCache) else None  # type: ignore[attr-defined]
