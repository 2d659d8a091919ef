"""In a real browser: a PAR officer copies a sample set to 2027, edits it, reviews and publishes."""

from __future__ import annotations

import re

import pytest

from parindex.conftest import login
from parindex.indexsets.models import IndexSet
from parindex.indexsets.tests.factories import sample_set

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_officer_clones_to_2027_changes_a_rule_and_a_max_sees_the_diff_and_publishes(
    page, par_officer
):
    sample_set("so-2024.yaml")
    login(page, par_officer)
    page.get_by_role("link", name="Bộ chỉ số", exact=True).click()
    page.get_by_role("link", name="SO-2024", exact=True).click()
    page.get_by_role("link", name="Sao chép sang năm mới").click()
    assert page.get_by_label("Mã mới").input_value() == "SO-2027"
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/indexsets/\d+/$"))
    assert page.get_by_role("heading", name=re.compile("SO-2027")).is_visible()

    page.get_by_role("link", name="Sửa 1.1.3", exact=True).click()
    page.get_by_label("Điểm tối đa").fill("2,5")
    page.get_by_label("Các mức tỷ lệ").fill("100%=2,5; 80%=1,5; 50%=0,5")
    preview = page.locator("#rule-preview")
    preview.get_by_role("cell", name="50%", exact=True).wait_for()
    assert preview.locator("tr", has_text="100%").get_by_role("cell").nth(1).inner_text() == "2,5"
    assert preview.locator("tr", has_text="49,99%").get_by_role("cell").nth(1).inner_text() == "0"
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/indexsets/\d+/#node-\d+$"))
    area = page.locator("tr.depth-1", has_text="Công tác chỉ đạo, điều hành")
    assert area.get_by_role("cell").nth(2).inner_text() == "12,5"

    page.get_by_role("link", name="Xem các thay đổi").click()
    maxima = page.get_by_role("table", name="Thay đổi điểm tối đa")
    cells = maxima.get_by_role("row").filter(has_text="1.1.3").get_by_role("cell")
    assert cells.all_inner_texts()[2:] == ["2", "2,5"]
    assert maxima.get_by_role("row").filter(has_text="Công tác chỉ đạo").is_visible()
    assert page.get_by_text("100%=2,5; 80%=1,5; 50%=0,5").first.is_visible()

    page.go_back()
    page.get_by_role("link", name="Xem lại và ban hành").click()
    assert page.get_by_text("100%=2; 80%=1").first.is_visible()
    page.get_by_role("button", name="Ban hành").click()
    assert page.get_by_role("alert").filter(has_text="Đã ban hành SO-2027").is_visible()
    clone = IndexSet.objects.get(code="SO-2027")
    assert clone.is_published and clone.criteria.get(code="1.1.3").max_points == 2.5
    assert IndexSet.objects.get(code="SO-2024").criteria.get(code="1.1.3").max_points == 2
