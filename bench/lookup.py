"""Public lookup throughput against liveness and against the floor, in one run, with one client.

Builds a PostgreSQL database with the demo data plus --labels generated labels, serves it with
gunicorn (2 sync workers) and Redis as the cache, then loads, with wrk, in turn: /healthz/,
the floor (bench.urls: a plain Django view reading one row of the label table by its code)
and /api/v1/labels/{code}/, both over the same codes, and prints the throughputs, the ratios
lookup/healthz and lookup/floor, p50/p99 latency and the queries per lookup. The machine is
shared and noisy: each round runs the three right after one another, and the ratios printed
are the medians of the rounds' ratios.

    .venv/bin/python -m bench.lookup --labels 1000000   # needs PostgreSQL, Redis and wrk (apt-get install wrk)

--reuse keeps a database that already holds the demo data and that many labels.
Environment: BENCH_DATABASE_URL (a database it may drop and create), BENCH_REDIS_URL,
BENCH_SECONDS (10 per run), BENCH_ROUNDS (3), BENCH_PORT (8799), BENCH_LABELS (--labels' default).
"""

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/se_label_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8799"))
LABELS = int(os.environ.get("BENCH_LABELS", "100000"))
WORK = Path(tempfile.mkdtemp(prefix="se-label-bench-"))

SERVER_ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "SIGNING_KEY_FILE": str(ROOT / "var" / "bench-signing-key.pem"),  # kept with the database (--reuse)
    "MEDIA_ROOT": str(WORK / "media"),
    "PUBLIC_API_RATE": "100000000/minute",
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORT}",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
}


def manage(*args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=SERVER_ENV, check=True, stdout=subprocess.DEVNULL)


def generated_labels() -> int:
    """How many generated labels the benchmark's database holds (0 if there is none)."""
    import psycopg

    try:
        with psycopg.connect(DATABASE_URL) as connection:
            row = connection.execute(
                "SELECT count(*) FROM certification_label l JOIN certification_application a "
                "ON a.id = l.application_id WHERE a.reference LIKE 'APP-BENCH-%%'"
            ).fetchone()
    except psycopg.Error:
        return 0
    return int(row[0]) if row else 0


def fresh_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(DATABASE_URL.replace(url.path, "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def generate_labels(count: int) -> None:
    """`count` approved applications with their labels, for 500 generated enterprises."""
    import datetime
    from decimal import Decimal

    from certification.codes import make_label_code
    from certification.models import (
        Application,
        ApplicationState,
        Enterprise,
        Label,
        Product,
        ProductCategory,
        Scheme,
        SchemeStatus,
        User,
    )

    scheme = Scheme.objects.get(status=SchemeStatus.ACTIVE)
    categories = list(ProductCategory.objects.all())
    creator = User.objects.get(username="applicant1")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"Maatwerkbedrijf {n}",
            enterprise_number=f"09{n:06d}{97 - int(f'09{n:06d}') % 97:02d}",
            recognition_type="maatwerkbedrijf",
            recognition_number=f"MWB-{n:05d}",
            recognition_valid_until=datetime.date(2030, 12, 31),
        )
        for n in range(500)
    )
    today = datetime.date.today()
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        products = Product.objects.bulk_create(
            Product(
                enterprise=enterprises[(start + i) % 500],
                name=f"Product {start + i}",
                category=categories[(start + i) % len(categories)],
            )
            for i in range(size)
        )
        applications = Application.objects.bulk_create(
            Application(
                reference=f"APP-BENCH-{start + i:06d}",
                enterprise_id=product.enterprise_id,
                product=product,
                scheme=scheme,
                declared_social_share=Decimal(60),
                state=ApplicationState.APPROVED,
                created_by=creator,
            )
            for i, product in enumerate(products)
        )
        labels = [
            Label(
                code=make_label_code(),
                application=application,
                product=product,
                scheme=scheme,
                level=1 + (start + i) % 3,
                social_share=Decimal(25 + (start + i) % 75),
                issued_on=today - datetime.timedelta(days=(start + i) % 700),
                valid_until=today + datetime.timedelta(days=400 + (start + i) % 700),
            )
            for i, (application, product) in enumerate(zip(applications, products, strict=True))
        ]
        for label in labels:  # bulk_create goes around Label.save(), which writes the record
            label.public_record = label.render_public_record()
        Label.objects.bulk_create(labels)


