"""Issue 14: every main page of every demo role passes axe-core, on a laptop and on a phone.

Each of the seven demo logins walks its home dashboard, each entry of its menu and the work
pages it opens from there, at 1366×768 and 390×844; axe-core must find no serious or critical
violation. The same walk takes the screenshots of the user guide (`core/guide.py`): a run with
`PARINDEX_GUIDE_SHOTS=1` writes them into the guide's asset folder (commit the PNGs).
"""

from __future__ import annotations

import os

import pytest

from parindex.accounts.models import User
from parindex.conftest import load_demo_quickly, login
from parindex.core import guide
from parindex.core.demo import DEMO_PASSWORD
from parindex.core.tests import axe

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SAVE_SHOTS = os.environ.get("PARINDEX_GUIDE_SHOTS") == "1"
# A comma-separated subset of the demo logins (all seven when unset), to refresh a few shots.
ONLY = set(filter(None, os.environ.get("PARINDEX_AXE_ROLES", "").split(",")))


@pytest.fixture
def demo(page):
    return load_demo_quickly()


def role_pages(username: str, world) -> list[str]:
    """The main pages a demo user opens besides the menu: their work pages of the demo."""
    current, published = world.current_round, world.published_round
    stp = current.assessments.get(unit__code="STP")
    submitted = current.assessments.exclude(status="draft").order_by("unit__code").first()
    pages = {
        "admin": [f"/rounds/{current.pk}/", "/audit/"],
        "cchc": [
            f"/rounds/{current.pk}/",
            f"/rounds/{current.pk}/appraisers/",
            f"/results/{published.pk}/",
            f"/results/{published.pk}/analysis/",
            "/search/?q=S%E1%BB%9F",
        ],
        "thamdinh": [f"/assessments/{submitted.pk}/appraise/"],
        "hoidong": [f"/assessments/council/{current.pk}/"],
        "stp.canbo": [f"/assessments/{stp.pk}/", f"/assessments/{stp.pk}/print/"],
        "stp.lanhdao": [
            f"/assessments/{stp.pk}/",
            f"/assessments/{stp.pk}/check/",
            f"/assessments/{stp.pk}/print/",
        ],
        "lanhdao": [f"/results/{published.pk}/"],
    }
    return pages[username]


def menu_paths(page) -> list[str]:
    """The main menu's links of the page shown (the user's menu entries)."""
    return page.locator("#nav ul.me-auto a.nav-link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def check(page, path: str, failures: dict[str, str], where: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("load")
    violations = axe.blocking(page)
    if violations:
        failures[f"{path} ({where})"] = axe.describe(violations)


def test_main_pages_have_no_serious_accessibility_violation(page, demo):
    """Every role and both sizes in one test: the demo province loads once (it takes a while)."""
    failures: dict[str, str] = {}
    page.set_default_navigation_timeout(60_000)  # the appraisal queue of the whole demo is big
    for username, *_ in guide.DEMO_ROLES:
        if ONLY and username not in ONLY:
            continue
        page.context.clear_cookies()
        page.set_viewport_size(VIEWPORTS["desktop"])
        login(page, User.objects.get(username=username), DEMO_PASSWORD)
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.goto("/")
            paths = ["/", *menu_paths(page), *role_pages(username, demo)]
            for path in dict.fromkeys(paths):
                check(page, path, failures, f"{username}, {viewport}")
                if SAVE_SHOTS and (shot := guide.shot_for(username, path, viewport)):
                    page.screenshot(path=str(guide.SHOTS / shot), full_page=False)
    report = "\n".join(f"{where}\n{text}" for where, text in failures.items())
    assert not failures, f"axe found serious or critical violations:\n{report}"
