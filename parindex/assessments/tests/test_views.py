"""The unit's pages through the browser's eyes: grid, autosave, conflicts, submission."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex import engine
from parindex.assessments import services
from parindex.assessments.models import Assessment, Item
from parindex.assessments.tests.factories import big_spec, save_index_set
from parindex.rounds import services as round_services

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def leaf(assessment, code) -> Item:
    return assessment.items.select_related("criterion").get(criterion__code=code)


def test_grid_shows_rules_inputs_and_engine_points(client, assessment, unit_editor):
    current = leaf(assessment, "1.2")
    services.save_self_item(
        item=current,
        by=unit_editor,
        version=0,
        answer=engine.Ratio(9, 10),
        note="",
        no_evidence_reason="",
    )
    client.force_login(unit_editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk]), {"area": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ban hành kế hoạch" in html
    assert "Đúng hạn (1)" in html  # choice options with their points
    assert 'value="9/10"' in html  # the ratio as typed
    assert "100%=2; 80%=1" in html  # the rule
    assert "Đúng hạn: trước ngày 31/01." in html  # guidance
    assert 'hx-post="/assessments/items/' in html


def test_survey_leaf_is_shown_but_not_editable(client, assessment, unit_editor):
    client.force_login(unit_editor)
    html = client.get(reverse("assessments:detail", args=[assessment.pk]), {"area": "3"}).content
    html = html.decode()
    assert "Mức độ hài lòng" in html
    assert "Từ điều tra xã hội học" in html
    survey = leaf(assessment, "3.1")
    assert f'id="v-{survey.pk}"' not in html


def test_autosave_returns_the_row_with_points_and_the_new_totals(client, assessment, unit_editor):
    current = leaf(assessment, "1.1")
    client.force_login(unit_editor)
    response = client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "value": "Chậm", "note": "Ban hành ngày 20/02"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã lưu" in html
    assert 'name="version" value="1"' in html
    assert 'id="totals" class' in html and 'hx-swap-oob="true"' in html
    current.refresh_from_db()
    assert (current.self_points, current.note) == (D("0.50"), "Ban hành ngày 20/02")


def test_na_is_excluded_and_the_maximum_recomputed(client, assessment, unit_editor):
    current = leaf(assessment, "2.1")
    client.force_login(unit_editor)
    html = client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "na": "1"},
        headers=HTMX,
    ).content.decode()
    # The points cell says "Không áp dụng" in words ("KAD" is no known abbreviation, issue 14).
    assert re.search(r'<td class="num"><span [^>]*>Không áp dụng</span></td>', html)
    assert "KAD" not in html
    assert "điểm tối đa đã tính lại" in html  # 10 - 2 = 8 points of maximum


def test_a_value_the_rule_refuses_keeps_what_was_typed(client, assessment, unit_editor):
    current = leaf(assessment, "2.1")
    client.force_login(unit_editor)
    html = client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "value": "0,3"},
        headers=HTMX,
    ).content.decode()
    assert "không phải là bội số của bước điểm 0,5" in html
    assert 'value="0,3"' in html
    current.refresh_from_db()
    assert current.self_answer is None


def test_second_person_saving_a_stale_version_sees_the_other_value(
    client, assessment, unit_editor, unit_head
):
    current = leaf(assessment, "1.1")
    client.force_login(unit_editor)
    client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "value": "Chậm"},
        headers=HTMX,
    )
    client.force_login(unit_head)
    html = client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "value": "Đúng hạn"},
        headers=HTMX,
    ).content.decode()
    assert "đã lưu nội dung này" in html
    assert "“Chậm”" in html and "“Đúng hạn” chưa được lưu" in html
    assert 'name="version" value="1"' in html  # the row now holds the current version
    current.refresh_from_db()
    assert current.self_answer == {"choice": "Chậm"}


def test_unit_user_never_reads_another_units_assessment(client, other_assessment, unit_editor):
    client.force_login(unit_editor)
    other_item = other_assessment.items.first()
    assert client.get(reverse("assessments:detail", args=[other_assessment.pk])).status_code == 404
    response = client.post(
        reverse("assessments:save_item", args=[other_item.pk]), {"version": 0, "value": "1"}
    )
    assert response.status_code == 404
    assert client.get(reverse("assessments:item_history", args=[other_item.pk])).status_code == 404


def test_submit_refuses_an_incomplete_assessment_and_lists_the_gaps(client, assessment, unit_head):
    client.force_login(unit_head)
    response = client.post(reverse("assessments:submit", args=[assessment.pk]), follow=True)
    html = response.content.decode()
    assert "Chưa gửi được" in html
    assert "chưa nhập giá trị" in html
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_locked_grid_says_why_and_disables_inputs(client, assessment, unit_editor, clock):
    import datetime as dt

    from parindex.assessments.tests.fixtures import TZ

    clock.move_to(dt.datetime(2025, 1, 2, 8, 0, tzinfo=TZ))
    client.force_login(unit_editor)
    html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Giai đoạn tự đánh giá đã kết thúc lúc 23:59 ngày 31/12/2024" in html
    assert "hx-post" not in html.split("<tbody>")[1]


def test_self_assessment_page_of_a_150_leaf_set_runs_few_queries(
    client, par_officer, home_unit, unit_editor, clock, django_assert_max_num_queries
):
    from parindex.assessments.tests.factories import round_dates

    big = save_index_set(big_spec(150))
    created = round_services.create_round(
        by=par_officer,
        code="BIG",
        year=2024,
        name="Đợt lớn",
        index_sets={"SO": big},
        dates=round_dates(2024),
        units=[home_unit],
    )
    round_services.open_round(by=par_officer, round_=created)
    assessment = Assessment.objects.get(round=created)
    for current in assessment.items.select_related("criterion", "assessment__round")[:60]:
        code = current.criterion.code
        answer = {0: engine.Choice("Đạt"), 1: engine.Percent(D(90)), 2: engine.Count(1)}[
            int(code.split(".")[1]) % 3
        ]
        services.save_self_item(
            item=current, by=unit_editor, version=0, answer=answer, note="", no_evidence_reason=""
        )
    client.force_login(unit_editor)
    url = reverse("assessments:detail", args=[assessment.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url, {"area": "3"})
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="leaf-') == 15
