"""In a real browser: a unit reports a task done with its product, the office sees it on the
completion page (bars drawn, numbers beside them), urges the unit left and accepts the report;
each action is answered in place by htmx, without a reload."""

from __future__ import annotations

import datetime as dt

import pytest

from parindex.conftest import login
from parindex.monitoring import services
from parindex.monitoring.models import Progress
from parindex.monitoring.tests.fixtures import document

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_a_unit_reports_done_and_the_office_accepts_it(
    page, par_officer, unit_editor, home_unit, other_unit
):
    year = dt.date.today().year
    plan = services.create_plan(by=par_officer, code="KH-E2E", year=year, title="Kế hoạch thử")
    services.add_task(
        by=par_officer,
        plan=plan,
        values=services.TaskValues(
            code="1", title="Ban hành kế hoạch", lead=("SO",), deadline=dt.date(year, 12, 31)
        ),
    )
    services.issue_plan(by=par_officer, plan=plan, issued_on=dt.date(year, 1, 2))
    product = document(home_unit, unit_editor, "Kế hoạch CCHC", "01/KH")
    row = Progress.objects.get(task__plan=plan, unit=home_unit)

    login(page, unit_editor)
    page.get_by_role("link", name="Theo dõi", exact=True).click()
    page.get_by_role("link", name="Báo cáo tiến độ").click()
    page.get_by_label("Trạng thái").select_option("done")
    page.get_by_label("Ngày hoàn thành").fill(dt.date.today().isoformat())
    page.get_by_label("Sản phẩm (văn bản trong kho tài liệu của đơn vị)").select_option(
        str(product.pk)
    )
    url = page.url
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Báo cáo", exact=True).click()
    page.get_by_text("Đã báo cáo tiến độ.").wait_for()
    assert page.evaluate("window.notReloaded") and page.url == url  # swapped in place
    assert page.locator("#progress-panel").get_by_text("Kế hoạch CCHC").first.is_visible()
    page.context.clear_cookies()

    login(page, par_officer)
    page.goto(f"/monitoring/completion/?year={year}")
    bar = page.locator(".progress-stack .seg-on-time").first
    assert bar.evaluate("element => element.style.width") == "50%"  # 1 of 2 units, on time
    page.goto(f"/monitoring/tasks/{row.task_id}/")
    page.get_by_role("checkbox", name=other_unit.code).check()
    page.get_by_role("button", name="Đôn đốc các đơn vị đã chọn").click()
    page.locator("#urge-result").get_by_text("Đã đôn đốc 1 đơn vị").wait_for()
    page.goto(f"/monitoring/progress/{row.pk}/")
    page.get_by_label("Kết luận").select_option("accept")
    page.get_by_role("button", name="Ghi nhận").click()
    page.locator("#progress-panel").get_by_text("Đã ghi nhận.").wait_for()
    row.refresh_from_db()
    assert row.review == Progress.Review.ACCEPTED
