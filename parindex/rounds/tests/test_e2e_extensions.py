"""In a real browser: the office grants a unit more time, picking the unit by typing.

The extensions form offers no list of every unit (a national round has 3,500): typing part of
a name fills the picker's list from the server, and the picked code grants the extension.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from parindex.assessments.tests.test_e2e_journey import as_user, demo, see  # noqa: F401
from parindex.core.tests import axe
from parindex.rounds.models import Extension

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_the_office_picks_a_unit_by_typing_and_grants_it_more_time(page, demo):  # noqa: F811
    round_ = demo.current_round
    as_user(page, "cchc")
    page.goto(f"/rounds/{round_.pk}/extensions/")
    violations = axe.blocking(page)
    assert not violations, axe.describe(violations)
    picker = page.get_by_role("combobox", name="Đơn vị")  # an input with a list
    picker.press_sequentially("tư pháp", delay=30)
    # the list the field's focus filled with the first units, narrowed to what was typed
    expect(page.locator("#id_unit-options option")).to_have_count(1)
    expect(page.locator("#id_unit-options option")).to_have_attribute("value", "STP")
    picker.fill("STP")  # what picking the offered option puts in the field
    page.get_by_label("Giai đoạn").select_option("self_assessment")
    until = round_.self_assessment_closes_on + dt.timedelta(days=7)
    page.get_by_label("Gia hạn đến").fill(f"{until:%d/%m/%Y}")
    page.get_by_label("Lý do").fill("Công văn 15/STP đề nghị gia hạn do thay đổi lãnh đạo")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    see(page, "Sở Tư pháp")
    assert Extension.objects.get(round=round_).unit.code == "STP"
