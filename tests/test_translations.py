"""Every text is in Dutch, English and French: the catalogues are complete and compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


def entries(po: Path) -> list[dict[str, str]]:
    """The entries of a .po file as {keyword: text}, with '#, fuzzy' kept as the 'fuzzy' key."""
    found: list[dict[str, str]] = []
    current: dict[str, str] = {}
    keyword = ""
    for line in [*po.read_text().splitlines(), ""]:
        if not line.strip():
            if current:
                found.append(current)
            current, keyword = {}, ""
        elif line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = "yes"
        elif match := ENTRY.match(line):
            keyword = match.group(1)
            current[keyword] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and keyword:
            current[keyword] += ast.literal_eval(line)
    return [entry for entry in found if entry.get("msgid")]  # the header has an empty msgid


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_text_is_translated(language) -> None:  # type: ignore[no-untyped-def]
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [
        entry["msgid"]
        for entry in entries(po)
        if "fuzzy" in entry or not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_compiled_catalogue_is_the_one_written(language) -> None:  # type: ignore[no-untyped-def]
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        entry["msgid"]
        for entry in entries(folder / "django.po")
        if "msgstr" in entry and compiled.gettext(entry["msgid"]) != entry["msgstr"]
    ]
    assert stale == [], "run `make messages`"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_translation_keeps_the_placeholders_of_its_text(language) -> None:  # type: ignore[no-untyped-def]
    placeholder = re.compile(r"%\(\w+\)s|%%")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    broken = [
        entry["msgid"]
        for entry in entries(po)
        if "msgstr" in entry
        and sorted(placeholder.findall(entry["msgid"])) != sorted(placeholder.findall(entry["msgstr"]))
    ]
    assert broken == []
