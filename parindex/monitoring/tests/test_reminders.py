"""`parindex remind` also reminds units of task, report and finding deadlines, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from parindex.assessments import notifications
from parindex.assessments.models import Notification
from parindex.monitoring import reminders, services
from parindex.monitoring.models import Progress

D = dt.date


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (20, None),
        (7, "d7"),
        (5, "d7"),
        (3, "d3"),
        (1, "d1"),
        (0, "d1"),
        (-1, "overdue"),
        (-31, None),
    ],
)
def test_the_threshold_of_a_deadline(days_left, expected):
    assert reminders.threshold(days_left) == expected


def test_monitoring_registers_its_reminders_with_the_daily_job():
    assert reminders.send_reminders in notifications.REMINDER_SOURCES


def test_open_tasks_are_reminded_7_3_1_days_before_and_once_overdue(home_progress, unit_editor):
    subjects = []
    for day in (D(2026, 6, 10), D(2026, 6, 23), D(2026, 6, 27), D(2026, 6, 29), D(2026, 7, 1)):
        reminders.send_reminders(day)
        reminders.send_reminders(day)  # a second run the same day sends nothing new
        subjects = list(
            Notification.objects.filter(user=unit_editor, key__startswith="monitoring:task")
            .order_by("id")
            .values_list("key", flat=True)
        )
    assert [key.rsplit(":", 1)[1] for key in subjects] == ["d7", "d3", "d1", "overdue"]


def test_done_and_cancelled_tasks_are_not_reminded(home_progress, par_officer, unit_editor):
    services.cancel_progress(by=par_officer, progress=home_progress, reason="Không phù hợp")
    reminders.send_reminders(D(2026, 6, 29))
    assert not Notification.objects.filter(user=unit_editor, key__startswith="monitoring:task")


def test_unsent_reports_and_open_findings_are_reminded(quarterly, finding, unit_editor):
    call_command("send_reminders", date=D(2026, 6, 10))
    keys = set(
        Notification.objects.filter(user=unit_editor, key__startswith="monitoring:").values_list(
            "key", flat=True
        )
    )
    assert any(key.startswith("monitoring:report:") and key.endswith(":d7") for key in keys)
    assert not any(key.startswith("monitoring:finding:") for key in keys)  # 20 days ahead
    call_command("send_reminders", date=D(2026, 6, 27))
    assert Notification.objects.filter(
        user=unit_editor, key__startswith="monitoring:finding:", key__endswith=":d3"
    ).exists()


def test_a_sent_report_is_not_reminded(quarterly, home_unit, unit_editor):
    services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q2",
        submitted_on=D(2026, 6, 9),
        today=D(2026, 6, 10),
    )
    reminders.send_reminders(D(2026, 6, 12))
    assert not Notification.objects.filter(user=unit_editor, key__startswith="monitoring:report")


def test_draft_plans_are_not_reminded(home_progress, unit_editor):
    Progress.objects.filter(pk=home_progress.pk).update(status=Progress.Status.IN_PROGRESS)
    home_progress.task.plan.__class__.objects.filter(pk=home_progress.task.plan_id).update(
        status="draft"
    )
    reminders.send_reminders(D(2026, 6, 29))
    assert not Notification.objects.filter(user=unit_editor, key__startswith="monitoring:task")
