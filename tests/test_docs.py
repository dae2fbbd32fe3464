"""`make docs`: the README's workflow picture, in English, drawn from the workflow itself."""

import re
import subprocess
from pathlib import Path

from django.utils import translation

from certification.models import ApplicationState
from docs.workflow import workflow_dot

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "application-workflow.svg"


def dot_labels(dot: str) -> set[str]:
    return {quoted + bare for quoted, bare in re.findall(r'label=(?:"([^"]*)"|([^\s\]"]+))', dot)} - {""}


def test_it_names_the_states_in_english_whatever_language_is_active() -> None:
    with translation.override("nl"):
        labels = dot_labels(workflow_dot())
    with translation.override("en"):
        states = {str(state.label) for state in ApplicationState}
    assert states <= labels
    assert "ingediend" not in labels
    assert "submit_report" in labels


def test_the_committed_picture_shows_the_workflow_as_drawn_now() -> None:
    texts = set(re.findall(r"<text[^>]*>([^<]*)</text>", PICTURE.read_text()))
    assert texts == dot_labels(workflow_dot())


def test_make_docs_without_graphviz_says_so_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = sorted(path.name for path in (ROOT / "docs").iterdir())
    done = subprocess.run(
        ["make", "--no-print-directory", "docs"],
        cwd=ROOT,
        env={"PATH": str(tmp_path)},  # a PATH with no dot in it
        executable="/usr/bin/make",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "Graphviz's dot, which is not installed: apt-get install graphviz" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert sorted(path.name for path in (ROOT / "docs").iterdir()) == before


def test_the_committed_label_life_picture_shows_its_three_machines_as_drawn_now() -> None:
    from docs.label_life import label_life_dot

    texts = set(re.findall(r"<text[^>]*>([^<]*)</text>", (ROOT / "docs" / "label-life.svg").read_text()))
    assert texts == dot_labels(label_life_dot())
    assert {"continue_certification", "suspend_label", "extra_surveillance", "reinstate"} <= texts
