"""Permission matrix entries for monitoring's URLs: the office manages; the council and leaders
read every unit; a unit's officers read and report their own unit's work."""

from __future__ import annotations

import datetime as dt

from parindex.core.tests.matrix import OFFICE, Route

READERS = OFFICE | {"council", "viewer"}
UNIT = frozenset({"unit_editor", "unit_head"})


def setup(world):
    """An issued plan led by every SO unit (HOME and OTHER), a draft plan, a quarterly report
    the home unit sent, and an inspection of the home unit with one finding."""
    from parindex.monitoring import services
    from parindex.monitoring.models import Progress
    from parindex.units.tests.factories import unit_type

    today = dt.date.today()
    year = today.year
    by = world.par_officer
    plan = services.create_plan(by=by, code="M-KH", year=year, title="Kế hoạch thử")
    task = services.add_task(
        by=by,
        plan=plan,
        values=services.TaskValues(
            code="1", title="Nhiệm vụ", lead=("SO",), deadline=dt.date(year, 12, 31)
        ),
    )
    world.plan = services.issue_plan(by=by, plan=plan, issued_on=dt.date(year, 1, 5))
    world.task = task
    world.home_progress = Progress.objects.get(task=task, unit=world.home_unit)
    draft = services.create_plan(by=by, code="M-NHAP", year=year, title="Dự thảo")
    services.add_task(
        by=by,
        plan=draft,
        values=services.TaskValues(
            code="1", title="Nhiệm vụ", lead=("HOME",), deadline=dt.date(year, 12, 31)
        ),
    )
    world.draft_plan = draft
    unit_type("SO")
    world.report_type = services.save_report_type(
        by=by,
        code="M-BC",
        title="Báo cáo quý",
        frequency="quarterly",
        due_day=15,
        unit_types=["SO"],
    )[0]
    world.submission = services.submit_report(
        by=world.unit_editor,
        report_type=world.report_type,
        unit=world.home_unit,
        period=f"{year}-Q1",
        submitted_on=dt.date(year, 3, 10) if today >= dt.date(year, 3, 10) else today,
    )
    world.inspection = services.save_inspection(
        by=by, code="M-KT", unit=world.home_unit, inspected_on=today
    )
    world.finding = services.save_finding(
        by=by,
        inspection=world.inspection,
        code="1",
        text="Tồn tại",
        remedy_deadline=dt.date(year, 12, 31),
    )


def plan_(w):
    return {"pk": w.plan.pk}


def task_(w):
    return {"pk": w.task.pk}


def progress_(w):
    return {"pk": w.home_progress.pk}


ROUTES = [
    Route("monitoring:index", READERS | UNIT, ok=302),
    Route("monitoring:mine", UNIT),
    Route("monitoring:plans", READERS),
    Route("monitoring:plan_create", OFFICE),
    Route("monitoring:plan_import", OFFICE),
    Route("monitoring:plan_export", READERS, kwargs=plan_),
    Route("monitoring:plan_detail", READERS, kwargs=plan_),
    Route("monitoring:plan_edit", OFFICE, kwargs=plan_),
    Route(
        "monitoring:plan_issue",
        OFFICE,
        kwargs=lambda w: {"pk": w.draft_plan.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:plan_clone", OFFICE, kwargs=plan_, method="post", ok=302),
    Route("monitoring:task_create", OFFICE, kwargs=plan_),
    Route("monitoring:task", READERS, kwargs=task_),
    Route("monitoring:task_edit", OFFICE, kwargs=task_),
    Route("monitoring:task_delete", OFFICE, kwargs=task_, method="post", ok=302),
    Route("monitoring:progress", READERS | UNIT, kwargs=progress_),
    Route("monitoring:progress_review", OFFICE, kwargs=progress_, method="post", ok=302),
    Route("monitoring:progress_extend", OFFICE, kwargs=progress_, method="post", ok=302),
    Route("monitoring:progress_cancel", OFFICE, kwargs=progress_, method="post", ok=302),
    Route("monitoring:urge", OFFICE, method="post", ok=302),
    Route("monitoring:completion", READERS),
    Route("monitoring:report_types", READERS),
    Route("monitoring:calendar_unit_options", READERS),
    Route("monitoring:report_type_create", OFFICE),
    Route("monitoring:report_type_edit", OFFICE, kwargs=lambda w: {"pk": w.report_type.pk}),
    Route("monitoring:submissions", READERS),
    Route(
        "monitoring:submission_return",
        OFFICE,
        kwargs=lambda w: {"pk": w.submission.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:calendar", READERS | UNIT),
    Route(
        "monitoring:submit_report",
        UNIT,
        kwargs=lambda w: {"unit_pk": w.home_unit.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:inspections", READERS),
    Route("monitoring:inspection_create", OFFICE),
    Route("monitoring:unit_options", OFFICE),
    Route("monitoring:inspection", READERS | UNIT, kwargs=lambda w: {"pk": w.inspection.pk}),
    Route(
        "monitoring:finding_create",
        OFFICE,
        kwargs=lambda w: {"pk": w.inspection.pk},
        method="post",
        ok=302,
    ),
    Route(
        "monitoring:minutes_upload",
        OFFICE,
        kwargs=lambda w: {"pk": w.inspection.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:finding", READERS | UNIT, kwargs=lambda w: {"pk": w.finding.pk}),
    Route(
        "monitoring:finding_verify",
        OFFICE,
        kwargs=lambda w: {"pk": w.finding.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:rates", READERS),
    Route("monitoring:rates_csv", READERS),
    # Readers of the rates start their recomputation and land on the job's page.
    Route("monitoring:rates_job", READERS, method="post", ok=302),
    Route(
        "monitoring:computed_job",
        READERS,
        kwargs=lambda w: {"round_pk": w.round.pk},
        method="post",
        ok=302,
    ),
    Route("monitoring:remediation", OFFICE),
    Route("monitoring:warning", READERS),
]
