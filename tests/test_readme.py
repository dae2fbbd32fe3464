"""The README as a newcomer uses it: every shell block pasted as written, against a fresh `make run`.

A copy of this checkout (its tracked and new files: no .env, no var/) stands for the fresh
clone; it uses this checkout's virtualenv as installed (a new one would need PyPI and minutes).
The demo serves on a free port, which stands for the README's 8000 wherever the README names
it. Each command has a time limit, and every process started here is stopped, whatever happens.

The Python example of "Verify a label yourself" runs against a live server, with a label of its own.
"""

import base64
import contextlib
import datetime
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Set in everything started here: a `make test` in the copy must not start this module again.
NESTED = "SE_LABEL_README_TEST"
if os.environ.get(NESTED):
    pytest.skip("the README test does not run inside itself", allow_module_level=True)

SERVE_SECONDS = 600  # a first `make run` migrates and seeds: two minutes on a busy machine
COMMAND_SECONDS = 300
# The one fragment that tells each shell block of the README, and the test that pastes it.
BLOCKS = {
    "make run": "test_make_run_serves_the_demo_at_its_port",
    "manage.py refresh_public_records": "test_the_commands_by_hand_run_as_pasted",
    "API=http://127.0.0.1:8000/api/v1": "test_the_api_walkthrough_runs_against_the_demo",
    "SITE=http://127.0.0.1:8000": "test_the_watch_walkthrough_runs_against_the_demo",
    "bench.certificate": "test_the_certificate_benchmark_runs",
    "gunicorn config.wsgi": "test_the_production_commands_serve",
    "manage.py db_worker": "test_the_production_worker_and_scheduler_run",
}


def sh_blocks() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", README.read_text(), re.S | re.M)


def block_with(fragment: str) -> str:
    (block,) = (block for block in sh_blocks() if fragment in block)
    return block


