"""From the national analysis to a remediation plan: the criteria our province lost points on
become tasks led by their owner departments (monitoring's service, called from national)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex.assessments import hooks
from parindex.assessments.ministryfile import AppraisedRow
from parindex.assessments.models import Assessment
from parindex.assessments.scale import enrol
from parindex.assessments.tests.factories import save_index_set
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.monitoring import services as monitoring
from parindex.monitoring.models import Plan, Progress
from parindex.national import queries, services
from parindex.national.models import Province
from parindex.national.tests.factories import make_table
from parindex.rounds.scale import make_round
from parindex.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db

PROVINCE_SET = {
    "code": "TINH-N",
    "name": "Chỉ số của tỉnh",
    "unit_type": "TINH",
    "valid_from": 2025,
    "bands": [{"code": "A", "name": "A", "min_percent": 0}],
    "criteria": [
        {
            "code": "2",
            "name": "Thể chế",
            "owner": "OTHER",
            "children": [{"code": "2.1", "name": "Ban hành văn bản", "max_points": 3}],
        }
    ],
}


@pytest.fixture
def lost_2025(home_unit, other_unit):
    """Hà Tĩnh, our province, lost points in 2025 on 1.1 (owner HOME by code), 1.2 (owner by
    name), 2.1 (no owner in the file: the registry of the province's assessment says OTHER) and
    3.1 (nobody owns it); 1.3 lost nothing."""
    make_table(2025, {"Hà Tĩnh": "90.46", "Nghệ An": "91.00"})
    ours = Province.objects.get(name="Hà Tĩnh")
    services.set_our_province(by=None, province=ours)
    services.import_appraised(
        by=None,
        province=ours,
        year=2025,
        rows=[
            AppraisedRow(1, "1.1", "Kế hoạch CCHC", D(2), D("1.5"), "HOME"),
            AppraisedRow(2, "1.2", "Báo cáo CCHC", D(1), D("0.25"), "Sở Nhà"),
            AppraisedRow(3, "1.3", "Kiểm tra CCHC", D(1), D(1), "HOME"),
            AppraisedRow(4, "2.1", "Ban hành văn bản", D(3), D(2), ""),
            AppraisedRow(5, "3.1", "Kiểm soát thủ tục", D(2), D(1), ""),
        ],
    )
    index_set = save_index_set(PROVINCE_SET)
    round_ = make_round("TINH-2026", 2026, [index_set])
    enrol(round_, index_set, {make_unit("HT", "TINH"): {}})


def test_losses_take_their_owner_from_the_file_else_from_the_registry(lost_2025):
    losses = {loss.code: loss for loss in queries.losses_to_remedy(2025)}
    assert sorted(losses) == ["1.1", "1.2", "2.1", "3.1"]
    assert {code: loss.owner for code, loss in losses.items()} == {
        "1.1": "HOME",
        "1.2": "HOME",
        "2.1": "OTHER",
        "3.1": "",
    }
    assert losses["1.2"].lost_points == D("0.75")


def test_the_office_drafts_a_plan_with_one_task_per_owned_criterion(client, par_officer, lost_2025):
    client.force_login(par_officer)
    url = reverse("national:remediation") + "?year=2025"
    page = client.get(url).content.decode()
    assert "Ban hành văn bản" in page and "Sở Khác" in page
    response = client.post(
        url,
        {
            "code": "KH-KP-2026",
            "year": 2026,
            "title": "Khắc phục hạn chế Chỉ số CCHC 2025",
            "deadline": "30/09/2026",
            "limit": 20,
        },
    )
    plan = Plan.objects.get(code="KH-KP-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:plan_detail", args=[plan.pk])
    assert (plan.kind, plan.status, plan.year) == (Plan.Kind.REMEDIATION, Plan.Status.DRAFT, 2026)
    tasks = {task.code: task for task in plan.tasks.all()}
    assert sorted(tasks) == ["TINH-1.1", "TINH-1.2", "TINH-2.1"]
    assert (tasks["TINH-2.1"].lead, tasks["TINH-2.1"].criterion_codes) == (["OTHER"], ["2.1"])
    assert tasks["TINH-1.2"].origin["total"] == "0.75"
    assert tasks["TINH-1.2"].deadline == dt.date(2026, 9, 30)
    assert Progress.objects.filter(task__plan=plan).count() == 3
    entry = AuditEntry.objects.get(action="plan.drafted")
    assert entry.new["unowned"] == ["3.1"]
    # Issued, the tasks show beside the criteria of the province's 2026 self-assessment.
    monitoring.issue_plan(by=par_officer, plan=plan, issued_on=dt.date(2026, 3, 1))
    province = Assessment.objects.get(unit__code="HT")
    remarks = hooks.remarks(province)
    assert [remark.label for remark in remarks["2.1"]] == [
        "KH-KP-2026, nhiệm vụ TINH-2.1: khắc phục 1 điểm bị trừ trong "
        "Chỉ số CCHC cấp quốc gia năm 2025"
    ]


def test_the_largest_losses_come_first_when_limited(par_officer, lost_2025):
    plan = monitoring.draft_national_remediation_plan(
        by=par_officer,
        source_year=2025,
        source="Chỉ số CCHC 2025",
        losses=queries.losses_to_remedy(2025),
        code="KH-KP",
        title="Khắc phục",
        deadline=dt.date(2026, 9, 30),
        limit=2,
    )
    # 2.1 and 3.1 lost 1 point each, 1.2 0.75 and 1.1 0.5; 3.1 has no owner.
    assert list(plan.tasks.values_list("code", flat=True)) == ["TINH-2.1"]


def test_a_plan_with_no_owned_criterion_is_refused_and_nothing_is_kept(par_officer, lost_2025):
    losses = [loss for loss in queries.losses_to_remedy(2025) if not loss.owner]
    with refuses("monitoring.nothing_to_remedy"):
        monitoring.draft_national_remediation_plan(
            by=par_officer,
            source_year=2025,
            source="Chỉ số CCHC 2025",
            losses=losses,
            code="KH-KP",
            title="Khắc phục",
            deadline=dt.date(2026, 9, 30),
        )
    assert not Plan.objects.exists()


def test_the_analysis_offers_the_plan_to_the_office_only(client, par_officer, viewer, lost_2025):
    url = reverse("national:analysis")
    client.force_login(par_officer)
    assert reverse("national:remediation") in client.get(url, {"year": 2025}).content.decode()
    client.force_login(viewer)
    assert reverse("national:remediation") not in client.get(url, {"year": 2025}).content.decode()
    assert client.get(reverse("national:remediation"), {"year": 2025}).status_code == 403
