"""The monitoring pages a user works on all day answer htmx in place: reporting progress, the
office's accept/return, extension and cancellation give back the progress panel, urging gives
back one line; without JavaScript the same forms reload the page (tests in test_views)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from parindex.assessments.models import Notification
from parindex.monitoring import services
from parindex.monitoring.models import Progress

HX = {"HX-Request": "true"}
P = Progress.Status


def _panel(response) -> str:
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div class="row g-3" id="progress-panel">')
    assert "<html" not in text  # the fragment only
    return text


def test_reporting_progress_gives_back_the_panel_with_the_confirmation(
    client, unit_editor, home_progress, home_document, django_assert_max_num_queries
):
    client.force_login(unit_editor)
    data = {
        "status": "done",
        "completed_on": "09/06/2026",
        "evidence": home_document.pk,
        "version": home_progress.version,
    }
    with django_assert_max_num_queries(40):
        response = client.post(
            reverse("monitoring:progress", args=[home_progress.pk]), data, headers=HX
        )
    text = _panel(response)
    assert "Đã báo cáo tiến độ." in text and home_document.title in text
    home_progress.refresh_from_db()
    assert (home_progress.status, home_progress.review) == (P.DONE, Progress.Review.PENDING)
    # The panel's form carries the new version: a second report is not a conflict.
    assert f'name="version" value="{home_progress.version}"' in text


def test_an_invalid_report_comes_back_in_the_panel_with_what_was_typed(
    client, unit_editor, home_progress
):
    client.force_login(unit_editor)
    response = client.post(
        reverse("monitoring:progress", args=[home_progress.pk]),
        {"status": "done", "note": "Ghi chú giữ lại", "version": home_progress.version},
        headers=HX,
    )
    text = _panel(response)
    assert "Ghi chú giữ lại" in text and response.context["form"].errors
    home_progress.refresh_from_db()
    assert home_progress.status == P.NOT_STARTED


@pytest.mark.parametrize(
    "action, data, check",
    [
        (
            "monitoring:progress_review",
            {"decision": "accept"},
            lambda row: row.review == Progress.Review.ACCEPTED,
        ),
        (
            "monitoring:progress_review",
            {"decision": "return", "reason": "Thiếu phụ lục"},
            lambda row: row.review_reason == "Thiếu phụ lục",
        ),
        (
            "monitoring:progress_extend",
            {"until": "2026-07-31", "reason": "Chờ hướng dẫn"},
            lambda row: row.deadline == dt.date(2026, 7, 31),
        ),
        (
            "monitoring:progress_cancel",
            {"reason": "Sáp nhập"},
            lambda row: row.status == P.CANCELLED,
        ),
    ],
    ids=["accept", "return", "extend", "cancel"],
)
def test_the_offices_decisions_give_back_the_panel(
    client, par_officer, unit_editor, home_progress, home_document, action, data, check
):
    if action == "monitoring:progress_review":  # what the unit reported, to review
        services.report_progress(
            by=unit_editor,
            progress=home_progress,
            version=0,
            status=P.DONE,
            completed_on=dt.date(2026, 6, 9),
            evidence=home_document,
        )
        home_progress.refresh_from_db()
    client.force_login(par_officer)
    response = client.post(
        reverse(action, args=[home_progress.pk]),
        {**data, "version": home_progress.version},
        headers=HX,
    )
    text = _panel(response)
    assert 'class="alert alert-success' in text
    home_progress.refresh_from_db()
    assert check(home_progress)


def test_a_refused_decision_is_said_in_the_panel(client, par_officer, home_progress):
    client.force_login(par_officer)
    response = client.post(
        reverse("monitoring:progress_review", args=[home_progress.pk]),
        {"decision": "accept", "version": home_progress.version},
        headers=HX,
    )  # nothing was reported: nothing to accept
    assert 'class="alert alert-danger' in _panel(response)
    home_progress.refresh_from_db()
    assert home_progress.review == Progress.Review.NONE


def test_urging_answers_with_one_line(client, par_officer, unit_editor, home_progress):
    client.force_login(par_officer)
    response = client.post(
        reverse("monitoring:urge"), {"progress": [home_progress.pk], "message": "Gấp"}, headers=HX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã đôn đốc 1 đơn vị" in text and "<html" not in text
    assert Notification.objects.filter(user=unit_editor, body__contains="Gấp").exists()
    nothing = client.post(reverse("monitoring:urge"), {"message": "Gấp"}, headers=HX)
    assert "alert-danger" in nothing.content.decode()


def test_the_pages_carry_htmx_and_plain_form_actions(client, par_officer, home_progress):
    client.force_login(par_officer)
    progress = client.get(reverse("monitoring:progress", args=[home_progress.pk])).content.decode()
    task = client.get(reverse("monitoring:task", args=[home_progress.task_id])).content.decode()
    extend = reverse("monitoring:progress_extend", args=[home_progress.pk])
    assert f'action="{extend}" hx-post="{extend}"' in progress
    urge = reverse("monitoring:urge")
    assert f'action="{urge}" hx-post="{urge}" hx-target="#urge-result"' in task
