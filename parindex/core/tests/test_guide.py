"""Issue 14: the user guide, its sections per role, its screenshots and the "?" of each page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.core import guide


@pytest.mark.parametrize(
    ("path", "roles", "section"),
    [
        ("/assessments/appraisal/", ["appraiser"], "tham-dinh"),
        ("/assessments/council/3/", ["council"], "hoi-dong"),
        ("/assessments/inbox/", ["unit_editor"], "hop-thu"),
        ("/assessments/12/", ["unit_head"], "can-bo-don-vi"),
        ("/", ["viewer"], "lanh-dao-tinh"),
        ("/", ["par_officer", "appraiser"], "phong-cchc"),
        ("/", [], ""),
        ("/search/", ["viewer"], "tim-kiem"),
    ],
)
def test_the_question_mark_opens_the_section_about_the_page_or_the_role(path, roles, section):
    assert guide.section_for(path, roles) == section


def test_every_section_the_links_name_exists_in_the_guide(client, par_officer):
    client.force_login(par_officer)
    html = client.get(reverse("core:guide")).content.decode()
    sections = set(guide.PAGE_SECTIONS.values()) | set(guide.ROLE_SECTIONS.values())
    for section in sections:
        assert f'id="{section}"' in html, section


def test_the_guide_shows_the_screenshots_the_browser_tests_took(client, unit_editor):
    client.force_login(unit_editor)
    html = client.get(reverse("core:guide")).content.decode()
    shots = sorted(guide.SHOTS.glob("*.png"))
    assert shots, "run the accessibility browser test with PARINDEX_GUIDE_SHOTS=1"
    for shot in shots:
        assert f"/static/parindex/guide/{shot.name}" in html


def test_every_screenshot_the_walk_saves_is_used_by_the_guide():
    names = {
        guide.shot_for(username, prefix if prefix != "/" else "/", viewport)
        for (username, prefix) in guide._WANTED
        for viewport in ("desktop", "phone")
    } - {None}
    template = (guide.SHOTS.parents[2] / "templates" / "core" / "guide.html").read_text()
    for name in names:
        assert name[:-4].replace("-", "_") in template, name


def test_every_screenshot_the_walk_takes_is_committed():
    """A shot named in `_WANTED` but never taken (its page missing from the walk) fails here."""
    names = {
        guide.shot_for(username, prefix, viewport)
        for (username, prefix) in guide._WANTED
        for viewport in ("desktop", "phone")
    } - {None}
    missing = sorted(name for name in names if not (guide.SHOTS / name).is_file())
    assert not missing, f"run the accessibility browser test with PARINDEX_GUIDE_SHOTS=1: {missing}"


def test_the_guide_prints_without_menu(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("core:guide")).content.decode()
    assert "data-print" in html
    assert "Hướng dẫn sử dụng" in html
