"""The lookup generation, pushed to every web process instead of read on every request.

Every change a lookup shows bumps the generation in the shared cache when it commits
(`bump`), and publishes the new value on a Redis channel. Each web process listens on that
channel in a daemon thread and keeps the last value it heard, so a lookup served from the
process's own copies needs no round trip to learn whether they are current.

`current()` answers None while the process is not listening (no Redis, not yet subscribed,
connection lost): callers then read the generation from the shared cache, as every request
did before. A lost connection costs speed, never freshness. The value is read from the cache
right after each (re)subscription, so a change published while not listening is not missed.
"""

import contextlib
import logging
import os
import threading
import time
from typing import Any

from django.core.cache import cache

from config.cache import redis_client

GENERATION_KEY = "se-label:lookup:generation"
RETRY_SECONDS = 1.0

log = logging.getLogger(__name__)


def channel(client: Any) -> str:
    """Channels are server-wide: the name says which database (and key prefix) it is about."""
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return f"{database}:{cache.make_key(GENERATION_KEY)}"


def read() -> Any:
    """The generation as the shared cache holds it now (0 before the first change)."""
    return cache.get(GENERATION_KEY, 0)


def bump() -> int:
    """A new generation, stored and announced to every process."""
    try:
        generation = int(cache.incr(GENERATION_KEY))
    except ValueError:  # no generation yet (or the cache was emptied): start one
        generation = time.time_ns()
        cache.set(GENERATION_KEY, generation, timeout=None)
    client = redis_client()
    if client is not None:
        client.publish(channel(client), generation)
    return generation


class Watcher:
    """The last generation this process heard of; one listening thread per process."""

    def __init__(self) -> None:
        self._value: Any = None
        self._pid = 0  # the process that started listening: after a fork, each worker starts its own
        self._lock = threading.Lock()

    def current(self) -> Any:
        """The generation, or None when this process is not listening (read it from the cache)."""
        if self._pid != os.getpid():
            self._start()
        return self._value

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._value, self._pid = None, os.getpid()
            client = redis_client()
            if client is not None:  # without Redis there is nothing to listen to: read from the cache
                threading.Thread(target=self._listen, args=(client,), name="lookup-generation", daemon=True).start()

    def _listen(self, client: Any) -> None:
        while True:
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(channel(client))
                for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        self._value = read()
                    elif message["type"] == "message":
                        self._value = int(message["data"])
            except Exception:  # the connection dropped: read from the cache until subscribed again
                log.warning("Lost the lookup generation channel; retrying.", exc_info=True)
            finally:
                self._value = None
                with contextlib.suppress(Exception):  # closing a broken connection may fail too
                    pubsub.close()
            time.sleep(RETRY_SECONDS)


watcher = Watcher()
