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
