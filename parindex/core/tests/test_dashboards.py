"""Issue 14: the home dashboards show progress as bars with their numbers, in bounded queries;
the office reminds a late unit from there; the inbox count sits in the menu; favicon and "?"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, Notification
from parindex.core.models import AuditEntry
from parindex.core.registry import Bar

pytestmark = pytest.mark.django_db

# username -> the chart titles (in part) its home shows
EXPECTED = {
    "admin": ["units that submitted, by unit type"],
    "cchc": ["units that submitted, by unit type", "top and bottom units"],
    "thamdinh": ["My queue"],
    "hoidong": ["the council's approvals"],
    "stp.canbo": ["completeness of"],
    "stp.lanhdao": ["completeness of"],
    "lanhdao": ["units by status", "top and bottom units"],
}
TITLES_VI = {
    "units that submitted, by unit type": "đơn vị đã gửi phiếu, theo loại đơn vị",
    "top and bottom units": "đơn vị dẫn đầu và cuối bảng",
    "My queue": "Hàng đợi của tôi",
    "the council's approvals": "phê duyệt của hội đồng",
    "completeness of": "mức độ hoàn thành phiếu của",
    "units by status": "đơn vị theo trạng thái",
}


def bars(html: str) -> list[str]:
    return re.findall(r'class="bar-fill[^"]*" data-width="([\d.]+)"', html)


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_home_shows_its_charts_with_numbers(
    demo_world, client, username, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username=username))
    with django_assert_max_num_queries(60):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for title in EXPECTED[username]:
        assert TITLES_VI[title] in html, (username, title)
    widths = bars(html)
    assert widths and all(0 <= float(width) <= 100 for width in widths)
    assert 'class="bar-value"' in html  # the numbers beside the bars
    assert " style=" not in html  # widths come from data-width, never inline style


def test_home_queries_do_not_grow_with_more_late_units(demo_world, client):
    """The office's home costs the same whether none or all of the round's drafts are late."""
    officer = User.objects.get(username="cchc")
    client.force_login(officer)
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    late = demo_world.current_round.self_assessment_closes_on + dt.timedelta(days=40)
    with time_machine.travel(late):
        client.force_login(officer)
        with CaptureQueriesContext(connection) as after:
            response = client.get("/")
    late_units = response.content.decode().count("ngày</span>")  # "trễ 40 ngày" notes
    assert late_units >= 3
    # The late-units chart reads the round's progress in a fixed number of queries (one set
    # for all its units), not one per late unit.
    assert len(after) <= len(before) + 8 < len(before) + late_units + 8


def test_the_office_reminds_a_late_unit_and_it_is_audited(demo_world, client):
    draft = Assessment.objects.get(round=demo_world.current_round, unit__code="STP")
    assert draft.status == Assessment.Status.DRAFT
    officer = User.objects.get(username="cchc")
    client.force_login(officer)
    response = client.post(reverse("assessments:remind", args=[draft.pk]))
    assert response.status_code == 302
    reminded = Notification.objects.filter(
        subject__startswith="Nhắc nhở", url__contains=str(draft.pk)
    )
    assert {n.user.username for n in reminded} >= {"stp.canbo", "stp.lanhdao"}
    entry = AuditEntry.objects.filter(action="assessment.reminded", object_id=str(draft.pk)).get()
    assert entry.actor == officer
    assert entry.new["recipients"] == reminded.count()


def test_a_unit_head_may_not_send_reminders(demo_world, client):
    draft = Assessment.objects.filter(round=demo_world.current_round).first()
    client.force_login(User.objects.get(username="stp.lanhdao"))
    assert client.post(reverse("assessments:remind", args=[draft.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="assessment.reminded").exists()


def test_a_submitted_unit_is_not_reminded(demo_world, client):
    submitted = (
        Assessment.objects.filter(round=demo_world.current_round)
        .exclude(status=Assessment.Status.DRAFT)
        .first()
    )
    client.force_login(User.objects.get(username="cchc"))
    client.post(reverse("assessments:remind", args=[submitted.pk]))
    assert not AuditEntry.objects.filter(
        action="assessment.reminded", object_id=str(submitted.pk)
    ).exists()


def test_the_menu_shows_the_unread_count_of_the_inbox(demo_world, client):
    user = User.objects.get(username="stp.canbo")
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    client.force_login(user)
    html = client.get(reverse("assessments:mine")).content.decode()
    if unread:
        assert re.search(rf'nav-count">{unread}<span class="visually-hidden"> chưa đọc', html)
    Notification.objects.filter(user=user).update(read_at="2026-01-01T00:00:00Z")
    html = client.get(reverse("assessments:mine")).content.decode()
    assert "nav-count" not in html


def test_every_page_has_the_favicon_the_search_box_and_the_guide_link(demo_world, client):
    client.force_login(User.objects.get(username="thamdinh"))
    html = client.get(reverse("assessments:queue")).content.decode()
    assert 'rel="icon" href="/static/parindex/favicon.svg"' in html
    assert 'role="search"' in html and 'action="/search/"' in html
    assert 'href="/help/#tham-dinh"' in html  # the appraisal queue's section of the guide


@pytest.mark.parametrize(
    ("bar", "percent"),
    [
        (Bar("a", 3, 4), 75.0),
        (Bar("empty", 0, 0), 0.0),
        (Bar("over", 5, 4), 100.0),
        (Bar("index", 85.95, 100), 85.95),
    ],
    ids=["share", "empty-total", "capped", "index"],
)
def test_a_bar_is_as_full_as_its_share(bar, percent):
    assert bar.percent == pytest.approx(percent)
