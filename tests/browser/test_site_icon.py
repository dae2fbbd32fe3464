"""A first visit in a real browser: the browser asks for /favicon.ico by itself, and finds it."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_first_visit_logs_no_error_for_the_site_icon(live_server, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert errors == []  # without the icon: "Failed to load resource: ... 404 (Not Found)"
    icon = page.context.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/x-icon"
