"""Lookup answers kept in each web process, and forgotten as soon as PostgreSQL says their label
changed (certification.lookup asks here first).

Why it cannot serve a change's old value once the change has committed:
- Whatever a lookup shows lives in a label's row, its scheme's periods, its product's
  enterprise or that enterprise's recognition. A trigger on each of those tables (migration
  0027) sends NOTIFY from inside the changing transaction: PostgreSQL delivers the notification
  if and only if the change commits, to every process listening, so no step between the commit
  and the message can lose it.
- Each process listens on a connection of its own, in a thread. It trusts what it keeps only
  while that connection has answered within the last TRUST_SECONDS. A process that loses the
  connection, or listens anew, forgets everything and answers from the database until it
  listens again.
- An answer read from the database is kept only if no notification arrived while it was being
  read (the generation), so a change committed during the read is never kept as its old value.
- An answer is kept at most until its public status could change by time alone
  (public_status.state_holds_until).

What remains is the notification's delivery to the other processes: milliseconds (the process
that makes a change forgets at its commit, certification.signals). Within a transaction a lookup
neither takes nor keeps an answer: it sees its own changes, which may be rolled back.

Off on SQLite (no NOTIFY, LOOKUP_CACHE_SIZE 0) and in the test suite, whose transactions never
commit; tests/test_lookup_cache.py and the fault tests turn it on.
"""

import logging
import os
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import connection

CHANNEL = "label_lookup"  # as migration 0027 notifies it
EVERY_LABEL = "*"  # a notification's payload when a change may touch any label
HEARTBEAT_SECONDS = 0.5  # how often the listening connection is asked whether it still answers
TRUST_SECONDS = 1.0  # how long an answer of that connection vouches for what is kept
RETRY_SECONDS = 1.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lookup:
    """A lookup's answer as the API sends it."""

    body: bytes  # JSON
    etag: str
    holds_until: float  # POSIX time: its status may change by time alone from then


class KeptLookups:
    def __init__(self) -> None:
        self.kept: dict[str, Lookup] = {}
        self.generation = 0  # counts what was forgotten: a read that saw it change keeps nothing
        self.trusted_until = 0.0  # time.monotonic()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None  # this process's listening thread
        self.stopping = threading.Event()
        # A forked child has no listening thread: it starts its own, trusting nothing before.
        os.register_at_fork(after_in_child=self.forget_thread)

    def get(self, code: str) -> Lookup | None:
        if time.monotonic() >= self.trusted_until:
            self.listen()
            return None
        if connection.in_atomic_block:  # a transaction sees its own changes, not what was kept
            return None
        found = self.kept.get(code)
        return found if found is not None and time.time() < found.holds_until else None

    def keep(self, code: str, lookup: Lookup, generation: int) -> None:
        """Keep an answer read from the database since `generation` was current."""
        if connection.in_atomic_block:  # what it read may be rolled back, and never notified
            return
        with self.lock:
            if generation != self.generation or time.monotonic() >= self.trusted_until:
                return
            if settings.LOOKUP_CACHE_SIZE <= 0:
                return
            if code not in self.kept and len(self.kept) >= settings.LOOKUP_CACHE_SIZE:
                del self.kept[next(iter(self.kept))]  # the oldest kept
            self.kept[code] = lookup

    def forget(self, code: str) -> None:
        with self.lock:
            self.generation += 1
            if code == EVERY_LABEL:
                self.kept.clear()
            else:
                self.kept.pop(code, None)

    def distrust(self) -> None:
        with self.lock:
            self.trusted_until = 0.0
            self.generation += 1
            self.kept.clear()

    def listen(self) -> None:
        """Start this process's listening thread, unless it runs."""
        if settings.LOOKUP_CACHE_SIZE <= 0 or self.thread is not None:
            return
        with self.lock:
            if self.thread is not None:
                return
            self.stopping = threading.Event()
            self.thread = threading.Thread(target=self.run, args=[self.stopping], name="lookup-notifications")
        self.thread.daemon = True
        self.thread.start()

    def stop(self) -> None:
        """Stop listening and forget everything (for the tests that turn keeping on)."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        self.forget_thread()

    def forget_thread(self) -> None:
        self.thread = None
        self.lock = threading.Lock()
        self.distrust()

    def run(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                with listening_connection() as channel:
                    channel.execute(f"LISTEN {CHANNEL}")
                    self.distrust()  # what was kept before this LISTEN may have changed unheard
                    while not stopping.is_set():
                        asked = time.monotonic()
                        still_listening(channel)  # it answers: what was sent before has arrived
                        for notice in channel.notifies(timeout=0):  # including with that answer
                            self.forget(notice.payload)
                        self.trusted_until = asked + TRUST_SECONDS
                        for notice in channel.notifies(timeout=HEARTBEAT_SECONDS):
                            self.forget(notice.payload)
            except psycopg.Error as error:
                log.warning("Lookup notifications lost (%s): lookups read the database until they return.", error)
            self.distrust()
            stopping.wait(RETRY_SECONDS)


# OPTIONS of Django's PostgreSQL backend that are not connection parameters.
DJANGO_OPTIONS = {"server_side_binding", "prepare_threshold", "isolation_level", "assume_role", "pool"}


class NotListening(psycopg.OperationalError):
    """The connection answers, but not as the session that listens (a transaction pooler)."""


def listening_connection() -> psycopg.Connection:
    """A connection of its own to the site's database (with its SSL and other options), given up
    when it stops answering."""
    database = connection.settings_dict
    options = {name: value for name, value in database["OPTIONS"].items() if name not in DJANGO_OPTIONS}
    return psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        **{"connect_timeout": 5, **options},
        tcp_user_timeout=int(TRUST_SECONDS * 3000),  # unanswered that long (ms), it errs
        application_name="se-label lookup notifications",
        autocommit=True,
    )


def still_listening(channel: psycopg.Connection) -> None:
    """Ask the server whether this very session still listens; NotListening if it does not (behind
    a transaction pooler, LISTEN and this question may reach different sessions)."""
    row = channel.execute(
        "SELECT pg_backend_pid(), %s IN (SELECT pg_listening_channels())", [CHANNEL], prepare=False
    ).fetchone()
    if row != (channel.info.backend_pid, True):
        raise NotListening("the session that answers does not listen: connect without a transaction pooler")


kept_lookups = KeptLookups()
