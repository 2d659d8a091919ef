"""Issue 14: the header search finds units, criteria and documents, only those the user may
open, with or without Vietnamese marks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.units.models import Unit

pytestmark = pytest.mark.django_db


def search(client, username, text):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("core:search"), {"q": text})


def test_units_are_found_without_marks(demo_world, client):
    html = search(client, "lanhdao", "so tu phap").content.decode()
    assert "Sở Tư pháp" in html
    assert "Đơn vị" in html


def test_criteria_are_found_by_name(demo_world, client):
    html = search(client, "stp.canbo", "kế hoạch").content.decode()
    assert "Tiêu chí" in html
    assert "/indexsets/" in html


def test_a_unit_officer_finds_only_the_documents_of_the_unit(demo_world, client):
    stp = Unit.objects.get(code="STP")
    other = Unit.objects.exclude(code="STP").filter(unit_type=stp.unit_type).first()
    officer = User.objects.get(username="cchc")
    for unit in (stp, other):
        title = f"Quyết định kiểm thử {unit.code}"
        Evidence.objects.create(unit=unit, kind="document", title=title, added_by=officer)
    html = search(client, "stp.canbo", "quyết định kiểm thử").content.decode()
    assert "Quyết định kiểm thử STP" in html
    assert f"Quyết định kiểm thử {other.code}" not in html
    html = search(client, "cchc", "quyết định kiểm thử").content.decode()
    assert f"Quyết định kiểm thử {other.code}" in html  # the office reads every library


def test_an_appraiser_finds_no_library_documents(demo_world, client):
    title = Evidence.objects.exclude(title="").values_list("title", flat=True).first()
    html = search(client, "thamdinh", title).content.decode()
    assert "/evidence/" not in html


def test_one_character_is_too_short_and_nothing_found_says_so(demo_world, client):
    assert "ít nhất hai ký tự" in search(client, "cchc", "S").content.decode()
    assert "Không tìm thấy" in search(client, "cchc", "zzzzqqq").content.decode()


def test_search_runs_in_bounded_queries(demo_world, client, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="cchc"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("core:search"), {"q": "sở"})
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:search"), {"q": "sở"})
    assert response.status_code == 302
