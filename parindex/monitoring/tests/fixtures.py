"""Fixtures for monitoring tests: an issued 2026 plan whose task the home and other unit lead,
a quarterly report and an inspection of the home unit. The clock stands on 10/06/2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from parindex.assessments.models import Assessment, Evidence
from parindex.assessments.scale import enrol
from parindex.assessments.services import register_document
from parindex.assessments.tests.factories import save_index_set
from parindex.monitoring import services
from parindex.monitoring.models import Plan, Progress, Task
from parindex.rounds.models import Round
from parindex.rounds.scale import make_round
from parindex.units.tests.factories import unit_type

D = dt.date
P = Progress.Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def clock():
    """Freeze time on 10/06/2026 09:00 in the province."""
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def task_values(code: str = "1", lead: tuple[str, ...] = ("SO",), **extra) -> services.TaskValues:
    """A task's values with sensible defaults (deadline 30/06/2026)."""
    return services.TaskValues(
        code=code,
        title=extra.pop("title", f"Nhiệm vụ {code}"),
        lead=lead,
        deadline=extra.pop("deadline", dt.date(2026, 6, 30)),
        **extra,
    )


def make_plan(by, code: str = "KH-2026", *, issued: bool = True, tasks=None) -> Plan:
    """A 2026 PAR plan with the given tasks (one led by every SO unit by default)."""
    plan = services.create_plan(by=by, code=code, year=2026, title="Kế hoạch CCHC năm 2026")
    for values in tasks or [task_values()]:
        services.add_task(by=by, plan=plan, values=values)
    if issued:
        plan = services.issue_plan(by=by, plan=plan, issued_on=dt.date(2026, 1, 5))
    return plan


def document(unit, by, title: str = "Báo cáo kết quả", number: str = "12/BC") -> Evidence:
    """A registered document in a unit's evidence library."""
    return register_document(
        unit=unit, by=by, title=title, number=number, issued_on=dt.date(2026, 6, 1), issuer="Sở"
    )[0]


@pytest.fixture
def plan(clock, par_officer, home_unit, other_unit, unit_editor, unit_head) -> Plan:
    """An issued plan: task 1 (deadline 30/06/2026) led by every SO unit (HOME and OTHER)."""
    return make_plan(par_officer)


@pytest.fixture
def task(plan) -> Task:
    return plan.tasks.get(code="1")


@pytest.fixture
def home_progress(task, home_unit) -> Progress:
    return Progress.objects.get(task=task, unit=home_unit)


@pytest.fixture
def other_progress(task, other_unit) -> Progress:
    return Progress.objects.get(task=task, unit=other_unit)


@pytest.fixture
def home_document(home_unit, unit_editor) -> Evidence:
    return document(home_unit, unit_editor)


@pytest.fixture
def quarterly(db):
    """Báo cáo CCHC quý, due on the 15th of each quarter's last month, sent by SO units."""
    unit_type("SO")
    return services.save_report_type(
        by=None,
        code="BC-QUY",
        title="Báo cáo CCHC quý",
        frequency="quarterly",
        due_day=15,
        unit_types=["SO"],
    )[0]


@pytest.fixture
def inspection(clock, par_officer, home_unit, unit_editor, unit_head):
    return services.save_inspection(
        by=par_officer,
        code="KT-01",
        unit=home_unit,
        inspected_on=dt.date(2026, 4, 2),
        team="Đoàn kiểm tra CCHC của Sở Nội vụ",
    )


@pytest.fixture
def finding(inspection, par_officer):
    return services.save_finding(
        by=par_officer,
        inspection=inspection,
        code="1",
        text="Chưa niêm yết đầy đủ thủ tục hành chính",
        criterion_code="3.1",
        remedy="Niêm yết đầy đủ tại bộ phận một cửa",
        remedy_deadline=dt.date(2026, 6, 30),
    )


# --- computed criteria ---------------------------------------------------------------------------

COMPUTED_SET = {
    "code": "SO-M",
    "name": "Bộ chỉ số có tiêu chí tính tự động",
    "unit_type": "SO",
    "valid_from": 2026,
    "bands": [
        {"code": "TOT", "name": "Tốt", "min_percent": 90},
        {"code": "YEU", "name": "Yếu", "min_percent": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "children": [
                {"code": "1.1", "name": "Ban hành kế hoạch", "max_points": 2},
                {
                    "code": "1.2",
                    "name": "Hoàn thành nhiệm vụ đúng hạn",
                    "max_points": 3,
                    "source": "computed",
                    "input": "tasks_on_time",
                    "rule": {"type": "proportional"},
                    "not_applicable": "exclude",
                },
                {
                    "code": "1.3",
                    "name": "Báo cáo đúng hạn",
                    "max_points": 1,
                    "source": "computed",
                    "input": "reports_on_time",
                    "rule": {
                        "type": "percent_tiers",
                        "tiers": [
                            {"min_percent": 100, "points": 1},
                            {"min_percent": 50, "points": 0.5},
                        ],
                    },
                },
            ],
        }
    ],
}


@pytest.fixture
def computed_set(db):
    return save_index_set(COMPUTED_SET)


@pytest.fixture
def monitored(clock, par_officer, unit_editor, home_unit, other_unit, quarterly, computed_set):
    """HOME: of 3 tasks due by 31/12, 2 done on time; Q1 and Q2 reports on time of 4 due.
    OTHER: nothing due on tasks (its task was cancelled), no report sent."""
    plan = make_plan(
        par_officer,
        tasks=[
            task_values("1", deadline=D(2026, 3, 31)),
            task_values("2", deadline=D(2026, 5, 31)),
            task_values("3", deadline=D(2026, 9, 30)),
        ],
    )
    rows = {
        (row.unit.code, row.task.code): row
        for row in Progress.objects.filter(task__plan=plan).select_related("unit", "task")
    }
    for code, day in (("1", D(2026, 3, 30)), ("2", D(2026, 5, 20))):
        services.report_progress(
            by=unit_editor,
            progress=rows[("HOME", code)],
            version=0,
            status=P.DONE,
            completed_on=day,
            evidence=document(home_unit, unit_editor, f"Sản phẩm {code}", f"{code}/BC"),
        )
    for code in ("1", "2", "3"):
        services.cancel_progress(by=par_officer, progress=rows[("OTHER", code)], reason="Sáp nhập")
    for period, day in (("2026-Q1", D(2026, 3, 10)), ("2026-Q2", D(2026, 6, 9))):
        services.submit_report(
            by=unit_editor, report_type=quarterly, unit=home_unit, period=period, submitted_on=day
        )
    return plan


def computed_round(computed_set, units, status=Round.Status.OPEN, as_of=None) -> Round:
    """A 2026 round on the computed set with the units in it (drafts valued 2 on 1.1)."""
    round_ = make_round("R-2026", 2026, [computed_set], status=status)
    if as_of:
        Round.objects.filter(pk=round_.pk).update(as_of=as_of)
        round_.refresh_from_db()
    enrol(
        round_, computed_set, {unit: {"1.1": 2} for unit in units}, status=Assessment.Status.DRAFT
    )
    return round_
