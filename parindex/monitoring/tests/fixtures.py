"""Fixtures for monitoring tests: an issued 2026 plan whose task the home and other unit lead,
a quarterly report and an inspection of the home unit. The clock stands on 10/06/2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from parindex.assessments.models import Evidence
from parindex.assessments.services import register_document
from parindex.monitoring import services
from parindex.monitoring.models import Plan, Progress, Task
from parindex.units.tests.factories import unit_type

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
