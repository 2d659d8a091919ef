"""In a real browser: Sở Tư pháp enters a criterion of the province it owns; the office sees it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from parindex.accounts import demo as accounts_demo
from parindex.accounts.models import User
from parindex.assessments import demo as assessments_demo
from parindex.assessments import province, queries
from parindex.assessments.tests.factories import load_sample
from parindex.conftest import login
from parindex.core.demo import DEMO_PASSWORD
from parindex.units import demo as units_demo

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_an_owner_department_enters_the_province_criterion_and_the_office_sees_it(page):
    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    units_demo.load(world)
    load_sample("tinh-2024")
    accounts_demo.load(world)
    assessments_demo.load_province(world)
    assessment = world.province_assessment
    canbo = User.objects.get(username="stp.canbo")
    owned = province.owned_criteria(canbo, assessment)
    item = (
        assessment.items.filter(criterion_id__in=owned, self_answer__isnull=True)
        .exclude(criterion__source="survey")
        .select_related("criterion", "area")
        .order_by("position")
        .first()
    )
    node = queries.engine_set_for(assessment).criterion(item.criterion.code)

    login(page, canbo, DEMO_PASSWORD)
    page.get_by_role("link", name=world.province_round.code, exact=False).first.click()
    page.goto(f"/assessments/{assessment.pk}/?area={item.area.code}")
    page.get_by_text("do đơn vị mình chủ trì").first.wait_for()
    value = page.locator(f"#v-{item.pk}")
    rule = node.scoring_rule
    if hasattr(rule, "options"):
        value.select_option(value=rule.options[0].label)
    elif hasattr(rule, "per_item"):
        value.fill("0")
    elif hasattr(rule, "step"):
        value.fill(str(node.max_points).replace(".", ","))
    else:
        value.fill("100")
    value.press("Enter")
    page.locator(f"#leaf-{item.pk} .save-state").filter(has_text="Đã lưu").wait_for()
    item.refresh_from_db()
    assert item.self_by == canbo and item.self_points is not None

    page.context.clear_cookies()
    login(page, User.objects.get(username="cchc"), DEMO_PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/province/")
    row = page.locator("tr", has_text=item.criterion.code).filter(has_text=item.criterion.name[:30])
    row.first.wait_for()
    assert "chưa nhập" not in row.first.inner_text()
