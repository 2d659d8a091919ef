"""The whole journey in a real browser, on the demo data.

Sở Tư pháp's officer fills the last criteria (one with evidence from the library), the unit head
submits, the appraiser adjusts one item, asks about another and accepts the rest, the unit
answers, the appraiser decides and finalises, and the council approves.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from parindex.accounts import demo as accounts_demo
from parindex.accounts.models import User
from parindex.assessments import demo as assessments_demo
from parindex.assessments.models import Assessment, ExplanationRequest
from parindex.assessments.tests.factories import load_sample
from parindex.conftest import login
from parindex.core.demo import DEMO_PASSWORD
from parindex.rounds import demo as rounds_demo
from parindex.units import demo as units_demo

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


@pytest.fixture
def demo():
    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    units_demo.load(world)
    for name in ("so-2024", "tw-2024", "xa-2024", "xa-2026", "huyen-2024"):
        load_sample(name)
    accounts_demo.load(world)
    rounds_demo.load(world)
    assessments_demo.load(world)
    world.assessment = world.current_round.assessments.get(unit__code="STP")
    return world


def see(page, text):
    """Wait until the text shows (after a form posts and the next page loads)."""
    try:
        page.get_by_text(text).first.wait_for()
    except Exception:
        print("ALERTS:", page.locator(".alert").all_inner_texts(), page.url)
        raise


def as_user(page, username):
    page.context.clear_cookies()
    login(page, User.objects.get(username=username), DEMO_PASSWORD)


def test_self_assessment_to_council_approval(page, demo):
    page.on("dialog", lambda dialog: dialog.accept())
    assessment = demo.assessment
    missing = list(
        assessment.items.filter(self_answer__isnull=True)
        .exclude(criterion__source="survey")
        .select_related("criterion")
        .order_by("position")
    )
    assert len(missing) == 3
    from parindex.assessments import queries

    tree = queries.engine_set_for(assessment)

    # 1. The unit editor fills the last criteria of area 1, with the keyboard.
    as_user(page, "stp.canbo")
    page.get_by_role("link", name="Phiếu của đơn vị").click()
    page.get_by_role("link", name="Mở").first.click()
    page.get_by_role("link", name=re.compile(r"^1\. ")).first.click()
    for item in missing:
        row = page.locator(f"#leaf-{item.pk}")
        node = tree.criterion(item.criterion.code)
        value = row.locator(f"#v-{item.pk}")
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
    first = missing[0]
    page.locator(f"#leaf-{first.pk}").get_by_role(
        "link", name=re.compile("Tài liệu kiểm chứng")
    ).click()
    page.locator("#evidence-panel").get_by_role("button", name="Đính kèm").click()
    page.locator("#evidence-panel li").first.wait_for()
    for item in missing[1:]:
        reason = page.locator(f"#ne-{item.pk}")
        reason.fill("Nhiệm vụ thực hiện trên hệ thống một cửa điện tử.")
        reason.press("Tab")
        page.locator(f"#leaf-{item.pk} .save-state").filter(has_text="Đã lưu").wait_for()
    page.get_by_role("link", name="Kiểm tra tính đầy đủ").click()
    see(page, "Đã đầy đủ")

    # 2. The unit head submits.
    as_user(page, "stp.lanhdao")
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_role("button", name="Gửi thẩm định").click()
    see(page, "Đã gửi thẩm định.")

    # 3. The appraiser adjusts one item, asks about another and accepts the rest.
    as_user(page, "thamdinh")
    page.get_by_role("link", name="Thẩm định", exact=True).first.click()
    page.locator("#f-q").fill("STP")
    page.locator("#f-q").press("Enter")
    unit = page.locator("tbody.queue-unit", has_text="Sở Tư pháp").first
    unit.get_by_role("link", name="Thẩm định").first.click()
    adjusted, asked = missing[0], missing[1]
    row = page.locator(f"#appraise-{adjusted.pk}")
    row.get_by_label("Điều chỉnh").check()
    node = tree.criterion(adjusted.criterion.code)
    field = row.locator("[name=value]")
    if hasattr(node.scoring_rule, "options"):
        field.select_option(value=node.scoring_rule.options[-1].label)
    elif hasattr(node.scoring_rule, "per_item"):
        field.fill("2")
    else:
        field.fill("0")
    row.locator("[name=reason]").fill("Tài liệu chưa chứng minh đủ kết quả.")
    row.get_by_role("button", name="Lưu kết luận").click()
    page.locator(f"#appraise-{adjusted.pk}", has_text="Tài liệu chưa chứng minh đủ").wait_for()
    row = page.locator(f"#appraise-{asked.pk}")
    row.get_by_label("Yêu cầu giải trình").check()
    row.locator("[name=question]").fill("Đề nghị cung cấp văn bản chứng minh.")
    row.get_by_role("button", name="Lưu kết luận").click()
    page.locator(f"#appraise-{asked.pk}", has_text="Đề nghị cung cấp văn bản").wait_for()
    tabs = page.locator("nav.nav-tabs a")
    for index in range(tabs.count()):
        page.locator("nav.nav-tabs a").nth(index).click()
        page.get_by_role("button", name=re.compile("Chấp nhận mọi nội dung")).click()
        page.get_by_text(re.compile(r"Đã chấp nhận \d+ nội dung")).wait_for()
    page.get_by_role("button", name="Gửi yêu cầu giải trình cho đơn vị").click()
    see(page, "Đã gửi yêu cầu giải trình cho đơn vị.")

    # 4. The unit answers, the head sends the explanations.
    as_user(page, "stp.canbo")
    page.goto(f"/assessments/{assessment.pk}/explanations/")
    page.get_by_role("textbox", name="Giải trình").fill(
        "Văn bản số 12/STP ký đúng hạn; gửi kèm sổ đăng ký."
    )
    page.get_by_role("button", name="Lưu giải trình").click()
    see(page, "Đã lưu giải trình")
    as_user(page, "stp.lanhdao")
    page.goto(f"/assessments/{assessment.pk}/explanations/")
    page.get_by_role("button", name="Gửi giải trình").click()
    see(page, "Đã gửi giải trình cho tổ thẩm định.")

    # 5. The appraiser decides in the second appraisal and finalises.
    as_user(page, "thamdinh")
    page.goto(f"/assessments/{assessment.pk}/appraise/?area={asked.area.code}")
    row = page.locator(f"#appraise-{asked.pk}")
    row.get_by_label("Chấp nhận").check()
    row.get_by_role("button", name="Lưu kết luận").click()
    page.locator(f"#appraise-{asked.pk}", has_text="Thẩm định lần 2").wait_for()
    page.get_by_role("button", name="Chốt kết quả thẩm định").click()
    see(page, "Đã chốt kết quả thẩm định")

    # 6. The council approves.
    as_user(page, "hoidong")
    page.goto(f"/assessments/council/{assessment.round_id}/")
    page.locator("tr", has_text="Sở Tư pháp").get_by_role("button", name="Thông qua").click()
    see(page, "Đã thông qua: Sở Tư pháp.")

    final = Assessment.objects.get(pk=assessment.pk)
    assert final.status == Assessment.Status.FINALISED and final.approved_at
    assert ExplanationRequest.objects.get(item=asked).answer.startswith("Văn bản số 12/STP")
    adjusted.refresh_from_db()
    assert adjusted.appraised_answer != adjusted.self_answer
