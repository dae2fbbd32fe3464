"""The public registry at national scale: search, deep pages and the open-data export.

Builds a PostgreSQL database with the demo data plus N generated labels (1,000,000 by default:
enterprises, products, applications and labels written with COPY), serves it with gunicorn
(2 threaded workers, as the README serves it, with gunicorn's default 30 s timeout) and Redis
as the cache, and prints:

- search latency p50/p95/p99 over a fixed set of registry queries (words common and rare, an
  enterprise, a code whole and in part, accents, no match, filters and orderings), each asked
  ROUNDS times over one keep-alive connection, beside /healthz/ in the same run;
- deep pages: page 1 against page 5,000 reached by its cursor;
- the CSV export of every valid label: time to first byte, total time, size, and the worker's
  peak memory (RSS) above what it held idle just before; the same for JSON Lines;
- the time to build the database, and in all.

    .venv/bin/python -m bench.registry --labels 100000     # needs PostgreSQL and Redis

Environment: BENCH_DATABASE_URL (a database it may drop and create), BENCH_REDIS_URL,
BENCH_PORT (8798), BENCH_ROUNDS (20 per query).
"""

import argparse
import datetime
import http.client
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/se_label_registry_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
PORT = int(os.environ.get("BENCH_PORT", "8798"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
WORK = Path(tempfile.mkdtemp(prefix="se-label-registry-bench-"))
ENTERPRISES = 2000
PAGE_SIZE = 25
DEEP_PAGE = 5000
TRIGRAM_INDEX = "label_search_text_trgm"  # made by migration 0006
# As the README serves it: a threaded worker tells gunicorn it is alive while its threads serve,
# so an export longer than the timeout (30 s by default) is not cut off, as a sync worker's is.
WORKER_ARGUMENTS = ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]

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

# Product names are an adjective (or none) and a product: a word in one label in ~60 ("confituur"),
# a pair in one in ~2,000; enterprises are named after a kind of workplace and a town.
ADJECTIVES = [
    "", "Biologische", "Houten", "Gerecycleerde", "Handgemaakte", "Lokale", "Duurzame", "Ambachtelijke",
    "Vegetarische", "Fairtrade", "Stevige", "Kleine", "Grote", "Verse", "Klassieke", "Moderne", "Wollen",
    "Glazen", "Stalen", "Keramische", "Zachte", "Crème", "Gemengde", "Seizoens", "Écru", "Herbruikbare",
    "Compacte", "Opvouwbare", "Geurloze", "Zuivere",
]  # fmt: skip
PRODUCTS = [
    "confituur", "fietsrek", "kantoorschoonmaak", "zeep", "kaars", "stoel", "tafel", "bloembak", "vogelhuisje",
    "tuinonderhoud", "catering", "strijkdienst", "drukwerk", "verpakking", "paletten", "kerstpakket", "koffie",
    "thee", "chocolade", "brood", "koekjes", "honing", "appelsap", "bier", "wasgoed", "fietsherstelling",
    "groenonderhoud", "verhuisdozen", "sleutelhanger", "tas", "schort", "handdoek", "kussen", "speelgoed",
    "puzzel", "boekenkast", "kapstok", "plantenbak", "compost", "brandhout", "archivering", "scanning",
    "mailing", "assemblage", "montage", "sortering", "kabelboom", "printplaat", "textielherstel", "kledij",
    "schoenen", "matras", "dekbed", "lamp", "klok", "fotolijst", "notitieboek", "agenda", "kalender", "pennen",
]  # fmt: skip
WORKPLACES = ["Maatwerkbedrijf", "Kringwinkel", "Atelier", "Werkplaats", "Sociale werkplaats", "Coöperatie", "Dienst"]
TOWNS = [
    "Gent", "Brugge", "Antwerpen", "Leuven", "Hasselt", "Kortrijk", "Mechelen", "Aalst", "Genk", "Oostende",
    "Roeselare", "Sint-Niklaas", "Turnhout", "Geel", "Lier", "Ieper", "Tienen", "Diest", "Lokeren", "Waregem",
]  # fmt: skip
POSTAL_CODES = [
    "9000", "8000", "2000", "3000", "3500", "8500", "2800", "9300", "3600", "8400",
    "8800", "9100", "2300", "2440", "2500", "8900", "3300", "3290", "9160", "8790",
]  # fmt: skip


def queries(codes: list[str], enterprise_number: str) -> list[tuple[str, dict[str, str]]]:
    code = random.choice(codes)
    return [
        ("first page, no search", {}),
        ("a common word", {"q": "confituur"}),
        ("a common word, 2 chars short of it", {"q": "confit"}),
        ("a rare pair of words", {"q": "biologische confituur"}),
        ("words in another order", {"q": "confituur biologische"}),
        ("an enterprise", {"q": "kringwinkel gent"}),
        ("a town", {"q": "oostende"}),
        ("accents typed or not", {"q": "creme"}),
        ("a code", {"q": code}),
        ("a code typed loosely", {"q": code.lower().replace("-", " ")}),
        ("part of a code", {"q": code[3:7]}),
        ("no match", {"q": "zzqxwv"}),
        ("a word, level 3", {"q": "stoel", "level": "3"}),
        ("a word, by share", {"q": "koffie", "ordering": "-social_share"}),
        ("a word, every status", {"q": "honing", "status": "all"}),
        ("category", {"category": "food"}),
        ("province", {"province": "limburg"}),
        ("a word, province", {"q": "koffie", "province": "west_flanders"}),
        ("level, by level", {"level": "2", "ordering": "level"}),
        ("kind service", {"kind": "service"}),
        ("an enterprise number", {"enterprise_number": enterprise_number}),
        ("suspended", {"status": "suspended"}),
        ("by product name", {"ordering": "product__name"}),
        ("expiring first", {"ordering": "valid_until"}),
    ]


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=SERVER_ENV, check=True, stdout=subprocess.DEVNULL
    )


