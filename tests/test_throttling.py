"""The public rate limit, counted in blocks across processes, and per process while Redis is away."""

import socket
import time
from collections.abc import Iterator

import pytest
import redis
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

import config.cache
from api import throttling
from api.throttling import PublicRateThrottle, _Blocks


def test_a_busy_client_costs_one_increment_per_block(monkeypatch, db) -> None:  # type: ignore[no-untyped-def]
    calls = []
    real = throttling.reserve
    monkeypatch.setattr(throttling, "reserve", lambda *a: calls.append(a) or real(*a))
    blocks = _Blocks()
    counts = [blocks.next_count("se-label:throttle:test:a", 7, 10, 60) for _ in range(100)]
    assert counts == list(range(1, 101))
    assert len(calls) == 10


@pytest.mark.parametrize("block", [1, 7, 20])
def test_two_processes_never_let_a_client_past_its_limit(db, block) -> None:  # type: ignore[no-untyped-def]
    limit, processes = 120, [_Blocks(), _Blocks()]
    counts = [processes[i % 2].next_count("se-label:throttle:test:b", 7, block, 60) for i in range(200)]
    allowed = sum(1 for count in counts if count <= limit)
    assert len(set(counts)) == len(counts)  # no count is handed out twice
    assert limit - 2 * (block - 1) <= allowed <= limit


def test_a_new_window_counts_from_one(db) -> None:  # type: ignore[no-untyped-def]
    blocks = _Blocks()
    assert [blocks.next_count(f"se-label:throttle:test:c:{w}", w, 5, 60) for w in (1, 1, 2)] == [1, 2, 1]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy: a client may write anything in the header
        (0, None, "192.0.2.1"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # what our proxy saw, not what the client wrote
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (1, None, "192.0.2.1"),
    ],
)
def test_a_client_is_known_by_the_address_the_outermost_proxy_saw(monkeypatch, proxies, forwarded, client) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(api_settings, "NUM_PROXIES", proxies)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)
    assert PublicRateThrottle().get_ident(request) == client  # type: ignore[arg-type]


def test_a_counter_outlives_its_window(db, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    assert throttling.reserve("se-label:throttle:test:ttl", 5, 60) == 5
    assert throttling.reserve("se-label:throttle:test:ttl", 5, 60) == 10
    if settings.REDIS_URL:  # ask Redis itself how long the counter lives
        client = redis.Redis.from_url(settings.REDIS_URL)
        assert 60 < client.ttl(cache.make_and_validate_key("se-label:throttle:test:ttl")) <= 120


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A Redis address that accepts connections and never answers, as a Redis stuck or cut."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


@pytest.fixture
def redis_away(settings, silent_redis):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisOrLocalCache",
            "LOCATION": silent_redis,
            "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
        }
    }
    yield
    config.cache._retry_at.clear()


def test_while_redis_is_away_the_limit_holds_per_process(redis_away, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    unknown = reverse("api:label", args=["SE-7K3M-9QX2-4H6"])
    answers = [APIClient().get(unknown) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [404, 404, 404, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_a_silent_redis_costs_one_timeout_then_none_for_a_while(redis_away) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    started = time.monotonic()
    for count in range(1, 51):
        assert cache.get("se-label:test:n", 0) == count - 1
        cache.set("se-label:test:n", count)
    assert time.monotonic() - started < 1.0  # one timeout of 0.2 s, not fifty
    assert cache.is_degraded()


def test_readyz_says_redis_is_away_and_the_process_still_serves(redis_away, client, db) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/readyz/")
    assert answer.status_code == 200
    assert answer.json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}
