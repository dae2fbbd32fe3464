"""Faults, against real processes: two gunicorn servers (DEBUG off), each reaching PostgreSQL and
Redis through a TCP forwarder that a test cuts and restores. Nothing is mocked: a cut closes
every connection and then refuses new ones, or holds them unanswered (a silent Redis).

The public answer is never wrong: a suspension committed while Redis is away is answered 200
and seen at once by the other process; without Redis everything answers, from the database,
limits counted per process; without the database every endpoint answers 503, and all is well
again when it returns, without a restart.

The servers run config.settings_test (the real settings, with the suite's password hashing so
that the test's users can sign in, and static files served from the apps' folders).
"""

import contextlib
import http.cookiejar
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings

from certification.services.labels import change_label_status
from certification.services.tokens import create_api_token
from tests.conftest import SIGNING_KEY

pytestmark = [
    pytest.mark.skipif(
        not (settings.ON_POSTGRESQL and settings.REDIS_URL),
        reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): the faults are cuts between them and the servers",
    ),
    pytest.mark.django_db(transaction=True),  # the servers see only what is committed
]

ROOT = Path(__file__).resolve().parent.parent
RATE_LIMIT = 60  # per minute and client address
_addresses = itertools.count(1)


class Forwarder:
    """A TCP forwarder on 127.0.0.1 in front of a server, which a test cuts and restores."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.mode = "open"  # or "refuse": close at once; or "silent": hold unanswered
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            if self.mode == "refuse":
                client.close()
                continue
            with self.lock:
                self.sockets.add(client)
            if self.mode == "silent":
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                self._drop(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        self._drop(source)
        self._drop(sink)

    def _drop(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self, mode: str = "refuse") -> None:
        """Close every connection; from now on refuse new ones, or hold them unanswered."""
        self.mode = mode
        with self.lock:
            doomed = list(self.sockets)
        for sock in doomed:
            self._drop(sock)

    def restore(self) -> None:
        self.mode = "open"

    def close(self) -> None:
        self.cut()
        self.listener.close()


class Server:
    """One gunicorn process (one sync worker) of the site."""

    def __init__(self, environment: dict[str, str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
             "--no-control-socket", "--log-level", "warning", "--timeout", "20"],
            cwd=ROOT, env=environment,
        )  # fmt: skip

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited with {self.process.returncode}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.url}/healthz/", timeout=1)
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.port} did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Answer:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class Client:
    """A visitor of one server, known by its own address (the servers believe one proxy), so
    each test counts against a limit of its own."""

    def __init__(self, server: Server, address: str) -> None:
        self.server, self.address = server, address
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Answer:
        headers = {"X-Forwarded-For": self.address, "Accept-Language": "en", **(headers or {})}
        body = None
        if isinstance(data, dict) and headers.get("Content-Type") == "application/json":
            body = json.dumps(data).encode()
        elif data is not None:
            body = urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.server.url + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=15) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, data: dict[str, Any], **headers: str) -> Answer:
        return self.request("POST", path, data, {"Content-Type": "application/json", **headers})

    def sign_in_on_the_site(self, username: str, password: str) -> Answer:
        page = self.get("/account/sign-in/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        form = {"csrfmiddlewaretoken": found.group(1), "username": username, "password": password}
        return self.request("POST", "/account/sign-in/", form)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to look at, not to follow


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Two servers on the test database, behind one forwarder to PostgreSQL and one to Redis."""
    from django.db import connection

    redis_url = urlparse(settings.REDIS_URL)
    db = connection.settings_dict
    postgres = Forwarder((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    redis = Forwarder((redis_url.hostname or "127.0.0.1", redis_url.port or 6379))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DEBUG": "false",
        "SECRET_KEY": "fault-tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@127.0.0.1:{postgres.port}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}{redis_url.path or '/0'}",
        "REDIS_TIMEOUT": "0.25",
        "DB_CONNECT_TIMEOUT": "2",
        "PUBLIC_API_RATE": f"{RATE_LIMIT}/minute",
        "NUM_PROXIES": "1",
        "SECURE_COOKIES": "false",
        "SIGNING_KEY": SIGNING_KEY,
        "PUBLIC_BASE_URL": "https://label.example.be",
        "LOG_LEVEL": "ERROR",
        "LOOKUP_CACHE_SIZE": "1000",  # each server keeps lookup answers, as in production
    }
    servers = [Server(environment), Server(environment)]
    try:
        for server in servers:
            server.wait_until_up()
        yield {"servers": servers, "postgres": postgres, "redis": redis}
    finally:
        for server in servers:
            server.stop()
        postgres.close()
        redis.close()


@pytest.fixture
def faults(site) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    yield site
    site["postgres"].restore()
    site["redis"].restore()


@pytest.fixture
def clients(faults) -> list[Client]:  # type: ignore[no-untyped-def]
    """One visitor per server, with an address of its own for this test."""
    address = f"198.51.100.{next(_addresses)}"
    return [Client(server, address) for server in faults["servers"]]


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein", kind="product")


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_suspension_during_a_redis_cut_is_answered_200_and_seen_at_once_by_the_other_process(
    faults, clients, label, olivia
) -> None:  # type: ignore[no-untyped-def]
    first, second = clients
    path = f"/api/v1/labels/{label.code}/"
    assert [client.get(path).json()["status"] for client in clients] == ["valid", "valid"]
    token = create_api_token(by=olivia, name="faults").key

    faults["redis"].cut()
    answer = first.post_json(
        f"{path}transitions/suspend/",
        {"reason": "Klacht over de herkomst.", "category": "non_conformity"},
        Authorization=f"Token {token}",
    )
    assert answer.status == 200, answer.text
    # Both servers had kept the answer "valid": PostgreSQL's notification makes them forget it.
    assert eventually(lambda: second.get(path).json()["status"] == "suspended", seconds=1)
    assert first.get(path).json()["status"] == "suspended"

    faults["redis"].restore()
    assert [client.get(path).json()["status"] for client in clients] == ["suspended", "suspended"]


def test_a_change_is_seen_by_every_server_that_kept_the_old_answer(faults, clients, label, olivia) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/v1/labels/{label.code}/"
    for _ in range(3):  # each server keeps its answer once it listens
        assert [client.get(path).json()["status"] for client in clients] == ["valid", "valid"]
    change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    started = time.monotonic()
    for client in clients:
        assert eventually(lambda client=client: client.get(path).json()["status"] == "suspended", seconds=1)
    assert time.monotonic() - started < 1


def test_a_server_that_loses_its_database_forgets_what_it_kept(faults, clients, label) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    path = f"/api/v1/labels/{label.code}/"
    for _ in range(3):
        assert [client.get(path).json()["status"] for client in clients] == ["valid", "valid"]
    with connection.cursor() as cursor:  # a change no trigger notifies: only the test can make one
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE certification_label SET status = 'revoked' WHERE code = %s", [label.code])
        cursor.execute("SET session_replication_role = DEFAULT")
    time.sleep(0.2)
    assert [client.get(path).json()["status"] for client in clients] == ["valid", "valid"]  # they kept it

    faults["postgres"].cut()  # also the connection each server listens on
    for client in clients:
        assert eventually(lambda client=client: client.get(path).status == 503, seconds=1)
        assert client.get(path).status == 503  # nothing kept from before the cut is served
    faults["postgres"].restore()
    for client in clients:
        assert eventually(lambda client=client: client.get(path).status == 200)
        assert client.get(path).json()["status"] == "revoked"


@pytest.mark.parametrize("cut", ["refuse", "silent"])
def test_while_redis_is_away_the_public_and_sign_in_answer(faults, clients, label, olivia, cut) -> None:  # type: ignore[no-untyped-def]
    faults["redis"].cut(cut)
    for client in clients:
        lookup = client.get(f"/api/v1/labels/{label.code}/")
        assert (lookup.status, lookup.json()["status"]) == (200, "valid")
        registry = client.get("/api/v1/labels/?q=speelgoedtrein")
        assert registry.status == 200
        assert [row["code"] for row in registry.json()["results"]] == [label.code]
        assert client.get("/api/v1/keys/").status == 200
        assert client.get("/api/v1/categories/").status == 200
        page = client.get(f"/verify/{label.code}/")
        assert page.status == 200
        assert "Houten speelgoedtrein" in page.text
        assert client.get("/registry/").status == 200
        token = client.post_json("/api/v1/auth/token/", {"username": "olivia", "password": "secret"})
        assert token.status == 200
        assert token.json()["token"]
        credential = client.get(f"/api/v1/labels/{label.code}/credential").text
        verdict = client.post_json("/api/v1/verify/", {"credential": credential})
        assert (verdict.status, verdict.json()["outcome"]) == (200, "authentic")
        signed_in = client.sign_in_on_the_site("olivia", "secret")
        assert signed_in.status == 302, signed_in.text[:300]
        ready = client.get("/readyz/")
        assert (ready.status, ready.json()) == (200, {"status": "degraded", "database": "ok", "redis": "unavailable"})


def test_while_redis_is_away_each_process_holds_the_limit(faults, clients, label) -> None:  # type: ignore[no-untyped-def]
    first, second = clients
    path = f"/api/v1/labels/{label.code}/"
    faults["redis"].cut()
    statuses = [first.get(path).status for _ in range(RATE_LIMIT + 1)]
    assert statuses == [200] * RATE_LIMIT + [429]  # never let through past the limit, never a 500
    refused = first.get(path)
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert second.get(path).status == 200  # the other process counts for itself


def test_while_the_database_is_away_every_endpoint_answers_503_then_recovers(faults, clients, label) -> None:  # type: ignore[no-untyped-def]
    code, credential = label.code, label.credential
    api = [
        ("GET", f"/api/v1/labels/{code}/"), ("GET", "/api/v1/labels/"), ("GET", "/api/v1/keys/"),
        ("GET", "/api/v1/categories/"), ("GET", f"/api/v1/labels/{code}/credential"),
        ("POST", "/api/v1/auth/token/"), ("POST", "/api/v1/verify/"),
    ]  # fmt: skip
    pages = ["/", f"/verify/{code}/", "/registry/"]

    def answers(client: Client) -> dict[str, int]:
        statuses = {}
        for method, path in api:
            body = {"username": "olivia", "password": "secret"} if "auth" in path else {"credential": credential}
            answer = client.post_json(path, body) if method == "POST" else client.get(path)
            statuses[f"{method} {path}"] = answer.status
        for path in pages:
            statuses[f"GET {path}"] = client.get(path).status
        statuses["sign-in"] = client.sign_in_on_the_site("olivia", "secret").status  # 302 when it works
        return statuses

    faults["postgres"].cut()
    for client in clients:
        assert set(answers(client).values()) == {503}, answers(client)
        answer = client.get(f"/api/v1/labels/{code}/", **{"Accept-Language": "fr"})
        assert answer.headers["Retry-After"] == "60"
        assert "ne peut pas joindre sa base de données" in answer.json()["detail"]
        page = client.get(f"/verify/{code}/", **{"Accept-Language": "nl"})
        assert "kan zijn databank op dit moment niet bereiken" in page.text
        assert client.get("/healthz/").status == 200
        assert client.get("/readyz/").status == 503

    faults["postgres"].restore()
    for client in clients:
        assert eventually(lambda client=client: client.get("/readyz/").status == 200)
        assert set(answers(client).values()) == {200, 302}, answers(client)
        assert client.get(f"/api/v1/labels/{code}/").json()["status"] == "valid"


def test_a_database_that_never_answers_is_a_503_within_seconds(faults, clients, label) -> None:  # type: ignore[no-untyped-def]
    faults["postgres"].cut("silent")
    for client in clients:
        started = time.monotonic()
        lookup, page = client.get(f"/api/v1/labels/{label.code}/"), client.get(f"/verify/{label.code}/")
        assert (lookup.status, page.status) == (503, 503)
        assert time.monotonic() - started < 10  # two connection attempts of 2 s each, and the answers
    faults["postgres"].restore()
    for client in clients:
        assert eventually(lambda client=client: client.get(f"/api/v1/labels/{label.code}/").status == 200)
