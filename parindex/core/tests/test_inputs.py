"""A NUL character in a query or a form field gets a 400 before any view, whoever asks: no form
sends one, and PostgreSQL refuses it in a query (a list filtered by it answered 500 there)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from parindex.core.models import AuditEntry
from parindex.units.models import Unit

pytestmark = pytest.mark.django_db

REFUSAL = "Không có gì bị thay đổi"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/units/", {"q": "so\x00tu"}),
        ("/accounts/users/", {"unit": "HOME\x00"}),
        ("/units/options/", {"parent": "\x00"}),
        ("/search/", {"q": "a", "kind\x00": "units"}),  # in a name too
    ],
)
def test_a_nul_in_the_query_is_refused(client, par_officer, home_unit, url, query):
    client.force_login(par_officer)
    response = client.get(url, query)
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert client.get(url).status_code == 200  # the same page without it


def test_a_nul_in_a_form_field_changes_nothing(client, par_officer, home_unit):
    client.force_login(par_officer)
    entries = AuditEntry.objects.count()
    response = client.post(
        reverse("units:edit", args=[home_unit.pk]),
        urlencode(
            {"code": home_unit.code, "name": "Sở\x00 Nhà", "unit_type": home_unit.unit_type_id}
        ),
        content_type="application/x-www-form-urlencoded",  # as a browser sends a form
    )
    assert response.status_code == 400
    assert Unit.objects.get(pk=home_unit.pk).name == "Sở Nhà"
    assert AuditEntry.objects.count() == entries


def test_a_nul_in_the_path_is_refused(client, par_officer):
    client.force_login(par_officer)
    response = client.get("/surveys/f/ab%00cd/")  # the public form's token
    assert response.status_code == 400 and REFUSAL in response.content.decode()


def test_an_api_client_gets_the_apis_json_answer(client):
    response = client.get("/api/v1/rounds", {"q": "\x00"}, HTTP_AUTHORIZATION="Bearer pix_x_y")
    assert response.status_code == 400
    assert REFUSAL in response.json()["detail"]


def test_a_nul_is_refused_before_signing_in(client):
    response = client.get(reverse("accounts:login"), {"next": "/\x00"})
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
