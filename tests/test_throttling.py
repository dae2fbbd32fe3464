"""The public rate limit, counted in blocks, and the lookup generation, pushed to every process."""

import time

import pytest
from django.test import RequestFactory
from rest_framework.settings import api_settings

from api import throttling
from api.throttling import PublicRateThrottle, _Blocks
from certification import generation
from config.cache import redis_client


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


@pytest.fixture
def redis(db):  # type: ignore[no-untyped-def]
    if redis_client() is None:
        pytest.skip("needs Redis (REDIS_URL): the generation is published on a Redis channel")
    return redis_client()


def eventually(condition, seconds: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_counter_in_redis_always_expires(redis) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import caches

    assert throttling.reserve("se-label:throttle:test:ttl", 5, 60) == 5
    assert throttling.reserve("se-label:throttle:test:ttl", 5, 60) == 10
    assert 0 < redis_client().ttl(caches["default"].make_and_validate_key("se-label:throttle:test:ttl")) <= 61


def test_every_process_hears_of_a_new_generation(redis) -> None:  # type: ignore[no-untyped-def]
    watcher = generation.Watcher()
    assert eventually(lambda: watcher.current() is not None), "the watcher never subscribed"
    new = generation.bump()
    assert eventually(lambda: watcher.current() == new)


def test_a_change_published_elsewhere_reaches_a_listening_process(redis) -> None:  # type: ignore[no-untyped-def]
    watcher = generation.Watcher()
    assert eventually(lambda: watcher.current() is not None)
    redis.publish(generation.channel(redis), 424242)  # as another web process would
    assert eventually(lambda: watcher.current() == 424242)


def test_without_redis_a_process_reads_the_generation_every_time(settings, db) -> None:  # type: ignore[no-untyped-def]
    if redis_client() is not None:
        pytest.skip("this process has Redis")
    watcher = generation.Watcher()
    assert watcher.current() is None
    assert generation.bump() == generation.read()


def test_a_generation_of_another_database_is_not_heard(redis) -> None:  # type: ignore[no-untyped-def]
    watcher = generation.Watcher()
    assert eventually(lambda: watcher.current() is not None)
    redis.publish(f"99:{generation.channel(redis).split(':', 1)[1]}", 424243)  # database 99's
    time.sleep(0.3)
    assert watcher.current() != 424243
