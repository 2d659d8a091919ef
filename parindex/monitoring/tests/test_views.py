"""Monitoring pages: who sees which unit's work, the forms doing what they say, bounded queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from parindex.assessments.models import Notification
from parindex.monitoring import services
from parindex.monitoring.models import Finding, Inspection, Progress, Submission
from parindex.monitoring.tests.fixtures import make_plan, task_values
from parindex.units.tests.factories import make_unit

D = dt.date
P = Progress.Status


def test_a_unit_officer_sees_its_own_task_and_a_404_for_another_units(
    client, unit_editor, home_progress, other_progress
):
    client.force_login(unit_editor)
    assert client.get(reverse("monitoring:progress", args=[home_progress.pk])).status_code == 200
    assert client.get(reverse("monitoring:progress", args=[other_progress.pk])).status_code == 404
    response = client.post(
        reverse("monitoring:progress", args=[other_progress.pk]),
        {"status": "in_progress", "version": 0},
    )
    assert response.status_code == 404
    other_progress.refresh_from_db()
    assert other_progress.status == P.NOT_STARTED


def test_my_page_lists_only_my_units_tasks(client, unit_editor, home_progress, other_unit):
    client.force_login(unit_editor)
    response = client.get(reverse("monitoring:mine"))
    assert response.status_code == 200
    tasks = list(response.context["tasks"])
    assert [row.unit.code for row in tasks] == ["HOME"]


def test_reporting_done_through_the_page(client, unit_editor, home_progress, home_document):
    client.force_login(unit_editor)
    response = client.post(
        reverse("monitoring:progress", args=[home_progress.pk]),
        {
            "status": "done",
            "completed_on": "09/06/2026",
            "evidence": home_document.pk,
            "note": "Đã xong",
            "version": home_progress.version,
        },
    )
    assert response.status_code == 302
    home_progress.refresh_from_db()
    assert (home_progress.status, home_progress.completed_on, home_progress.evidence) == (
        P.DONE,
        D(2026, 6, 9),
        home_document,
    )


def test_a_refused_report_keeps_what_was_typed_and_says_why(client, unit_editor, home_progress):
    client.force_login(unit_editor)
    response = client.post(
        reverse("monitoring:progress", args=[home_progress.pk]),
        {"status": "done", "note": "Ghi chú giữ lại", "version": home_progress.version},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Ghi chú giữ lại" in response.content.decode()


def test_the_office_returns_reported_work_from_the_page(
    client, par_officer, unit_editor, home_progress, home_document
):
    services.report_progress(
        by=unit_editor,
        progress=home_progress,
        version=0,
        status=P.DONE,
        completed_on=D(2026, 6, 9),
        evidence=home_document,
    )
    client.force_login(par_officer)
    page = client.get(reverse("monitoring:progress", args=[home_progress.pk]))
    assert reverse("monitoring:progress_review", args=[home_progress.pk]) in page.content.decode()
    client.post(
        reverse("monitoring:progress_review", args=[home_progress.pk]),
        {"decision": "return", "reason": "Thiếu phụ lục", "version": home_progress.version},
    )
    home_progress.refresh_from_db()
    assert (home_progress.status, home_progress.review_reason) == (P.IN_PROGRESS, "Thiếu phụ lục")


def test_urging_many_units_at_once(client, par_officer, unit_editor, home_progress, other_progress):
    client.force_login(par_officer)
    response = client.post(
        reverse("monitoring:urge"),
        {
            "progress": [home_progress.pk, other_progress.pk],
            "message": "Khẩn trương hoàn thành",
            "next": reverse("monitoring:task", args=[home_progress.task_id]),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:task", args=[home_progress.task_id])
    assert Notification.objects.filter(user=unit_editor, body__contains="Khẩn trương").exists()


def test_extend_and_cancel_from_the_page(client, par_officer, home_progress, other_progress):
    client.force_login(par_officer)
    client.post(
        reverse("monitoring:progress_extend", args=[home_progress.pk]),
        {"until": "2026-07-31", "reason": "Chờ hướng dẫn"},
    )
    client.post(
        reverse("monitoring:progress_cancel", args=[other_progress.pk]), {"reason": "Sáp nhập"}
    )
    home_progress.refresh_from_db()
    other_progress.refresh_from_db()
    assert home_progress.deadline == D(2026, 7, 31)
    assert (other_progress.status, other_progress.cancel_reason) == (P.CANCELLED, "Sáp nhập")


def test_a_draft_plan_is_hidden_from_readers_but_not_from_the_office(
    client, viewer, par_officer, home_unit, clock
):
    draft = make_plan(par_officer, "KH-NHAP", issued=False)
    client.force_login(viewer)
    assert client.get(reverse("monitoring:plan_detail", args=[draft.pk])).status_code == 404
    client.force_login(par_officer)
    assert client.get(reverse("monitoring:plan_detail", args=[draft.pk])).status_code == 200


def test_the_task_table_filters_sorts_and_counts(client, par_officer, plan, other_progress):
    services.add_task(
        by=par_officer, plan=plan, values=task_values("2", title="Rà soát", deadline=D(2026, 5, 31))
    )
    client.force_login(par_officer)
    url = reverse("monitoring:plan_detail", args=[plan.pk])
    rows = client.get(url, {"sort": "-deadline"}).context["page_obj"].object_list
    assert [row.task.code for row in rows] == ["1", "2"]
    rows = client.get(url, {"state": "overdue"}).context["page_obj"].object_list
    assert [(row.task.code, row.completion.overdue) for row in rows] == [("2", 2)]
    rows = client.get(url, {"search": "rà soát"}).context["page_obj"].object_list
    assert [row.task.code for row in rows] == ["2"]


def test_the_plan_page_and_the_completion_page_run_a_bounded_number_of_queries(
    client, par_officer, plan, django_assert_max_num_queries
):
    for number in range(30):
        make_unit(f"S{number:02d}", "SO")
    for code in ("2", "3", "4"):
        services.add_task(by=par_officer, plan=plan, values=task_values(code))
    client.force_login(par_officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("monitoring:plan_detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(reverse("monitoring:completion"), {"year": 2026})
    assert response.status_code == 200
    assert response.context["board"].total.total == 2 + 3 * 32
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("monitoring:task", args=[plan.tasks.first().pk])).status_code == 200
        )


def test_the_completion_page_shows_numbers_per_plan_lead_and_unit(
    client, viewer, plan, par_officer, home_progress
):
    services.cancel_progress(by=par_officer, progress=home_progress, reason="x")
    client.force_login(viewer)
    response = client.get(reverse("monitoring:completion"), {"year": 2026})
    board = response.context["board"]
    assert [(row.code, row.completion.total) for row in board.leads] == [("SO", 1)]
    units = [(row.code, row.completion.total) for row in response.context["unit_rows"]]
    assert units == [("HOME", 0), ("OTHER", 1)]
    assert "KH-2026" in response.content.decode()


def test_the_completion_counts_are_kept_until_something_changes(
    client, viewer, plan, unit_editor, home_progress, home_document, django_assert_max_num_queries
):
    client.force_login(viewer)
    url = reverse("monitoring:completion")
    assert client.get(url, {"year": 2026}).context["board"].total.done == 0
    with django_assert_max_num_queries(16) as again:
        client.get(url, {"year": 2026})
    assert not [query for query in again.captured_queries if "GROUP BY" in query["sql"]]
    services.report_progress(
        by=unit_editor,
        progress=home_progress,
        version=home_progress.version,
        status=P.DONE,
        completed_on=D(2026, 6, 9),
        evidence=home_document,
    )
    changed = client.get(url, {"year": 2026, "sort": "code"})
    assert changed.context["board"].total.done == 1
    assert [row.code for row in changed.context["unit_rows"]] == ["HOME", "OTHER"]


# --- reports ----------------------------------------------------------------------------------


def test_a_unit_records_a_report_and_sees_its_calendar(
    client, unit_editor, quarterly, home_unit, clock
):
    client.force_login(unit_editor)
    response = client.post(
        reverse("monitoring:submit_report", args=[home_unit.pk]),
        {"report_type": quarterly.pk, "period": "2026-Q1", "submitted_on": "2026-03-14"},
    )
    assert response.status_code == 302
    assert Submission.objects.get(unit=home_unit, period="2026-Q1").is_on_time
    calendar = client.get(reverse("monitoring:calendar"), {"year": 2026})
    states = [(row.period.code, row.state) for row in calendar.context["rows"]]
    assert states[:2] == [("2026-Q1", "on_time"), ("2026-Q2", "due")]


def test_a_unit_cannot_open_another_units_calendar(client, unit_editor, other_unit, quarterly):
    client.force_login(unit_editor)
    response = client.get(reverse("monitoring:calendar"), {"unit": other_unit.pk})
    assert response.status_code == 404


def test_the_office_opens_a_units_calendar_by_typing_its_code_or_name(
    client, par_officer, unit_editor, quarterly, home_unit, other_unit, clock
):
    client.force_login(par_officer)
    url = reverse("monitoring:calendar")
    page = client.get(url, {"unit": other_unit.pk}).content.decode()  # a link names the id
    # no unit is listed: the picker asks the server as one types (3,500 communes nationally)
    assert 'value="OTHER"' in page and 'list="id_code-options"' in page
    assert home_unit.name not in page
    typed = client.get(url, {"code": "so nha", "year": 2026})  # a name, marks aside
    assert typed.context["unit"] == home_unit
    unknown = client.get(url, {"code": "KHONGCO"}).content.decode()
    assert "Không có đơn vị mã KHONGCO" in unknown and 'value="KHONGCO"' in unknown
    options = client.get(reverse("monitoring:calendar_unit_options"), {"code": "khac"})
    assert re.findall(r'<option value="([^"]+)">', options.content.decode()) == ["OTHER"]
    # a unit's own officer has no picker and cannot open another unit's options
    client.force_login(unit_editor)
    own = client.get(url, {"code": "OTHER"})
    assert own.context["unit"] == home_unit and own.context["picker"] is None
    assert client.get(reverse("monitoring:calendar_unit_options")).status_code == 403


def test_the_office_returns_a_report_from_the_sheet(
    client, par_officer, unit_editor, quarterly, home_unit, clock
):
    submission = services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q1",
        submitted_on=D(2026, 3, 14),
    )
    client.force_login(par_officer)
    sheet = client.get(reverse("monitoring:submissions"), {"report": "BC-QUY", "period": "2026-Q1"})
    assert [row.state for row in sheet.context["page_obj"].object_list] == ["on_time"]
    client.post(
        reverse("monitoring:submission_return", args=[submission.pk]),
        {"reason": "Số liệu sai", "version": submission.version},
    )
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (
        Submission.Status.RETURNED,
        "Số liệu sai",
    )


# --- inspections ------------------------------------------------------------------------------


def test_a_unit_reports_a_remedy_and_the_office_verifies_it(
    client, unit_editor, par_officer, finding, home_document
):
    client.force_login(unit_editor)
    client.post(
        reverse("monitoring:finding", args=[finding.pk]),
        {"reported_on": "2026-06-08", "evidence": home_document.pk, "version": finding.version},
    )
    finding.refresh_from_db()
    assert finding.status == Finding.Status.REPORTED
    client.force_login(par_officer)
    client.post(
        reverse("monitoring:finding_verify", args=[finding.pk]),
        {"decision": "accept", "version": finding.version},
    )
    finding.refresh_from_db()
    assert (finding.status, finding.remedied_on) == (Finding.Status.REMEDIED, D(2026, 6, 8))


def test_another_units_officer_gets_a_404_for_a_finding(client, finding, other_unit):
    from parindex.accounts.models import Role
    from parindex.conftest import make_user

    stranger = make_user("o_editor", Role.UNIT_EDITOR, other_unit)
    client.force_login(stranger)
    assert client.get(reverse("monitoring:finding", args=[finding.pk])).status_code == 404
    assert (
        client.get(reverse("monitoring:inspection", args=[finding.inspection_id])).status_code
        == 404
    )


def test_recording_an_inspection_and_a_finding(client, par_officer, home_unit, unit_editor, clock):
    client.force_login(par_officer)
    response = client.post(
        reverse("monitoring:inspection_create"),
        {"code": "KT-9", "unit": "home", "kind": "unscheduled", "inspected_on": "2026-06-01"},
    )
    inspection = Inspection.objects.get(code="KT-9")
    assert response["Location"] == reverse("monitoring:inspection", args=[inspection.pk])
    client.post(
        reverse("monitoring:finding_create", args=[inspection.pk]),
        {"code": "1", "text": "Thiếu hồ sơ", "remedy_deadline": "2026-08-01"},
    )
    assert inspection.findings.get().remedy_deadline == D(2026, 8, 1)
    assert Notification.objects.filter(user=unit_editor, body__contains="Thiếu hồ sơ").exists()


def test_the_inspection_form_types_its_unit_with_suggestions(
    client, par_officer, home_unit, other_unit, clock
):
    client.force_login(par_officer)
    url = reverse("monitoring:inspection_create")
    page = client.get(url).content.decode()
    # the form lists no unit itself: the suggestions come as the officer types
    assert 'list="id_unit-options"' in page and home_unit.name not in page
    options = client.get(reverse("monitoring:unit_options"), {"unit": "SO KHAC"}).content
    assert re.findall(r'<option value="([^"]+)">', options.decode()) == ["OTHER"]
    values = {"code": "KT-8", "kind": "unscheduled", "inspected_on": "2026-06-01"}
    response = client.post(url, {**values, "unit": "KHONGCO"})
    assert response.status_code == 200
    assert "Không có đơn vị mã KHONGCO trong danh mục đơn vị" in response.content.decode()
    assert not Inspection.objects.filter(code="KT-8").exists()
    client.post(url, {**values, "unit": "sở khác"})  # its one name, in any case and marks
    assert Inspection.objects.get(code="KT-8").unit == other_unit


@pytest.mark.parametrize("persona", ["par_officer", "viewer"], indirect=True)
def test_rates_page_lists_units_with_their_counts(client, persona, plan):
    client.force_login(persona)
    response = client.get(reverse("monitoring:rates"), {"year": 2026, "as_of": "2026-12-31"})
    rows = response.context["page_obj"].object_list
    assert [(row.unit.code, row.rates.tasks_due) for row in rows] == [("HOME", 1), ("OTHER", 1)]


def test_the_home_page_lists_a_units_due_work_and_the_offices_overview(
    client, unit_editor, par_officer, plan, quarterly, finding, home_progress, home_document
):
    client.force_login(unit_editor)
    page = client.get("/").content.decode()
    assert reverse("monitoring:progress", args=[home_progress.pk]) in page
    assert "2026-Q2" in page  # due on 15/06, five days ahead
    assert reverse("monitoring:finding", args=[finding.pk]) in page
    services.report_progress(
        by=unit_editor,
        progress=home_progress,
        version=home_progress.version,
        status=P.DONE,
        completed_on=D(2026, 6, 9),
        evidence=home_document,
    )
    client.force_login(par_officer)
    page = client.get("/").content.decode()
    assert f"{reverse('monitoring:plan_detail', args=[plan.pk])}?state=pending" in page
