"""Public lookup throughput against liveness, in one run, with the same client.

Builds a PostgreSQL database with the demo data plus 100,000 generated labels, serves it with
gunicorn (2 sync workers) and Redis as the cache, then loads /healthz/ and
/api/v1/labels/{code}/ over random existing codes with wrk, alternately, and prints both
throughputs, the ratio lookup/healthz, p50/p99 latency and the queries per uncached lookup.
The machine is shared and noisy: each round pairs a healthz run with the lookup run right
after it, and the ratio printed is the median of the rounds' ratios.

    .venv/bin/python -m bench.lookup            # needs PostgreSQL, Redis and wrk (apt-get install wrk)

Environment: BENCH_DATABASE_URL (a database it may drop and create), BENCH_REDIS_URL,
BENCH_LABELS (100000), BENCH_SECONDS (10 per run), BENCH_ROUNDS (3), BENCH_PORT (8799).
"""

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
LABELS = int(os.environ.get("BENCH_LABELS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8799"))
WORK = Path(tempfile.mkdtemp(prefix="se-label-bench-"))

SERVER_ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "SIGNING_KEY_FILE": str(WORK / "signing-key.pem"),
    "MEDIA_ROOT": str(WORK / "media"),
    "PUBLIC_API_RATE": "100000000/minute",
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORT}",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def manage(*args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=SERVER_ENV, check=True, stdout=subprocess.DEVNULL)


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


def queries_per_uncached_lookup(codes: list[str]) -> float:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    total = 0
    sample = random.sample(codes, 200)
    for code in sample:
        cache.clear()
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


def lua_script(codes: list[str], name: str) -> Path:
    script = WORK / f"{name}.lua"
    paths = ",".join(f'"/api/v1/labels/{code}/"' for code in codes)
    script.write_text(
        f"local paths = {{{paths}}}\n"
        "math.randomseed(os.time())\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    return script


def SCENARIOS(codes: list[str]) -> list[tuple[str, list[str]]]:  # noqa: N802
    """Uniform over every label (mostly first lookups: the worst case), and a hot set, as when
    the QR codes of popular products are scanned again and again."""
    return [
        ("random codes over all labels", codes),
        ("hot set of 2,000 labels", random.sample(codes, 2000)),
    ]


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    print(f"building the database: demo data + {LABELS:,} labels ...", flush=True)
    fresh_database()
    manage("migrate", "--no-input")
    manage("generate_signing_key", "--if-missing")
    manage("seed_demo", "--force")
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    started = time.perf_counter()
    generate_labels(LABELS)
    from certification.models import Label

    codes = list(Label.objects.values_list("code", flat=True))
    settle_database()
    print(f"  {len(codes):,} labels in {time.perf_counter() - started:.0f} s", flush=True)
    queries = queries_per_uncached_lookup(codes)
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
        for name, chosen in SCENARIOS(codes):
            script = lua_script(chosen, name)
            wrk("", script)  # warm-up of this pattern
            results[name] = [(wrk("/healthz/"), wrk("", script)) for _ in range(ROUNDS)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)

    print(
        f"gunicorn, 2 sync workers; wrk 1 thread, 8 connections, {SECONDS} s a run; "
        f"{ROUNDS} rounds of healthz then lookup"
    )
    for name, rounds in results.items():
        health = {key: statistics.mean(r[0][key] for r in rounds) for key in ("rate", "p50", "p99")}
        lookup = {key: statistics.mean(r[1][key] for r in rounds) for key in ("rate", "p50", "p99")}
        ratios = [r[1]["rate"] / r[0]["rate"] for r in rounds]
        print(f"{name}:")
        for path, figures in (("/healthz/", health), ("/api/v1/labels/{code}/", lookup)):
            rate, p50, p99 = figures["rate"], figures["p50"], figures["p99"]
            print(f"  {path:<24}{rate:7.0f} req/s   p50 {p50:.2f} ms   p99 {p99:.2f} ms")
        each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"  ratio lookup/healthz    {statistics.median(ratios):7.2f}   (target >= 0.6; rounds: {each})")
    print(f"queries per uncached lookup: {queries:.2f}   (target <= 1)")


if __name__ == "__main__":
    main()
