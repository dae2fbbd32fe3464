"""`make test` runs the suite in several pytest-xdist workers at once: what they share is kept apart."""

import os
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache


def redis_client() -> redis.Redis | None:
    return redis.Redis.from_url(django_settings.REDIS_URL) if django_settings.REDIS_URL else None


@pytest.fixture
def shared_redis():  # type: ignore[no-untyped-def]
    client = redis_client()
    if client is None:
        pytest.skip("needs Redis (REDIS_URL): without it each worker's cache is its own memory")
    return client


def test_each_worker_has_its_own_key_prefix_in_redis(shared_redis) -> None:  # type: ignore[no-untyped-def]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    cache.set("answer", 42)
    assert shared_redis.get(f"test-{worker}:1:answer") is not None


def test_emptying_the_cache_leaves_the_other_workers_keys(shared_redis) -> None:  # type: ignore[no-untyped-def]
    other = "test-gw999:1:answer"
    shared_redis.set(other, b"43", ex=60)
    cache.set("answer", 42)
    try:
        cache.clear()
        assert cache.get("answer") is None
        assert shared_redis.get(other) == b"43"
    finally:
        shared_redis.delete(other)


def test_a_test_writes_its_files_in_its_own_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    var = Path(django_settings.BASE_DIR) / "var"
    for path in (django_settings.MEDIA_ROOT, django_settings.SIGNING_KEY_FILE):
        assert Path(path).is_relative_to(tmp_path)
        assert not Path(path).is_relative_to(var)


def test_auto_starts_no_worker_or_one_per_idle_core(monkeypatch, pytestconfig) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import pytest_xdist_auto_num_workers

    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert pytest_xdist_auto_num_workers(pytestconfig) in {0, *range(2, cores + 1)}


def test_the_environment_sets_the_number_of_workers(monkeypatch, pytestconfig) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import pytest_xdist_auto_num_workers

    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "3")
    assert pytest_xdist_auto_num_workers(pytestconfig) == 3


def test_the_idle_cores_are_measured_between_none_and_all() -> None:
    from tests.conftest import idle_cores

    assert 0 <= idle_cores(0.05) <= len(os.sched_getaffinity(0))
