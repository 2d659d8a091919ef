"""The pages people work in all day, measured in a real browser at laptop and phone sizes.

Each test opens a page in headless chromium and checks what a person sees: the heat map's
colours, the appraisal grid beside the evidence panel, and no sideways scrolling on a phone.
"""

from __future__ import annotations

import pytest

from parindex.conftest import login
from parindex.results.tests.conftest import scored_world

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# The heat map's shades (results.css), as the browser computes them.
SHADES = {
    "heat-4": "rgb(31, 78, 121)",
    "heat-3": "rgb(63, 116, 166)",
    "heat-2": "rgb(157, 195, 230)",
    "heat-1": "rgb(222, 235, 247)",
    "heat-0": "rgb(255, 255, 255)",
}


def test_the_heat_map_shows_its_heat(page, par_officer):
    world = scored_world(par_officer)
    page.set_viewport_size(LAPTOP)
    login(page, par_officer)
    page.goto(f"/results/{world.previous.pk}/analysis/")
    cells = page.locator("table.heat td.heat-cell")
    assert cells.count() > 0
    seen = cells.evaluate_all(
        """cells => cells.map(cell => [
            [...cell.classList].find(name => name.startsWith("heat-") && name !== "heat-cell"),
            getComputedStyle(cell).backgroundColor,
            getComputedStyle(cell).boxShadow,
        ])"""
    )
    shades = {shade for shade, _colour, _shadow in seen}
    assert shades - {"heat-na"}, "the demo round has scored cells"
    for shade, colour, shadow in seen:
        if shade in SHADES:
            assert colour == SHADES[shade], (shade, colour)
            assert shadow == "none", (shade, shadow)  # no stripe or hover paints over it
    assert any(colour == SHADES["heat-4"] for _shade, colour, _shadow in seen)


@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_the_longest_menu_keeps_search_help_and_account_on_screen(page, admin, width):
    """The administrator's menu (the longest) wraps rather than pushing the header's search,
    "?", account menu and language choice off a laptop's screen."""
    page.set_viewport_size({"width": width, "height": 768})
    login(page, admin)
    assert page.locator("#nav ul.me-auto a.nav-link").count() >= 12
    for selector in (
        ".header-search input",
        "a[href^='/help/']",
        "#nav .dropdown-toggle",
        "select[name=language]",
        "#nav ul.me-auto li:last-child a",
    ):
        box = page.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
    language = page.locator("select[name=language]").bounding_box()
    assert language and language["width"] >= 56, language  # "VI" and its arrow stay readable
    assert page.evaluate("document.documentElement.scrollWidth") <= width
