"""The unit officer's and the appraiser's pages at laptop and phone sizes, in a real browser.

At 1280 and 1366 px the evidence preview must never lie over the decision, points or reason
columns of the appraisal grid, and no column may hide beyond a sideways scroll; at 390 px the
pages a unit officer uses on a phone fit the screen (cards, no sideways scrolling).
"""

from __future__ import annotations

import pytest

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.assessments.tests.test_e2e_journey import as_user, demo  # noqa: F401
from parindex.rounds.models import Assignment

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database

PHONE = {"width": 390, "height": 844}


def in_appraisal(world) -> tuple[Assessment, User]:
    """A demo assessment in its first appraisal, and an appraiser of one of its areas."""
    assessment = (
        Assessment.objects.filter(
            round=world.current_round,
            status__in=[Assessment.Status.SUBMITTED, Assessment.Status.IN_APPRAISAL],
        )
        .order_by("unit__code")
        .first()
    )
    assert assessment is not None, "the demo has units in their first appraisal"
    assignment = (
        Assignment.objects.filter(round=assessment.round, unit=assessment.unit)
        .select_related("appraiser")
        .first()
    )
    assert assignment is not None and assignment.appraiser is not None
    return assessment, assignment.appraiser


def boxes(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        "cells => cells.map(cell => { const r = cell.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " width: r.width, height: r.height}; })"
    )


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_evidence_preview_never_covers_a_decision(page, demo, width):  # noqa: F811
    assessment, appraiser = in_appraisal(demo)
    page.set_viewport_size({"width": width, "height": 768})
    as_user(page, appraiser.username)
    page.goto(f"/assessments/{assessment.pk}/appraise/")
    (panel,) = boxes(page, ".appraise-preview .side-panel")
    assert panel["width"] > 300  # the preview is there and usable
    columns = boxes(page, ".appraise-grid thead th")
    cells = boxes(page, ".appraise-grid tbody tr.leaf td")
    assert len(columns) == 8 and cells
    decision, points = columns[5], columns[6]
    for box in [decision, points, *cells]:
        assert not overlaps(box, panel), (box, panel)
    # Nothing hides beyond a sideways scroll: the decision and points columns are on screen.
    assert points["right"] <= width
    grid = page.locator(".appraise-grid")
    assert grid.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    reasons = boxes(page, ".appraise-grid textarea[name=reason]")
    for box in reasons:
        assert not overlaps(box, panel) and box["right"] <= width


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px"


def test_a_unit_officer_works_on_a_phone_without_sideways_scrolling(page, demo):  # noqa: F811
    page.set_viewport_size(PHONE)
    as_user(page, "stp.canbo")
    page.goto(f"/assessments/{demo.assessment.pk}/")
    fits_the_phone(page)
    field = page.locator("[data-grid] [data-cell]:not([disabled])").first
    box = field.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto("/assessments/")
    fits_the_phone(page)
    page.goto(f"/assessments/{demo.assessment.pk}/check/")
    fits_the_phone(page)


def test_an_appraiser_reads_the_appraisal_page_on_a_phone(page, demo):  # noqa: F811
    assessment, appraiser = in_appraisal(demo)
    page.set_viewport_size(PHONE)
    as_user(page, appraiser.username)
    page.goto(f"/assessments/{assessment.pk}/appraise/")
    fits_the_phone(page)
    page.goto("/assessments/appraisal/")
    fits_the_phone(page)


def test_a_row_saved_on_a_phone_keeps_its_card_labels(page, demo):  # noqa: F811
    """The row htmx swaps in after a save is labelled like the rest (one walk of its table)."""
    page.set_viewport_size(PHONE)
    as_user(page, "stp.canbo")
    page.goto(f"/assessments/{demo.assessment.pk}/")
    field = page.locator("[data-grid] tr.leaf select[data-cell]:not([disabled])").first
    row_id = field.locator("xpath=ancestor::tr[1]").get_attribute("id")
    options = field.locator("option").evaluate_all("options => options.map(o => o.value)")
    chosen = next(value for value in options if value and value != field.input_value())
    page.locator(f"tr#{row_id}").evaluate("row => row.setAttribute('data-before', '')")
    field.select_option(chosen)
    row = page.locator(f"tr#{row_id}:not([data-before])")  # the row the server sent back
    row.wait_for()
    assert row.locator("select[data-cell]").input_value() == chosen
    # htmx runs its load handlers once the swap settles (20 ms later): wait for the labels.
    page.wait_for_function(
        "id => [...document.querySelectorAll(`tr#${id} td`)].every(c => c.dataset.label)",
        arg=row_id,
        timeout=3_000,
    )
    fits_the_phone(page)
