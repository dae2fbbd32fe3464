"""Enqueue the periodic tasks when they are due: in a loop (`make run`) or once (cron, a timer)."""

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from background.scheduler import enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks that are due (settings.PERIODIC_TASKS), once or every --interval seconds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron or a systemd timer).")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between two checks (default 30).")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self.report(enqueue_due())
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler: checking the periodic tasks every {interval:g} s.")
        while not stopping.is_set():
            close_old_connections()
            try:
                self.report(enqueue_due())
            except DatabaseError:  # the database is away: try again at the next round
                logger.exception("The scheduler could not reach the database")
            stopping.wait(interval)

    def report(self, enqueued: list[str]) -> None:
        for path in enqueued:
            self.stdout.write(f"Enqueued {path}")
