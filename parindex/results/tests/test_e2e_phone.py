"""A unit officer reads the unit's published results on a phone: one card per row."""

from __future__ import annotations

import pytest

from parindex.assessments.tests.test_e2e_journey import as_user, demo  # noqa: F401
from parindex.assessments.tests.test_e2e_workpages import PHONE, fits_the_phone
from parindex.results import demo as results_demo
from parindex.results.models import Snapshot

pytestmark = pytest.mark.e2e


def test_a_unit_officer_reads_the_unit_results_on_a_phone(page, demo):  # noqa: F811
    results_demo.load(demo)  # publishes last year's round
    published = Snapshot.objects.order_by("-round__year").first()
    assert published is not None
    page.set_viewport_size(PHONE)
    as_user(page, "stp.canbo")
    page.goto(f"/results/{published.round_id}/units/STP/")
    assert page.get_by_role("heading", name="Chi tiết từng tiêu chí").is_visible()
    fits_the_phone(page)
    # One card per row: no column hides beyond a sideways scroll inside a table either.
    for table in page.locator("table.table-work").all():
        assert table.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
