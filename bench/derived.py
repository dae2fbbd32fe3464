"""The periodic task that records the status changes time made (certification.derived), at scale.

Builds a PostgreSQL database with the demo data plus N generated labels (1,000,000 by default,
as bench.registry builds them), gives them surveillance due dates spread over the coming year
(one in 2,000 already overdue past the grace period, one in 360 from the coming midnight) and
their suspensions a start (some older than the scheme's maximum), and prints:

- the first run (every label that already reads suspended or revoked by time is recorded);
- a run one minute later, when nothing changed: its time and queries, and the plan of each query
  (an index scan, never a scan of the label table);
- the run just after midnight, when the labels whose grace period ended the day before read
  suspended: its time, queries and changes recorded.

    .venv/bin/python -m bench.derived --labels 100000     # needs PostgreSQL

Measured on 2 shared cores at 1,000,000 labels (20,261 suspended): a quiet minute costs 14
queries, each an index scan under 0.3 ms (no scan of the label table), 120-150 ms in all; the
first run recorded 8,399 changes in 122 s; the minute after midnight recorded the 2,688 labels
whose grace period ended in 21 s (about 8 queries a change: its row, the applicants' and
subscribers' mails), 60 s while other work loaded the machine.

Environment: BENCH_DATABASE_URL (a database it may drop and create; its own by default).
"""

import argparse
import datetime
import os
import time

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/se_label_derived_bench")

from bench import registry


def spread_dates() -> None:
    """Due dates over the coming year, one label in 2,000 overdue past the grace period; the
    stored suspensions begun 0 to 299 days ago."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE certification_label SET surveillance_due_on = CURRENT_DATE + (id % 360)::int + 1"
            " WHERE surveillance_due_on IS NULL"
        )
        cursor.execute(
            "UPDATE certification_label SET surveillance_due_on = CURRENT_DATE - 31 - (id % 100)::int"
            " WHERE id % 2000 = 7 AND status = 'active'"
        )
        # One label in 360 is due 30 days ago: its grace period ends today, it reads suspended at midnight.
        cursor.execute(
            "UPDATE certification_label SET surveillance_due_on = CURRENT_DATE - 30"
            " WHERE id % 360 = 100 AND status = 'active' AND surveillance_due_on <> CURRENT_DATE - 30"
        )
        cursor.execute(
            "UPDATE certification_label SET status_changed_at = now() - (id % 300) * interval '1 day'"
            " WHERE status = 'suspended' AND status_changed_at IS NULL"
        )
        cursor.execute("VACUUM (ANALYZE)")


def timed_run(title: str, now: datetime.datetime) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certification.derived import record_derived_changes

    connection.queries_log.clear()  # the log keeps 9,000 queries: a big run must not hide the next
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        recorded = record_derived_changes(now)
        took = time.perf_counter() - started
    print(f"{title}: {recorded:,} changes recorded in {took * 1000:.0f} ms, {len(queries.captured_queries)} queries")


def plans(now: datetime.datetime) -> None:
    """The plan of every query a quiet run asks, by its first line and whether it scans the labels."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certification.derived import Window, labels_in_window, labels_touched, scheme_periods

    window = Window(now - datetime.timedelta(minutes=1), now)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        labels_in_window(window, scheme_periods())
        labels_touched(window, scheme_periods())
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + query["sql"])
            lines = [row[0] for row in cursor.fetchall()]
            full_scan = any("Seq Scan on certification_label " in line for line in lines)
            took = next(line for line in lines if line.startswith("Execution Time"))
            print(f"  {'FULL SCAN ' if full_scan else ''}{lines[0].strip()[:90]} | {took}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=1_000_000, help="labels to generate (1,000,000)")
    parser.add_argument("--reuse", action="store_true", help="measure the database the last run built")
    arguments = parser.parse_args()
    os.environ.update(registry.SERVER_ENV)
    if not arguments.reuse:
        print(f"building the database: demo data + {arguments.labels:,} labels ...", flush=True)
        registry.fresh_database()
        registry.manage("migrate", "--no-input")
    registry.manage("generate_signing_key", "--if-missing")
    import django

    django.setup()
    from django.utils import timezone

    from certification.models import DerivedChangeScan, DerivedStatusChange, Label
    from certification.models.public_status import midnight

    if not arguments.reuse:
        registry.manage("seed_demo", "--force")
        started = time.perf_counter()
        registry.generate_labels(arguments.labels)
        print(f"  {Label.objects.count():,} labels in {time.perf_counter() - started:.0f} s", flush=True)
    spread_dates()  # the same dates again on a database reused
    DerivedChangeScan.objects.all().delete()
    DerivedStatusChange.objects.all().delete()
    now = timezone.now()
    timed_run("first run", now)
    timed_run("a minute later", now + datetime.timedelta(minutes=1))
    plans(now + datetime.timedelta(minutes=2))
    timed_run("two minutes later", now + datetime.timedelta(minutes=2))
    tomorrow = midnight(timezone.localdate(now) + datetime.timedelta(days=1))
    timed_run("the last minute before midnight", tomorrow - datetime.timedelta(seconds=30))
    timed_run("the first minute after midnight", tomorrow + datetime.timedelta(seconds=30))
    print(f"{DerivedStatusChange.objects.count():,} changes recorded in all")


if __name__ == "__main__":
    main()