def line_with(block: str, fragment: str) -> str:
    (line,) = (line for line in block.splitlines() if fragment in line.split("#")[0])
    return line


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def newcomer_env(**settings: str) -> dict[str, str]:
    """This shell's environment without any of the project's settings (nor the test run's)."""
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    names |= {"DJANGO_SETTINGS_MODULE", "PORT", "PYTEST_ADDOPTS", "PYTEST_ARGS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    env = {name: value for name, value in os.environ.items() if name not in names and not name.startswith("BENCH_")}
    return {**env, NESTED: "1", **settings}


def fresh_clone(folder: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (folder / ".venv").symlink_to((ROOT / ".venv").resolve())
    stamp = folder / ".venv" / ".installed"
    if stamp.exists():  # installed: `make` must not install into the shared virtualenv again
        before = stamp.stat().st_mtime - 1
        for requirements in folder.glob("requirements*.txt"):
            os.utime(requirements, (before, before))
    return folder


def start(command: str, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            ["bash", "-c", command], cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """The command and everything it started (make, runserver and its reloader, gunicorn's workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path, seconds: float = SERVE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ended ({process.returncode}) before serving {url}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    pytest.fail(f"not serving {url} after {seconds} s:\n{log.read_text()[-4000:]}")


def run(
    script: str, cwd: Path, env: dict[str, str], seconds: float = COMMAND_SECONDS
) -> subprocess.CompletedProcess[str]:
    """As pasted into a shell that stops at the first failure; killed with all it started at the limit."""
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"still running after {seconds} s:\n{script}\n{stdout[-2000:]}{stderr[-2000:]}")
    return Done(process.returncode, stdout, stderr)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Demo:
    folder: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`PORT=... make run` in a fresh clone, serving until the module's tests are done."""
    folder = fresh_clone(tmp_path_factory.mktemp("clone"))
    port, log = free_port(), folder.parent / "make-run.log"
    process = start(line_with(block_with("make run"), "make run"), folder, newcomer_env(PORT=str(port)), log)
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/readyz/", log)
        yield Demo(folder, port, log)
    finally:
        stop(process)


def test_every_shell_block_of_the_readme_is_pasted_here() -> None:
    for block in sh_blocks():
        assert [fragment for fragment in BLOCKS if fragment in block], f"no test pastes this block:\n{block}"
    for fragment, test in BLOCKS.items():
        assert test in globals()
        assert len([block for block in sh_blocks() if fragment in block]) == 1, fragment


def wait_for_line(log: Path, text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not printed after {seconds} s:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)


def test_make_run_serves_the_demo_at_its_port(demo: Demo) -> None:
    assert f"Serving on {demo.url}/" in demo.log.read_text()
    # The task worker and the scheduler run beside the web server: the scheduler's first round
    # enqueues the outbox's sweep and the worker runs it.
    wait_for_line(demo.log, "Enqueued background.outbox.deliver_pending")
    wait_for_line(demo.log, "path=background.outbox.deliver_pending state=SUCCESSFUL")
    dotenv = (demo.folder / ".env").read_text().splitlines()
    assert "DEBUG=true" in dotenv
    assert f"PUBLIC_BASE_URL={demo.url}" in dotenv
    label = json.loads(get(f"{demo.url}/api/v1/labels/?page_size=1"))["results"][0]
    assert label["verify_url"] == f"{demo.url}/verify/{label['code']}/"
    assert label["certificate_url"].startswith(f"{demo.url}/api/")
    credential = get(f"{demo.url}/api/v1/labels/{label['code']}/credential").decode()
    payload = credential.split(".")[1]
    assert json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["iss"] == demo.url


def test_a_second_make_run_says_at_once_that_the_port_is_in_use(demo: Demo) -> None:
    again = run(line_with(block_with("make run"), "make run"), demo.folder, newcomer_env(PORT=str(demo.port)), 60)
    assert again.returncode != 0
    assert f"Port {demo.port} on 127.0.0.1 is already in use" in again.stderr
    assert "migrate" not in again.stdout + again.stderr


def test_make_test_runs_the_suite(demo: Demo) -> None:
    """Here on one test file: the whole suite is the run this test is part of."""
    env = newcomer_env(PYTEST_ARGS="-q -p no:cacheprovider tests/test_codes.py")
    done = run(line_with(block_with("make run"), "make test"), demo.folder, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"\d+ passed", done.stdout)


def test_the_commands_by_hand_run_as_pasted(demo: Demo) -> None:
    """From another terminal, with none of make's variables: the .env make run wrote holds them."""
    done = run(block_with("manage.py refresh_public_records"), demo.folder, newcomer_env())
    assert done.returncode == 0, done.stderr
    assert "public record(s)" in done.stdout
    assert "Signing key present" in done.stdout
    assert "certificate(s)" in done.stdout


def test_the_api_walkthrough_runs_against_the_demo(demo: Demo, tmp_path: Path) -> None:
    block = re.search(r"<!-- api-walkthrough -->\n```sh\n(.*?)```", README.read_text(), re.S)
    assert block, "the README lost its walk-through"
    done = run(block.group(1).replace("http://127.0.0.1:8000", demo.url), tmp_path, newcomer_env())
    assert done.returncode == 0, done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert lines[0] == "submitted"
    assert "audit_scheduled" in lines
    assert "audit_reported" in lines
    label = json.loads(next(line for line in lines if line.startswith('{"code":')))
    assert label["status"] == "valid"
    assert label["product"]["name"] == "Houten fietsrek"
    assert label["verify_url"] == f"{demo.url}/verify/{label['code']}/"
    assert lines[-5:-3] == ["received", "acknowledged"]
    decide_by = datetime.date.fromisoformat(lines[-3])
    assert decide_by > datetime.date.today()
    assert lines[-2] == "upheld"
    assert datetime.date.fromisoformat(lines[-1]) < decide_by  # the extra surveillance is due at once


def test_the_watch_walkthrough_runs_against_the_demo(demo: Demo) -> None:
    """Pasted as written; the token is typed in once the worker has printed the mail in make run's terminal."""
    block = re.search(r"<!-- watch-walkthrough -->\n```sh\n(.*?)```", README.read_text(), re.S)
    assert block, "the README lost its watch walk-through"
    printed_before = len(demo.log.read_text())
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", block.group(1).replace("http://127.0.0.1:8000", demo.url)],
        env=newcomer_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        link = re.compile(re.escape(f"{demo.url}/watch/confirm/") + r"([\w-]+)/")
        deadline = time.monotonic() + 120
        while not (found := link.search(demo.log.read_text()[printed_before:])):
            assert time.monotonic() < deadline, demo.log.read_text()[-4000:]
            assert process.poll() is None, process.communicate()
            time.sleep(0.5)
        stdout, stderr = process.communicate(f"{found.group(1)}\n", timeout=COMMAND_SECONDS)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, stderr + stdout
    lines = stdout.splitlines()
    assert re.fullmatch(r"SE-[0-9A-Z-]+: \w+", lines[0]), stdout  # the newest entry's title
    answers = [json.loads(line) for line in lines if line.startswith('{"detail"')]
    assert len(answers) == 3, stdout
    assert answers[1]["following"]["label"] is not None


def production_env(tmp_path: Path, port: int) -> dict[str, str]:
    """The settings the README asks for, DEBUG off; the environment wins over make run's .env."""
    return newcomer_env(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        # This test speaks plain HTTP to gunicorn; in production a TLS proxy stands in front.
        SECURE_SSL_REDIRECT="false",
        SIGNING_KEY_FILE=str(tmp_path / "signing-key.pem"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        **({"REDIS_URL": os.environ["REDIS_URL"]} if os.environ.get("REDIS_URL") else {}),
    )


def test_the_production_commands_serve(demo: Demo, tmp_path: Path) -> None:
    block = block_with("gunicorn config.wsgi")
    server = line_with(block, "gunicorn config.wsgi")
    port = free_port("0.0.0.0")
    env = production_env(tmp_path, port)
    setup = run(block.replace(server, ""), demo.folder, env)
    assert setup.returncode == 0, setup.stderr
    assert (tmp_path / "signing-key.pem").exists()
    log = tmp_path / "gunicorn.log"
    process = start(server.replace(":8000", f":{port}"), demo.folder, env, log)
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/readyz/", log, 120)
        home = get(f"http://127.0.0.1:{port}/").decode()
        stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]+\.css)"', home)
        assert stylesheet, "the page does not name its collected, hashed stylesheet"
        assert b".brand" in get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")
    finally:
        stop(process)


def test_the_production_worker_and_scheduler_run(demo: Demo, tmp_path: Path) -> None:
    """Each line as its own service: the scheduler enqueues, the worker runs what it enqueued."""
    env = production_env(tmp_path, free_port())
    setup = run(".venv/bin/python manage.py migrate --no-input", demo.folder, env)
    assert setup.returncode == 0, setup.stderr
    block = block_with("manage.py db_worker")
    logs = {name: tmp_path / f"{name}.log" for name in ("db_worker", "run_scheduler")}
    processes = [start(line_with(block, name), demo.folder, env, logs[name]) for name in logs]
    try:
        wait_for_line(logs["run_scheduler"], "Enqueued background.outbox.deliver_pending")
        wait_for_line(logs["db_worker"], "path=background.outbox.deliver_pending state=SUCCESSFUL")
    finally:
        for process in processes:
            stop(process)


def test_the_certificate_benchmark_runs(demo: Demo) -> None:
    """Pasted with fewer certificates than its defaults (300 and 1,000), which take minutes here."""
    line = line_with(block_with("bench.certificate"), "bench.certificate")
    done = run(line.replace("bench.certificate", "bench.certificate 20 50", 1), demo.folder, newcomer_env())
    assert done.returncode == 0, done.stderr
    assert "certificates/s" in done.stdout


def test_the_lookup_benchmark_runs(demo: Demo) -> None:
    """As the README says, it needs PostgreSQL, Redis and wrk: it runs where the suite runs on them,
    on a small database of its own (the suite's test database's name with `_bench`), dropped after."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url or not shutil.which("wrk"):
        pytest.skip("bench.lookup needs PostgreSQL, Redis and wrk: it runs in the suite's PostgreSQL run")
    url = urlparse(database_url)
    bench_name = f"test_{url.path.lstrip('/')}_bench"
    bench_url, server_url = (
        urlunparse((url.scheme, url.netloc, f"/{name}", "", url.query, "")) for name in (bench_name, "postgres")
    )
    env = newcomer_env(
        BENCH_DATABASE_URL=bench_url,
        BENCH_REDIS_URL=redis_url,
        BENCH_LABELS="2000",  # the hot set is 2,000 labels
        BENCH_SECONDS="1",
        BENCH_ROUNDS="1",
        BENCH_PORT=str(free_port()),
    )
    try:
        done = run(line_with(block_with("bench.certificate"), "bench.lookup"), demo.folder, env, 900)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "lookup" in done.stdout
    finally:
        import psycopg

        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_verifies_a_credential_offline(live_server, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    example = re.search(r"<!-- verify-example -->\n```python\n(.*?)```", README.read_text(), re.S)
    assert example, "the README lost its example"
    code = example.group(1).replace("http://127.0.0.1:8000", live_server.url).replace("SE-7K3M-9QX2-4H6", label.code)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    assert output.getvalue().startswith(f"{label.code} level 3 ")
