"""Chromium (Debian's) driven by Playwright against pytest-django's live server.

Never `playwright install`: the browser comes from the system. Where Chromium is missing the
browser tests are skipped, except when REQUIRE_BROWSER is set (as .ci/run does): then that
is a failure.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and Playwright share the thread

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (REQUIRE_BROWSER) but /usr/bin/chromium is missing.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser refused to load or run under the pages' Content-Security-Policy."""
    return []


@pytest.fixture
def open_page(browser, csp_violations):  # type: ignore[no-untyped-def]
    """A new page in a fresh context, at a width and in a language. `bypass_csp` is for
    injecting axe-core, which the pages' own policy rightly refuses."""
    contexts = []

    def open_(width: int = 1280, language: str = "nl-BE", bypass_csp: bool = False):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=language, bypass_csp=bypass_csp)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        return page

    yield open_
    for context in contexts:
        context.close()
