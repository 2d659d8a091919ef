"""The public form in a real browser at a phone's width (390 px), with the keyboard too."""

from __future__ import annotations

import pytest

from parindex.surveys.models import Invitation, Response
from parindex.surveys.services import campaigns
from parindex.surveys.services.campaigns import Invitee
from parindex.surveys.tests.factories import campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


@pytest.fixture
def token():
    survey_set()
    unit = UnitFactory(code="SNV", name="Sở Nội vụ", unit_type=unit_type("SO"))
    run = campaign(units=[unit])
    dn = run.questionnaire.groups.get(code="DN")
    (item,) = campaigns.issue_invitations(campaign=run, invitees=[Invitee(unit, dn)], by=None)
    return item.token


def test_a_respondent_answers_on_a_phone_comes_back_and_sends(page, token):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/surveys/f/{token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("group", name="Câu 1/3").get_by_label("Tốt", exact=True).check()
    page.get_by_text("đã được lưu").wait_for()  # kept as soon as it is chosen
    page.reload()
    assert page.get_by_role("group", name="Câu 1/3").get_by_label("Tốt", exact=True).is_checked()
    page.get_by_role("group", name="Câu 2/3").get_by_label("Có").check()
    page.get_by_role("group", name="Câu 3/3").get_by_label("Kém").focus()
    page.keyboard.press("Space")
    box = page.get_by_role("button", name="Gửi phiếu trả lời").bounding_box()
    assert box["height"] >= 44 and box["width"] <= 390
    page.get_by_role("button", name="Gửi phiếu trả lời").click()
    page.get_by_text("Xin cảm ơn").first.wait_for()
    stored = Response.objects.get()
    assert sorted(stored.answers.values_list("question__code", "option__code")) == [
        ("Q1", "B"),
        ("Q3", "C"),
        ("Q4", "D"),
    ]
    assert Invitation.objects.get().used_on is not None