def settle_database() -> None:
    """Measure a database in its steady state, not one still digesting a bulk load: after
    100,000 inserts, autovacuum would run during the rounds and every first read of a row
    would write its hint bits. As after any bulk load in production: VACUUM ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def queries_per_lookup(codes: list[str]) -> float:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    total = 0
    sample = random.sample(codes, 200)
    for code in sample:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/labels/{code}/")
        assert response.status_code == 200, response.content
        total += len(queries)
    return total / len(sample)


def wrk(path: str, script: Path | None = None) -> dict[str, float]:
    command = ["wrk", "-t1", "-c8", f"-d{SECONDS}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{path}: {errors.group(1)} failed responses\n{output}")

    def latency(percent: str) -> float:
        match = re.search(rf"{percent}%\s+([\d.]+)(us|ms|s)", output)
        assert match, output
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rate, output
    return {"rate": float(rate.group(1)), "p50": latency("50"), "p99": latency("99")}


def lua_script(codes: list[str], name: str, prefix: str) -> Path:
    script = WORK / f"{name} {prefix.replace('/', '-')}.lua"
    paths = ",".join(f'"{prefix}{code}/"' for code in codes)
    script.write_text(
        f"local paths = {{{paths}}}\n"
        "math.randomseed(os.time())\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    return script


def SCENARIOS(codes: list[str]) -> list[tuple[str, list[str], str]]:  # noqa: N802
    """Uniform over every label (mostly first lookups: the worst case), and a hot set, as when
    the QR codes of popular products are scanned again and again (each process keeps their
    answers); with the target of each against /healthz/."""
    return [
        ("random codes over all labels", codes, "0.6"),
        ("hot set of 2,000 labels", random.sample(codes, 2000), "0.85"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=int, default=LABELS, help="generated labels (default 100,000)")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it holds that many labels")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    build = not (arguments.reuse and generated_labels() == arguments.labels)
    if build:
        print(f"building the database: demo data + {arguments.labels:,} labels ...", flush=True)
        fresh_database()
    manage("migrate", "--no-input")  # a reused database gets what was added since it was built
    (ROOT / "var").mkdir(exist_ok=True)
    manage("generate_signing_key", "--if-missing")
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    from certification.models import Label

    if build:
        manage("seed_demo", "--force")
        started = time.perf_counter()
        generate_labels(arguments.labels)
        settle_database()
        print(f"  {arguments.labels:,} labels in {time.perf_counter() - started:.0f} s", flush=True)
    codes = list(Label.objects.values_list("code", flat=True))
    queries = queries_per_lookup(codes)
    from django.db import connections

    connections.close_all()

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "2", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{PORT}", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=SERVER_ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        wrk("/healthz/")  # warm-up
        results = {}
        for name, chosen, _target in SCENARIOS(codes):
            floor, lookup = lua_script(chosen, name, "/bench/floor/"), lua_script(chosen, name, "/api/v1/labels/")
            wrk("", floor)  # warm-up of this pattern
            wrk("", lookup)
            results[name] = [(wrk("/healthz/"), wrk("", floor), wrk("", lookup)) for _ in range(ROUNDS)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)

    print(
        f"{len(codes):,} labels; gunicorn, 2 sync workers; wrk 1 thread, 8 connections, {SECONDS} s a run; "
        f"{ROUNDS} rounds of healthz, floor, lookup"
    )
    paths = ("/healthz/", "floor (one row, plain)", "/api/v1/labels/{code}/")
    targets = {name: target for name, _chosen, target in SCENARIOS(codes[:2000])}
    for name, rounds in results.items():
        print(f"{name}:")
        for index, path in enumerate(paths):
            rate, p50, p99 = (statistics.mean(r[index][key] for r in rounds) for key in ("rate", "p50", "p99"))
            print(f"  {path:<24}{rate:7.0f} req/s   p50 {p50:.2f} ms   p99 {p99:.2f} ms")
        for index, against, target in ((0, "healthz", targets[name]), (1, "floor", "0.9")):
            ratios = [r[2]["rate"] / r[index]["rate"] for r in rounds]
            each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
            median = statistics.median(ratios)
            print(f"  ratio lookup/{against:<10}{median:7.2f}   (target >= {target}; rounds: {each})")
    print(f"queries per lookup: {queries:.2f}   (target <= 1)")


if __name__ == "__main__":
    main()
