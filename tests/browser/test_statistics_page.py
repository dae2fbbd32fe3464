"""The statistics page in Chromium, on a phone and a desktop: charts load, tables are there,
and axe-core finds no serious or critical violation."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["nl-BE", "fr-BE", "en-GB"])
def test_the_statistics_page_is_accessible(live_server, open_page, issue_label, width, language) -> None:  # type: ignore[no-untyped-def]
    issue_label()
    page = open_page(width=width, language=language, bypass_csp=True)
    page.goto(f"{live_server.url}/statistics/")
    images = page.locator("section.figure img")
    assert images.count() == page.locator("section.figure table").count() > 5
    page.wait_for_load_state("load")
    assert page.evaluate("() => [...document.images].every(image => image.complete && image.naturalWidth > 0)")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.add_script_tag(path=str(AXE))
    # Bounded: a check that cannot finish fails the test instead of holding the suite.
    violations = page.evaluate(
        """async () => await Promise.race([
            axe.run(document).then(result => result.violations),
            new Promise((_, reject) => setTimeout(() => reject(new Error("axe did not finish in 30 s")), 30000)),
        ])"""
    )
    serious = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == []
