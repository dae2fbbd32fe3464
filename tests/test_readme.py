"""The README's "Verify a label yourself" example runs as written against a live server."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


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


@pytest.mark.django_db(transaction=True)
def test_the_readme_api_walkthrough_runs_in_a_shell(live_server, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from django.core.management import call_command

    from certification.models import Label

    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-label-2026", stdout=io.StringIO())
    settings.DEBUG = False
    block = re.search(r"<!-- api-walkthrough -->\n```sh\n(.*?)```", README.read_text(), re.S)
    assert block, "the README lost its walk-through"
    script = block.group(1).replace("http://127.0.0.1:8000", live_server.url)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert lines[0] == "submitted"
    assert "audit_scheduled" in lines
    assert "audit_reported" in lines
    label = Label.objects.get(product__name="Houten fietsrek")
    assert f'"code":"{label.code}"' in done.stdout
    assert '"status":"valid"' in done.stdout
