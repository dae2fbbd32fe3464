"""Liveness and readiness for load balancers and orchestrators (DESIGN §6)."""

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from config.cache import RedisOrLocalCache


def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches no database."""
    return JsonResponse({"status": "ok"})


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def readyz(request: HttpRequest) -> JsonResponse:
    """Whether the process can serve, and what it depends on: without its database it cannot
    (503); without Redis it serves all the same, counting limits per process ("degraded")."""
    checks = {"database": "ok" if database_answers() else "unavailable"}
    cache = caches["default"]
    if isinstance(cache, RedisOrLocalCache):
        checks["redis"] = "ok" if cache.probe() else "unavailable"
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok", 200) if all(value == "ok" for value in checks.values()) else ("degraded", 200)
    return JsonResponse({"status": status, **checks}, status=code)
