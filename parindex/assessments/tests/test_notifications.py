"""Notifications on transitions and the idempotent daily reminders."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from parindex.assessments import services
from parindex.assessments.models import Notification
from parindex.assessments.tests.test_services import fill

pytestmark = pytest.mark.django_db


def test_opening_a_round_tells_the_units(round_, unit_editor, unit_head, mailoutbox):
    assert Notification.objects.filter(user=unit_editor, subject__contains="Đã mở").exists()
    assert any(unit_head.email in message.to for message in mailoutbox)


def test_submission_tells_the_appraisers_and_the_office(
    assessment, unit_editor, unit_head, assigned_appraiser, par_officer, mailoutbox
):
    fill(assessment, unit_editor)
    mailoutbox.clear()
    services.submit(assessment=assessment, by=unit_head)
    recipients = {address for message in mailoutbox for address in message.to}
    assert {assigned_appraiser.email, par_officer.email} <= recipients
    assert Notification.objects.filter(user=assigned_appraiser, subject__contains="đã gửi").exists()


def test_reminders_are_sent_once_per_threshold_and_again_when_overdue(
    round_, assessment, unit_editor, mailoutbox
):
    def remind(day):
        out = io.StringIO()
        call_command("send_reminders", "--date", day, stdout=out)
        return int(re.search(r"\d+", out.getvalue())[0])

    mailoutbox.clear()
    assert remind("2024-12-10") == 0  # 21 days before: too early
    assert remind("2024-12-25") == 2  # 6 days left: the 7-day reminder to editor and head
    assert remind("2024-12-25") == 0  # same day again: nothing new
    assert remind("2024-12-26") == 0  # still inside the 7-day window
    assert remind("2024-12-30") == 2  # 1 day left
    assert remind("2025-01-02") == 2  # overdue
    assert remind("2025-01-03") == 0  # overdue already reminded
    subjects = list(
        Notification.objects.filter(user=unit_editor, key__startswith="remind:").values_list(
            "subject", flat=True
        )
    )
    assert len(subjects) == 3
    assert any(subject.startswith("Quá hạn") for subject in subjects)
    assert any("31/12/2024" in subject for subject in subjects)


def test_inbox_lists_messages_and_marks_them_read(client, round_, unit_editor):
    client.force_login(unit_editor)
    html = client.get(reverse("assessments:inbox")).content.decode()
    assert "Đã mở đợt tự đánh giá" in html
    client.post(reverse("assessments:mark_read"))
    assert not Notification.objects.filter(user=unit_editor, read_at__isnull=True).exists()


def test_home_dashboard_lists_pending_work_with_deadlines(client, round_, assessment, unit_editor):
    client.force_login(unit_editor)
    html = client.get(reverse("core:home")).content.decode()
    assert "nhập tự đánh giá của Sở Nhà" in html
    assert "31/12/2024" in html
    assert "thông báo chưa đọc" in html


def test_reminders_skip_rounds_not_open_yet(par_officer, small_set, home_unit, mailoutbox):
    from parindex.assessments.tests.factories import round_dates
    from parindex.rounds import services as round_services

    round_services.create_round(
        by=par_officer,
        code="DRAFT",
        year=2024,
        name="Nháp",
        index_sets={"SO": small_set},
        dates=round_dates(2024),
        units=[home_unit],
    )
    from parindex.assessments import notifications

    assert notifications.send_reminders(dt.date(2024, 12, 30)) == 0
