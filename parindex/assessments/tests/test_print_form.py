"""Issue 14: the self-assessment as a form to print and sign; the submit confirmation after the
completeness check; the council's approval asks first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def stp(world) -> Assessment:
    return Assessment.objects.get(round=world.current_round, unit__code="STP")


def test_the_form_lists_every_criterion_with_the_signature_block(
    demo_world, client, django_assert_max_num_queries
):
    assessment = stp(demo_world)
    client.force_login(User.objects.get(username="stp.lanhdao"))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("assessments:print", args=[assessment.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    leaves = assessment.items.count()
    assert html.count("<tr") >= leaves  # every leaf, plus the areas and branches
    assert "THỦ TRƯỞNG ĐƠN VỊ" in html.upper()
    assert "(Ký, ghi rõ họ tên và đóng dấu)" in html
    assert "Tổng điểm tự đánh giá" in html
    assert "data-print" in html


def test_another_unit_cannot_print_the_form(demo_world, client):
    other = Assessment.objects.filter(round=demo_world.current_round).exclude(unit__code="STP")
    client.force_login(User.objects.get(username="stp.canbo"))
    response = client.get(reverse("assessments:print", args=[other.first().pk]))
    assert response.status_code == 404


def test_the_check_page_offers_the_submit_with_a_confirmation_once_complete(
    demo_world, client, monkeypatch
):
    assessment = stp(demo_world)
    submit = f'action="{reverse("assessments:submit", args=[assessment.pk])}"'
    check = reverse("assessments:check", args=[assessment.pk])
    client.force_login(User.objects.get(username="stp.lanhdao"))
    html = client.get(check).content.decode()
    assert submit not in html  # three criteria are still missing in the demo
    assert reverse("assessments:print", args=[assessment.pk]) in html
    monkeypatch.setattr("parindex.assessments.queries.completeness", lambda assessment: [])
    html = client.get(check).content.decode()
    assert submit in html
    assert 'data-confirm="Gửi kết quả tự đánh giá' in html
    client.force_login(User.objects.get(username="stp.canbo"))
    assert submit not in client.get(check).content.decode()  # only the unit head submits


def test_the_council_confirms_each_approval(demo_world, client):
    waiting = Assessment.objects.filter(round=demo_world.current_round).exclude(unit__code="STP")
    Assessment.objects.filter(pk=waiting.first().pk).update(
        status=Assessment.Status.FINALISED, approved_at=None
    )
    client.force_login(User.objects.get(username="hoidong"))
    url = reverse("assessments:council", args=[demo_world.current_round.pk])
    html = client.get(url).content.decode()
    assert "/approve/" in html
    assert html.count("/approve/") == html.count('data-confirm="Thông qua điểm cuối cùng của')
