"""The registry's search form used as a person uses it: type a word, choose, press Enter, read."""

import pytest

from certification.models import Label

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {3: "Biologische confituur", 2: "Houten fietsrek", 1: "Zachte handzeep"}


@pytest.fixture
def labels(issue_label) -> dict[int, Label]:  # type: ignore[no-untyped-def]
    issued = {}
    for level, name in NAMES.items():
        label = issue_label(name=name)
        label.level = level
        label.save()  # the public record shows the level
        issued[level] = label
    return issued


def search(page, word: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Product, onderneming of labelcode").fill(word)
    page.get_by_label("Product, onderneming of labelcode").press("Enter")
    page.wait_for_url("**/registry/?q=*")


def results(page) -> str:  # type: ignore[no-untyped-def]
    table = page.locator("table")
    return table.inner_text() if table.count() else ""


@pytest.mark.parametrize("level", [3, 2, 1])
def test_a_word_of_a_label_of_every_level_is_found_through_the_form(live_server, open_page, labels, level) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    page.goto(f"{live_server.url}/registry/")
    word = NAMES[level].split()[1]  # "confituur", "fietsrek", "handzeep"
    search(page, word)
    found = results(page)
    assert labels[level].code in found
    assert NAMES[level] in found
    assert [code for other, code in ((n, labels[n].code) for n in NAMES) if other != level and code in found] == []

    page.get_by_label("Niveau").select_option(str(level))  # choose its level: still there
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(f"**level={level}*")
    assert labels[level].code in results(page)

    other = 1 if level != 1 else 2  # another level: not there, and the page says so
    page.get_by_label("Niveau").select_option(str(other))
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(f"**level={other}*")
    assert labels[level].code not in results(page)
    assert "Geen label voldoet aan deze zoekopdracht." in page.content()

    page.get_by_label("Niveau").select_option(label="alle niveaus")
    page.get_by_label("Status").select_option(label="alle statussen")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**status=all*")
    assert labels[level].code in results(page)
