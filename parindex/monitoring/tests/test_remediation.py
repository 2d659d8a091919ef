"""Lost points → remediation tasks → shown beside the criterion next year; the early warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.assessments import pages as assessment_pages
from parindex.assessments.models import Assessment
from parindex.assessments.scale import enrol
from parindex.assessments.tests.factories import save_index_set
from parindex.conftest import refuses
from parindex.monitoring import services, warning
from parindex.monitoring.models import Plan, Progress
from parindex.monitoring.tests.fixtures import document
from parindex.rounds import services as round_services
from parindex.rounds.models import Round
from parindex.rounds.scale import make_round
from parindex.units.tests.factories import make_unit

D = dt.date

SET = {
    "code": "SO-R",
    "name": "Bộ chỉ số",
    "unit_type": "SO",
    "valid_from": 2025,
    "bands": [
        {"code": "TOT", "name": "Tốt", "min_percent": 90},
        {"code": "KHA", "name": "Khá", "min_percent": 80},
        {"code": "YEU", "name": "Yếu", "min_percent": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "children": [
                {"code": "1.1", "name": "Ban hành kế hoạch", "max_points": 5},
                {
                    "code": "1.2",
                    "name": "Hoàn thành nhiệm vụ đúng hạn",
                    "max_points": 5,
                    "source": "computed",
                    "input": "tasks_on_time",
                    "rule": {"type": "proportional"},
                    "not_applicable": "exclude",
                },
            ],
        },
        {
            "code": "2",
            "name": "Thủ tục hành chính",
            "children": [
                {"code": "2.1", "name": "Công khai thủ tục", "max_points": 10},
            ],
        },
    ],
}
PROVINCE_SET = {
    "code": "TINH-R",
    "name": "Chỉ số của tỉnh",
    "unit_type": "TINH",
    "valid_from": 2025,
    "bands": [{"code": "A", "name": "A", "min_percent": 0}],
    "criteria": [
        {
            "code": "1",
            "name": "Công tác chỉ đạo",
            "owner": "HOME",
            "children": [
                {"code": "1.1", "name": "Kế hoạch CCHC của tỉnh", "max_points": 2},
                {"code": "1.2", "name": "Kiểm tra CCHC", "max_points": 1},
            ],
        }
    ],
}


@pytest.fixture
def published(clock, par_officer, home_unit, other_unit):
    """Round 2025, published: HOME lost 2 points on 1.1 and 3 on 2.1, OTHER lost 1 on 1.1;
    the province lost 0.5 on its 1.1, owned by HOME. 1.2 had nothing due (excluded)."""
    index_set = save_index_set(SET)
    province_set = save_index_set(PROVINCE_SET)
    province = make_unit("HT", "TINH")
    round_ = make_round("R-2025", 2025, [index_set, province_set], status=Round.Status.FINALISED)
    enrol(round_, index_set, {home_unit: {"1.1": 3, "2.1": 7}, other_unit: {"1.1": 4, "2.1": 10}})
    enrol(round_, province_set, {province: {"1.1": 1.5, "1.2": 1}})
    # Published (its scores no longer change); results' snapshot is not needed here.
    round_services.mark_published(by=par_officer, round_=round_)
    round_.refresh_from_db()
    return round_


def test_a_remediation_plan_has_one_task_per_criterion_that_lost_points(
    published, par_officer, home_unit, other_unit
):
    plan = services.draft_remediation_plan(
        by=par_officer,
        round_=published,
        code="KH-KP-2026",
        title="Khắc phục",
        deadline=D(2026, 9, 30),
    )
    assert (plan.kind, plan.status, plan.year, plan.source_round) == (
        Plan.Kind.REMEDIATION,
        Plan.Status.DRAFT,
        2026,
        published,
    )
    tasks = {task.code: task for task in plan.tasks.all()}
    assert sorted(tasks) == ["SO-1.1", "SO-2.1", "TINH-1.1"]
    assert tasks["SO-1.1"].lead == ["HOME", "OTHER"]
    assert tasks["SO-1.1"].origin["lost_points"] == {"HOME": "2.00", "OTHER": "1.00"}
    assert tasks["SO-2.1"].lead == ["HOME"]
    assert (tasks["TINH-1.1"].lead, tasks["TINH-1.1"].criterion_codes) == (["HOME"], ["1.1"])
    assert Progress.objects.filter(task__plan=plan).count() == 4


def test_only_a_published_round_is_answered(par_officer, clock, home_unit):
    round_ = make_round("R-OPEN", 2025, [save_index_set(SET)])
    with refuses("remediation.round_not_published"):
        services.draft_remediation_plan(
            by=par_officer, round_=round_, code="X", title="X", deadline=D(2026, 9, 30)
        )
    assert not Plan.objects.filter(code="X").exists()


def test_next_years_pages_show_the_task_beside_the_criterion(
    client, published, par_officer, unit_editor, home_unit, other_unit
):
    plan = services.draft_remediation_plan(
        by=par_officer, round_=published, code="KH-KP-2026", title="KP", deadline=D(2026, 9, 30)
    )
    services.issue_plan(by=par_officer, plan=plan, issued_on=D(2026, 2, 1))
    row = Progress.objects.get(task__plan=plan, task__code="SO-1.1", unit=home_unit)
    services.report_progress(
        by=unit_editor,
        progress=row,
        version=row.version,
        status=Progress.Status.DONE,
        completed_on=D(2026, 6, 1),
        evidence=document(home_unit, unit_editor),
    )
    current = make_round("R-2026", 2026, [published.index_sets.get(unit_type__code="SO").index_set])
    enrol(current, current.index_sets.get().index_set, {home_unit: {"1.1": 5}}, status="draft")
    assessment = Assessment.objects.get(round=current, unit=home_unit)
    grid = assessment_pages.grid(assessment, "1")
    remarks = {row.node.code: row.remarks for row in grid.rows}
    (remark,) = remarks["1.1"]
    assert "KH-KP-2026" in remark.label and "R-2025" in remark.label
    assert remark.status == "in_appraisal"  # done, awaiting the office's review
    client.force_login(unit_editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk]), {"area": "1"})
    assert reverse("monitoring:progress", args=[row.pk]) in page.content.decode()


def test_the_early_warning_projects_from_last_years_points_and_todays_rates(
    published, par_officer, home_unit, other_unit
):
    index_set = published.index_sets.get(unit_type__code="SO").index_set
    current = make_round("R-2026", 2026, [index_set])
    enrol(current, index_set, {home_unit: {}, other_unit: {}}, status="draft")
    plan = services.create_plan(by=par_officer, code="KH", year=2026, title="KH")
    services.add_task(
        by=par_officer,
        plan=plan,
        values=services.TaskValues(code="1", title="T", lead=("OTHER",), deadline=D(2026, 5, 1)),
    )
    services.issue_plan(by=par_officer, plan=plan, issued_on=D(2026, 1, 2))
    rows = {row.unit_code: row for row in warning.projections(current, D(2026, 6, 10))}
    # HOME: 10/15 last year (Yếu), nothing due on 1.2 (excluded) → still 10 of 15.
    assert (rows["HOME"].last_index, rows["HOME"].projected_index) == (
        Decimal("66.67"),
        Decimal("66.67"),
    )
    # OTHER: 14/15 (Tốt) last year; its one task is overdue → 1.2 scores 0 of 5 → 14/20 = 70.
    assert (rows["OTHER"].last_band, rows["OTHER"].projected_band) == ("Tốt", "Yếu")
    assert rows["OTHER"].falls and not rows["HOME"].falls
    assert warning.projections(current, D(2026, 6, 10))[0].unit_code == "OTHER"


def test_the_remediation_and_warning_pages(client, published, par_officer, viewer):
    client.force_login(par_officer)
    page = client.get(reverse("monitoring:remediation"))
    assert page.context["form"].initial["code"] == "KH-KP-2026"
    response = client.post(
        reverse("monitoring:remediation"),
        {
            "round": published.pk,
            "code": "KH-KP-2026",
            "year": 2026,
            "title": "Kế hoạch khắc phục",
            "deadline": "2026-09-30",
            "include_province": "",
            "limit": 1,
        },
    )
    plan = Plan.objects.get(code="KH-KP-2026")
    assert response["Location"] == reverse("monitoring:plan_detail", args=[plan.pk])
    # SO-1.1 and SO-2.1 both lost 3 points: the first in document order is kept.
    assert list(plan.tasks.values_list("code", flat=True)) == ["SO-1.1"]
    client.force_login(viewer)
    assert client.get(reverse("monitoring:warning")).status_code == 200
