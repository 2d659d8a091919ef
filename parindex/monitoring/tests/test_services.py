"""Plans, tasks, progress, reports and findings: what the services allow, change and audit."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from parindex.assessments.models import Notification
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.monitoring import services
from parindex.monitoring.models import Finding, Plan, Progress, Submission
from parindex.monitoring.tests.fixtures import document, make_plan, task_values
from parindex.units.tests.factories import make_unit

P = Progress.Status
D = dt.date


def test_a_type_in_the_lead_assigns_every_unit_of_it_active_on_the_deadline(
    plan, par_officer, home_unit, other_unit
):
    make_unit("OLD", "SO", active_to=D(2026, 3, 1))
    make_unit("X1", "XA")
    task = services.add_task(by=par_officer, plan=plan, values=task_values("2", lead=("SO", "X1")))
    assigned = sorted(task.progress.values_list("unit__code", flat=True))
    assert assigned == ["HOME", "OTHER", "X1"]
    assert set(task.progress.values_list("deadline", flat=True)) == {D(2026, 6, 30)}
    assert AuditEntry.objects.filter(action="task.added", object_id=str(task.pk)).exists()


def test_unknown_lead_codes_are_refused_and_nothing_is_added(plan, par_officer):
    with refuses("task.invalid", services.Refused) as refused:
        services.add_task(
            by=par_officer,
            plan=plan,
            values=task_values("2", lead=("NOPE",), coordinating=("NADA",)),
        )
    assert refused.value.codes == ["task.unknown_codes"]
    assert "NOPE, NADA" in str(refused.value)
    assert not plan.tasks.filter(code="2").exists()


def test_a_task_code_is_unique_in_its_plan(plan, par_officer):
    with refuses("task.invalid") as refused:
        services.add_task(by=par_officer, plan=plan, values=task_values("1"))
    assert refused.value.codes == ["task.code_taken"]
    assert "1" in refused.value.problems[0]


def test_narrowing_the_lead_removes_untouched_units_and_cancels_those_that_reported(
    task, par_officer, home_unit, other_unit, home_progress, unit_editor
):
    services.report_progress(
        by=unit_editor, progress=home_progress, version=0, status=P.IN_PROGRESS
    )
    make_unit("NEW", "SO")
    services.update_task(
        by=par_officer, task=task, version=task.version, values=task_values("1", lead=("NEW",))
    )
    rows = dict(task.progress.values_list("unit__code", "status"))
    assert rows == {"HOME": P.CANCELLED, "NEW": P.NOT_STARTED}


def test_a_new_task_deadline_moves_every_unit_without_an_extension(
    task, par_officer, home_progress, other_progress
):
    services.extend_progress(
        by=par_officer, progress=other_progress, until=D(2026, 7, 31), reason="Chờ hướng dẫn"
    )
    services.update_task(
        by=par_officer,
        task=task,
        version=task.version,
        values=task_values("1", deadline=D(2026, 7, 15)),
    )
    home_progress.refresh_from_db()
    other_progress.refresh_from_db()
    assert (home_progress.deadline, other_progress.deadline) == (D(2026, 7, 15), D(2026, 7, 31))


def test_editing_a_task_someone_else_saved_is_a_conflict(task, par_officer):
    services.update_task(
        by=par_officer, task=task, version=task.version, values=task_values("1", title="Mới")
    )
    with refuses("monitoring.conflict", services.Conflict):
        services.update_task(by=par_officer, task=task, version=0, values=task_values("1"))


def test_done_needs_a_day_and_a_product_of_the_units_own_library(
    home_progress, other_unit, unit_editor, par_officer
):
    with refuses("progress.invalid") as refused:
        services.report_progress(by=unit_editor, progress=home_progress, version=0, status=P.DONE)
    assert refused.value.codes == ["progress.no_completion_day", "progress.no_product"]
    foreign = document(other_unit, par_officer)
    with refuses("progress.invalid") as refused:
        services.report_progress(
            by=unit_editor,
            progress=home_progress,
            version=0,
            status=P.DONE,
            completed_on=D(2026, 6, 9),
            evidence=foreign,
        )
    assert refused.value.codes == ["monitoring.foreign_document"]
    home_progress.refresh_from_db()
    assert home_progress.status == P.NOT_STARTED


def test_reporting_done_waits_for_the_office_which_may_return_it(
    home_progress, home_document, unit_editor, par_officer
):
    services.report_progress(
        by=unit_editor,
        progress=home_progress,
        version=0,
        status=P.DONE,
        completed_on=D(2026, 6, 9),
        evidence=home_document,
        note="Đã ban hành",
    )
    assert (home_progress.status, home_progress.review) == (P.DONE, Progress.Review.PENDING)
    mail.outbox.clear()
    services.review_progress(
        by=par_officer,
        progress=home_progress,
        version=home_progress.version,
        accept=False,
        reason="Sản phẩm chưa đúng",
    )
    home_progress.refresh_from_db()
    assert (home_progress.status, home_progress.completed_on) == (P.IN_PROGRESS, None)
    assert home_progress.review_reason == "Sản phẩm chưa đúng"
    assert Notification.objects.filter(user=unit_editor, body__contains="Sản phẩm chưa đúng")
    assert len(mail.outbox) == 2  # the unit's editor and head
    assert AuditEntry.objects.filter(action="progress.returned").exists()


def test_accepted_progress_no_longer_changes(
    home_progress, home_document, unit_editor, par_officer
):
    services.report_progress(
        by=unit_editor,
        progress=home_progress,
        version=0,
        status=P.DONE,
        completed_on=D(2026, 6, 9),
        evidence=home_document,
    )
    services.review_progress(
        by=par_officer, progress=home_progress, version=home_progress.version, accept=True
    )
    with refuses("progress.accepted"):
        services.report_progress(
            by=unit_editor,
            progress=home_progress,
            version=home_progress.version,
            status=P.IN_PROGRESS,
        )


def test_two_people_reporting_from_the_same_version_conflict(home_progress, unit_editor, unit_head):
    services.report_progress(
        by=unit_editor, progress=home_progress, version=0, status=P.IN_PROGRESS
    )
    stale = Progress.objects.get(pk=home_progress.pk)
    stale.version = 0
    with refuses("monitoring.conflict", services.Conflict):
        services.report_progress(by=unit_head, progress=stale, version=0, status=P.NOT_STARTED)


def test_an_extension_must_be_later_and_give_a_reason(home_progress, par_officer):
    with refuses("progress.extension_too_early") as refused:
        services.extend_progress(
            by=par_officer, progress=home_progress, until=D(2026, 6, 20), reason="x"
        )
    assert "30/06/2026" in str(refused.value)
    with refuses("monitoring.no_reason"):
        services.extend_progress(
            by=par_officer, progress=home_progress, until=D(2026, 7, 20), reason=" "
        )
    services.extend_progress(
        by=par_officer, progress=home_progress, until=D(2026, 7, 20), reason="Chờ văn bản"
    )
    home_progress.refresh_from_db()
    assert (home_progress.deadline, home_progress.extended_until) == (D(2026, 7, 20),) * 2
    entry = AuditEntry.objects.get(action="progress.extended")
    assert (entry.reason, entry.old) == ("Chờ văn bản", {"deadline": "2026-06-30"})


def test_cancelling_needs_a_reason_and_tells_the_unit(home_progress, par_officer, unit_editor):
    services.cancel_progress(by=par_officer, progress=home_progress, reason="Không còn phù hợp")
    assert home_progress.status == P.CANCELLED
    assert Notification.objects.filter(user=unit_editor, subject__contains="1").exists()
    with refuses("progress.cancelled"):
        services.report_progress(
            by=unit_editor, progress=home_progress, version=home_progress.version, status=P.DONE
        )


def test_urging_sends_one_message_per_unit_once_a_day(
    home_progress, other_progress, par_officer, unit_editor
):
    rows = [home_progress, other_progress]
    assert services.urge(by=par_officer, rows=rows, message="Đề nghị khẩn trương") == 2
    assert Notification.objects.filter(user=unit_editor, subject__startswith="").count() >= 1
    urged = Notification.objects.filter(user=unit_editor, body__contains="Đề nghị khẩn trương")
    assert urged.count() == 1
    services.urge(by=par_officer, rows=rows, message="Đề nghị khẩn trương")
    assert urged.count() == 1
    assert AuditEntry.objects.filter(action="progress.urged").count() == 4


def test_a_draft_plan_is_not_reported_on_and_is_issued_only_with_tasks(
    par_officer, unit_editor, clock
):
    plan = make_plan(par_officer, "KH-NHAP", issued=False)
    row = Progress.objects.filter(task__plan=plan).first()
    if row is not None:
        with refuses("plan.not_issued"):
            services.report_progress(by=unit_editor, progress=row, version=0, status=P.IN_PROGRESS)
    empty = services.create_plan(by=par_officer, code="KH-RONG", year=2026, title="Trống")
    with refuses("plan.no_tasks"):
        services.issue_plan(by=par_officer, plan=empty, issued_on=D(2026, 1, 1))
    issued = services.issue_plan(by=par_officer, plan=plan, issued_on=D(2026, 1, 3))
    assert issued.status == Plan.Status.ISSUED


def test_cloning_a_plan_moves_its_deadlines_to_the_new_year(plan, par_officer):
    services.add_task(by=par_officer, plan=plan, values=task_values("2", deadline=D(2026, 12, 31)))
    clone = services.clone_plan(
        by=par_officer, plan=plan, code="KH-2027", year=2027, title="Kế hoạch CCHC năm 2027"
    )
    assert (clone.status, clone.year) == (Plan.Status.DRAFT, 2027)
    assert dict(clone.tasks.values_list("code", "deadline")) == {
        "1": D(2027, 6, 30),
        "2": D(2027, 12, 31),
    }
    assert clone.tasks.get(code="1").progress.count() == 2


def test_a_leap_day_deadline_moves_to_the_28th(par_officer, home_unit):
    leap = services.create_plan(by=par_officer, code="KH-2028", year=2028, title="2028")
    services.add_task(by=par_officer, plan=leap, values=task_values("1", deadline=D(2028, 2, 29)))
    clone = services.clone_plan(by=par_officer, plan=leap, code="KH-2029", year=2029, title="2029")
    assert clone.tasks.get().deadline == D(2029, 2, 28)


# --- reports -------------------------------------------------------------------------------------


def test_a_report_is_due_on_its_periods_day_and_a_wrong_period_is_refused(
    quarterly, home_unit, unit_editor, clock
):
    submission = services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q1",
        submitted_on=D(2026, 3, 16),
    )
    assert (submission.due_on, submission.is_on_time) == (D(2026, 3, 15), False)
    with refuses("submission.invalid") as refused:
        services.submit_report(
            by=unit_editor,
            report_type=quarterly,
            unit=home_unit,
            period="2026-03",
            submitted_on=D(2026, 3, 16),
        )
    assert refused.value.codes == ["report.period_invalid"]
    assert "2026-03" in str(refused.value)


def test_a_report_already_sent_is_refused_until_the_office_returns_it(
    quarterly, home_unit, unit_editor, par_officer, clock
):
    first = services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q1",
        submitted_on=D(2026, 3, 10),
    )
    with refuses("submission.already_sent") as refused:
        services.submit_report(
            by=unit_editor,
            report_type=quarterly,
            unit=home_unit,
            period="2026-Q1",
            submitted_on=D(2026, 3, 12),
        )
    assert "10/03/2026" in str(refused.value)
    services.return_submission(
        by=par_officer, submission=first, version=first.version, reason="Thiếu số liệu"
    )
    assert Notification.objects.filter(user=unit_editor, body__contains="Thiếu số liệu").exists()
    again = services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q1",
        submitted_on=D(2026, 4, 2),
    )
    assert (again.pk, again.status, again.submitted_on) == (
        first.pk,
        Submission.Status.SUBMITTED,
        D(2026, 4, 2),
    )


def test_only_units_of_the_report_types_send_it(quarterly, unit_editor, clock):
    commune = make_unit("X9", "XA")
    with refuses("submission.invalid") as refused:
        services.submit_report(
            by=unit_editor,
            report_type=quarterly,
            unit=commune,
            period="2026-Q1",
            submitted_on=D(2026, 3, 10),
        )
    assert refused.value.codes == ["submission.unit_not_sending"]
    assert "X9" in str(refused.value)


def test_report_types_are_checked_whole(db):
    with refuses("report_type.invalid") as refused:
        services.save_report_type(
            by=None, code="", title="", frequency="weekly", due_day=40, unit_types=["ZZ"]
        )
    assert refused.value.codes == [
        "report_type.no_code",
        "report_type.no_title",
        "report_type.bad_frequency",
        "report_type.bad_due_day",
        "report_type.unknown_unit_types",
    ]


# --- inspections ---------------------------------------------------------------------------------


def test_a_finding_is_remedied_once_the_office_verifies_the_reported_remedy(
    finding, home_unit, unit_editor, par_officer
):
    evidence = document(home_unit, unit_editor, "Ảnh niêm yết", "05/BC")
    services.report_remedy(
        by=unit_editor,
        finding=finding,
        version=finding.version,
        reported_on=D(2026, 6, 5),
        evidence=evidence,
    )
    assert (finding.status, finding.remedied_on) == (Finding.Status.REPORTED, None)
    services.verify_finding(by=par_officer, finding=finding, version=finding.version, accept=True)
    finding.refresh_from_db()
    assert (finding.status, finding.remedied_on) == (Finding.Status.REMEDIED, D(2026, 6, 5))
    assert finding.verified_by == par_officer


def test_a_returned_remedy_goes_back_to_the_unit(finding, home_unit, unit_editor, par_officer):
    evidence = document(home_unit, unit_editor, "Ảnh", "06/BC")
    services.report_remedy(
        by=unit_editor,
        finding=finding,
        version=finding.version,
        reported_on=D(2026, 6, 5),
        evidence=evidence,
    )
    services.verify_finding(
        by=par_officer, finding=finding, version=finding.version, accept=False, reason="Chưa đủ"
    )
    assert finding.status == Finding.Status.RETURNED
    assert Notification.objects.filter(user=unit_editor, body__contains="Chưa đủ").exists()


def test_the_unit_hears_of_a_new_finding(finding, unit_editor):
    assert Notification.objects.filter(user=unit_editor, body__contains="niêm yết").exists()
