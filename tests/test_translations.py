"""Every text is in Dutch, English and French: the catalogues are complete and compiled."""

import gettext
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_text_is_translated(language) -> None:  # type: ignore[no-untyped-def]
    po = catalogue(language)
    assert [entry.msgid for entry in [*po.untranslated_entries(), *po.fuzzy_entries()]] == []


def compiled_text(compiled: gettext.GNUTranslations, entry: polib.POEntry) -> str:
    """What the compiled catalogue gives for `entry`, in its context when it has one (the certificate's words)."""
    return compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_compiled_catalogue_is_the_one_written(language) -> None:  # type: ignore[no-untyped-def]
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        if not entry.msgid_plural and compiled_text(compiled, entry) != entry.msgstr
    ]
    assert stale == [], "run `make messages`"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_translation_keeps_the_placeholders_of_its_text(language) -> None:  # type: ignore[no-untyped-def]
    placeholder = re.compile(r"%\(\w+\)s|%%")
    broken = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        if not entry.msgid_plural
        and sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr))
    ]
    assert broken == []