def fresh_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(DATABASE_URL.replace(url.path, "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def copy_in(model: Any, template: Any, rows: Iterator[dict[str, Any]]) -> None:
    """COPY rows into a model's table: each row is the template instance as Django would save it
    (defaults and auto_now stamps included, whatever fields the model has by then), with the
    columns a row gives (by attribute name, ids included) put in."""
    import psycopg

    fields = list(model._meta.concrete_fields)
    base = [field.get_prep_value(field.pre_save(template, True)) for field in fields]
    position = {field.attname: n for n, field in enumerate(fields)}
    table, columns = model._meta.db_table, ", ".join(f'"{field.column}"' for field in fields)
    with psycopg.connect(DATABASE_URL) as raw, raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for given in rows:
                row = base.copy()
                for name, value in given.items():
                    row[position[name]] = value
                copy.write_row(row)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")


def drawn(count: int) -> Iterator[dict[str, Any]]:
    """The generated labels' facts, drawn independently of each other (seeded: every pass over
    them draws the same), so that no word goes with an ordering by construction."""
    draw = random.Random(15)
    for n in range(count):
        adjective, noun = draw.choice(ADJECTIVES), draw.choice(PRODUCTS)
        name = f"{adjective} {noun}".capitalize() if adjective else noun.capitalize()
        yield {
            "n": n,
            "name": f"{name} {draw.randrange(1000)}",
            "enterprise": draw.randrange(ENTERPRISES),
            "service": draw.random() < 0.15,
            "category": draw.randrange(1000),
            "level": draw.randint(1, 3),
            "share": draw.randint(25, 100),
            "age": draw.randrange(1000),
            "fate": draw.randrange(50),  # 0: suspended, 1: expired
        }


def generate_labels(count: int) -> None:
    """`count` approved applications with their labels, for ENTERPRISES generated enterprises;
    one label in 50 suspended, one in 50 expired. One product, application and label instance
    is changed row by row and copied: a model instance per row would take longer than the rest."""
    from django.db import connection

    from certification.codes import make_label_code
    from certification.models import (
        Application,
        ApplicationState,
        Enterprise,
        Label,
        LabelStatus,
        Product,
        ProductCategory,
        ProductKind,
        Scheme,
        SchemeStatus,
        User,
    )
    from certification.provinces import province_of
    from certification.tallies import rebuild_tallies

    scheme = Scheme.objects.get(status=SchemeStatus.ACTIVE)
    categories = list(ProductCategory.objects.order_by("code"))
    creator = User.objects.get(username="applicant1")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"{WORKPLACES[n % len(WORKPLACES)]} {TOWNS[n // len(WORKPLACES) % len(TOWNS)]} {n}",
            enterprise_number=f"09{n:06d}{97 - int(f'09{n:06d}') % 97:02d}",
            recognition_type="maatwerkbedrijf",
            recognition_number=f"MWB-{n:05d}",
            recognition_valid_until=datetime.date(2030, 12, 31),
            postal_code=POSTAL_CODES[n // len(WORKPLACES) % len(TOWNS)],
            province=province_of(POSTAL_CODES[n // len(WORKPLACES) % len(TOWNS)]),  # bulk_create skips save()
        )
        for n in range(ENTERPRISES)
    )
    models = (Product, Application, Label)
    first = max((model.objects.order_by("-id").values_list("id", flat=True).first() or 0) for model in models) + 1
    today = datetime.date.today()
    product = Product(enterprise=enterprises[0], name="x", category=categories[0])

    def shown(facts: dict[str, Any]) -> Product:
        product.name, product.enterprise = facts["name"], enterprises[facts["enterprise"]]
        product.kind = ProductKind.SERVICE if facts["service"] else ProductKind.PRODUCT
        product.category = categories[facts["category"] % len(categories)]
        return product

    def product_rows() -> Iterator[dict[str, Any]]:
        for facts in drawn(count):
            shown(facts)
            yield {"id": first + facts["n"], "name": product.name, "enterprise_id": product.enterprise_id,
                   "kind": product.kind, "category_id": product.category_id}  # fmt: skip

    copy_in(Product, product, product_rows())

    def issued_on(facts: dict[str, Any]) -> datetime.date:
        return today - datetime.timedelta(days=facts["age"] + (1100 if facts["fate"] == 1 else 0))

    def decided(facts: dict[str, Any]) -> dict[str, datetime.datetime]:
        """Submitted a few weeks before the decision (drawn from the label's age: 5 to 94 days)."""
        at = datetime.datetime.combine(issued_on(facts), datetime.time(10), tzinfo=datetime.UTC)
        return {"submitted_at": at - datetime.timedelta(days=5 + facts["age"] % 90, hours=facts["n"] % 24),
                "decided_at": at}  # fmt: skip

    application = Application(
        enterprise=enterprises[0], product=product, scheme=scheme, declared_social_share=Decimal(60),
        created_by=creator, state=ApplicationState.APPROVED,
    )  # fmt: skip
    copy_in(
        Application,
        application,
        (
            {
                "id": first + f["n"],
                "reference": f"APP-BENCH-{f['n']:07d}",
                "product_id": first + f["n"],
                "enterprise_id": enterprises[f["enterprise"]].id,
                **decided(f),
            }
            for f in drawn(count)
        ),
    )
    label = Label(
        application=application, product=product, scheme=scheme, level=1, social_share=Decimal(25),
        issued_on=today, valid_until=today, status=LabelStatus.ACTIVE,
    )  # fmt: skip

    def label_rows() -> Iterator[dict[str, Any]]:
        for facts in drawn(count):
            shown(facts)
            issued = issued_on(facts)
            label.code, label.level, label.social_share = make_label_code(), facts["level"], Decimal(facts["share"])
            label.issued_on = issued
            label.valid_until = issued + datetime.timedelta(days=1095)
            yield {
                "id": first + facts["n"], "code": label.code, "application_id": first + facts["n"],
                "product_id": first + facts["n"], "level": label.level, "social_share": label.social_share,
                "issued_on": label.issued_on, "valid_until": label.valid_until,
                "status": LabelStatus.SUSPENDED if facts["fate"] == 0 else LabelStatus.ACTIVE,
                "public_record": label.render_public_record(), "search_text": label.render_search_text(),
            }  # fmt: skip

    with connection.cursor() as cursor:  # a trigram index is built faster once than kept up row by row
        cursor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    copy_in(Label, label, label_rows())
    rebuild_tallies()  # COPY went around the models, which keep the statistics' tallies in step
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON certification_label USING gin (search_text gin_trgm_ops)")
        cursor.execute("VACUUM (ANALYZE)")  # measure a settled database, as after any bulk load


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return f"p50 {at(0.50):7.1f} ms   p95 {at(0.95):7.1f} ms   p99 {at(0.99):7.1f} ms"


class Client:
    """One keep-alive connection; times each request to its last byte."""

    def __init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)

    def get(self, path: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
        return elapsed, body


def registry_path(query: dict[str, str]) -> str:
    return f"/api/v1/labels/?{urlencode(query)}" if query else "/api/v1/labels/"


def measure_searches(client: Client, asked: list[tuple[str, dict[str, str]]]) -> None:
    health = [client.get("/healthz/")[0] for _ in range(ROUNDS * 5)]
    every: list[float] = []
    print(f"registry search, {len(asked)} queries x {ROUNDS} rounds (one connection, in turn):")
    per_query: dict[str, list[float]] = {name: [] for name, _query in asked}
    for _name, query in asked:
        client.get(registry_path(query))  # warm-up: plans, caches
    for _ in range(ROUNDS):
        for name, query in asked:
            elapsed, _body = client.get(registry_path(query))
            per_query[name].append(elapsed)
            every.append(elapsed)
    for name, samples in per_query.items():
        print(f"  {name:<38} p50 {statistics.median(samples):7.1f} ms   max {max(samples):7.1f} ms")
    print(f"  {'all searches':<38} {percentiles(every)}")
    print(f"  {'/healthz/':<38} {percentiles(health)}")


def measure_deep_page(client: Client, labels_count: int) -> None:
    from certification.lookup import labels_for_lookup
    from certification.registry import DEFAULT_ORDERING, RegistryFilter, make_cursor

    labels = RegistryFilter({}, queryset=labels_for_lookup()).qs
    deep_page = min(DEEP_PAGE, labels_count * 9 // 10 // PAGE_SIZE)  # (with fewer labels than it takes)
    before = labels[(deep_page - 1) * PAGE_SIZE - 1]  # the last label of the page before
    deep = registry_path({"cursor": make_cursor(before, ordering=DEFAULT_ORDERING)})
    first = registry_path({})
    # Finding `before` (an OFFSET, here) can outlast the server's keep-alive: a new connection.
    client.connection.close()
    client.get(deep)
    firsts, deeps = [], []
    for _ in range(ROUNDS * 2):
        firsts.append(client.get(first)[0])
        deeps.append(client.get(deep)[0])
    ratio = statistics.median(deeps) / statistics.median(firsts)
    print(f"deep pages ({PAGE_SIZE} labels a page):")
    print(f"  page 1                                 {percentiles(firsts)}")
    print(f"  page {deep_page:<6,} (by its cursor)           {percentiles(deeps)}")
    print(f"  ratio of medians                       {ratio:.2f}   (target <= 1.5)")


def measure_statistics(client: Client) -> None:
    """The statistics API as a client gets it: nothing cached, every figure computed on each request."""
    client.get("/api/v1/statistics/")  # warm-up: plans, caches
    samples = [client.get("/api/v1/statistics/")[0] for _ in range(ROUNDS)]
    health = [client.get("/healthz/")[0] for _ in range(ROUNDS)]
    print("statistics API (every figure, uncached):")
    print(f"  {'/api/v1/statistics/':<38} {percentiles(samples)}")
    print(f"  {'/healthz/':<38} {percentiles(health)}")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def measure_export(master: int, fmt: str, expected_lines: int) -> None:
    pids = workers(master)
    idle = {pid: rss_kb(pid) for pid in pids}
    peak = dict(idle)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    started = time.perf_counter()
    connection.request("GET", registry_path({"format": fmt, "status": "valid"}))
    response = connection.getresponse()
    first_byte = response.read(1)
    ttfb = time.perf_counter() - started
    size, lines = len(first_byte), first_byte.count(b"\n")
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    done.set()
    sampler.join()
    etag, last_modified = response.getheader("ETag"), response.getheader("Last-Modified")
    connection.close()
    growth = max(peak[pid] - idle[pid] for pid in pids) / 1024
    expected = expected_lines + (1 if fmt == "csv" else 0)  # the header
    print(f"export ?format={fmt}&status=valid:")
    print(f"  first byte {ttfb * 1000:7.0f} ms   all {total:6.1f} s   {size / 1e6:7.1f} MB   {lines:,} lines")
    print(f"  worker peak RSS over idle: {growth:6.1f} MB   (idle {max(idle.values()) / 1024:.0f} MB)")
    if lines != expected:
        print(f"  CUT OFF: {lines:,} lines of {expected:,}")
    elif total > 30:
        print("  longer than gunicorn's worker timeout (30 s), and whole: the threaded worker was not cut off")
    again = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    started = time.perf_counter()
    again.request("GET", registry_path({"format": fmt, "status": "valid"}), headers={"If-None-Match": etag or ""})
    status = again.getresponse().status
    print(f"  again with its ETag: {status} in {(time.perf_counter() - started) * 1000:.1f} ms   ({last_modified})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=1_000_000, help="labels to generate (1,000,000)")
    parser.add_argument("--reuse", action="store_true", help="serve the database the last run built")
    arguments = parser.parse_args()
    began = time.perf_counter()
    os.environ.update(SERVER_ENV)
    if not arguments.reuse:
        print(f"building the database: demo data + {arguments.labels:,} labels ...", flush=True)
        fresh_database()
        manage("migrate", "--no-input")
    manage("generate_signing_key", "--if-missing")
    import django

    django.setup()
    from certification.models import Enterprise, Label
    from certification.registry import RegistryFilter

    if not arguments.reuse:
        manage("seed_demo", "--force")
        started = time.perf_counter()
        generate_labels(arguments.labels)
        print(f"  {Label.objects.count():,} labels in {time.perf_counter() - started:.0f} s", flush=True)
    codes = list(Label.objects.order_by("?").values_list("code", flat=True)[:1000])
    enterprise_number = Enterprise.objects.filter(name__startswith="Kringwinkel").values_list(
        "enterprise_number", flat=True
    )[0]
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", *WORKER_ARGUMENTS,
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
        print(f"gunicorn {' '.join(WORKER_ARGUMENTS)}; {Label.objects.count():,} labels")
        client = Client()
        measure_searches(client, queries(codes, enterprise_number))
        measure_deep_page(client, Label.objects.count())
        measure_statistics(client)
        client.connection.close()
        time.sleep(1)
        valid = RegistryFilter({}, queryset=Label.objects.all()).qs.count()
        measure_export(server.pid, "csv", valid)
        measure_export(server.pid, "jsonl", valid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"total time: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
