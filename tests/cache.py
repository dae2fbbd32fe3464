"""The test suite's Redis cache, shared by the pytest-xdist workers that `make test` starts.

Each worker keeps its keys under its own KEY_PREFIX (config/settings_test.py), and emptying
its cache deletes only the keys under that prefix. Django's Redis cache empties with FLUSHDB,
which would also delete what the other workers are using at that moment.
"""

from typing import Any

import redis
from redis.exceptions import RedisError

from config.cache import RedisOrLocalCache


class WorkerRedisCache(RedisOrLocalCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(location, params)
        if not self.key_prefix:
            raise ValueError("WorkerRedisCache needs a KEY_PREFIX: it only ever empties the keys under it.")
        self.keys_pattern = f"{self.key_prefix}:*"  # the prefix is a worker id (gw0, gw1, ...): no glob characters
        self.client = redis.Redis.from_url(location)

    def clear(self) -> None:
        self.local.clear()
        try:
            keys = list(self.client.scan_iter(match=self.keys_pattern, count=1000))
            if keys:
                self.client.unlink(*keys)
        except RedisError:  # Redis is away (the fault tests cut it): this process counts in memory
            pass
