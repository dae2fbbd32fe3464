"""The registry page: its form has an "all" choice in every select, numbered pages over the
first pages, keyset pages past them, and a clear refusal of what it does not know."""

import re

import pytest
from django.test import Client

from web.views import public


@pytest.fixture
def labels(issue_label):  # type: ignore[no-untyped-def]
    return [issue_label(name=f"Eiken stoel {n}") for n in range(5)]


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_every_select_offers_all_and_the_form_sent_as_shown_lists_every_valid_label(client, labels) -> None:  # type: ignore[no-untyped-def]
    html = get(client, "/registry/")
    selects = re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S)
    first_options = {
        name: re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)[0] for name, body in selects
    }
    assert first_options["category"] == ("", "alle categorieën")
    assert first_options["level"] == ("", "alle niveaus")
    assert first_options["kind"] == ("", "alle soorten")
    assert first_options["status"] == ("valid", "geldig")  # as the registry lists by default
    assert '<option value="all">alle statussen</option>' in html
    assert first_options["ordering"] == ("-issued_on", "nieuwste eerst")
    # What the browser sends for the form as it is shown, with a word typed in:
    sent = get(client, "/registry/?q=stoel&category=&level=&kind=&enterprise_number=&status=valid&ordering=-issued_on")
    assert all(label.code in sent for label in labels)


def test_an_unknown_parameter_is_a_400_that_names_it(client, labels) -> None:  # type: ignore[no-untyped-def]
    html = get(client, "/registry/?provincie=Limburg", status=400)
    assert "Onbekende parameter: provincie." in html
    assert labels[0].code not in html


def test_the_page_filters_on_the_province(client, labels, enterprise) -> None:  # type: ignore[no-untyped-def]
    enterprise.postal_code = "3500"
    enterprise.save()
    html = get(client, "/registry/")
    assert '<option value="limburg">Limburg</option>' in html
    assert all(label.code in get(client, "/registry/?province=limburg") for label in labels)
    assert not any(label.code in get(client, "/registry/?province=antwerp") for label in labels)


def test_a_province_the_page_does_not_know_is_a_400_that_names_it(client, labels) -> None:  # type: ignore[no-untyped-def]
    html = get(client, "/registry/?province=Limburgg", status=400)
    assert "Onbekende provincie: Limburgg." in html
    assert labels[0].code not in html


def test_numbered_pages_then_keyset_pages(client, labels, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(public, "REGISTRY_PAGE_SIZE", 1)
    monkeypatch.setattr(public, "REGISTRY_NUMBERED_PAGES", 2)
    first = get(client, "/registry/?ordering=code")
    codes = sorted(label.code for label in labels)
    assert codes[0] in first
    assert "Meer dan 2 labels" in first
    assert 'aria-current="page">1<' in first
    assert 'href="?ordering=code&amp;page=2"' in first
    second = get(client, "/registry/?ordering=code&page=2")
    assert codes[1] in second
    next_url = re.search(r'<a href="([^"]+)" rel="next"', second)
    assert next_url
    assert "cursor=" in next_url.group(1)  # past the numbered pages: by keyset
    seen = [codes[0], codes[1]]
    url = next_url.group(1).replace("&amp;", "&")
    while url:
        html = get(client, f"/registry/{url}")
        seen += [code for code in codes if code in html and code not in seen]
        assert "Eerste pagina" in html
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == codes


def test_a_broken_page_link_says_so(client, labels) -> None:  # type: ignore[no-untyped-def]
    html = get(client, "/registry/?cursor=kapot", status=400)
    assert "Deze paginalink is niet geldig" in html


def test_the_page_links_the_csv_and_the_data_package_without_paging_parameters(client, labels) -> None:  # type: ignore[no-untyped-def]
    html = get(client, "/registry/?q=stoel&page=1")
    assert 'href="/api/v1/labels/?q=stoel&amp;format=csv"' in html
    assert 'href="/api/v1/labels/datapackage.json"' in html
