"""The office's pages: a token is shown once on creation and never again; revoking, the
webhook log and its replay. (Who may open them: routes.py in the permission matrix.)"""

from __future__ import annotations

import datetime as dt

from parindex.api.models import Delivery, Endpoint, Token


def test_a_new_tokens_secret_is_shown_once(client, par_officer, home_unit):
    client.force_login(par_officer)
    response = client.post(
        "/api/tokens/",
        {
            "name": "LGSP tỉnh",
            "scopes": ["results:read", "monitoring:write"],
            "units": "home",  # a code in any case
            "expires_on": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    token = Token.objects.get(name="LGSP tỉnh")
    assert list(token.units.all()) == [home_unit]
    listing = client.get("/api/tokens/").content.decode()
    detail = client.get(f"/api/tokens/{token.pk}/").content.decode()
    assert "LGSP tỉnh" in listing and f"pix_{token.prefix}_" in listing
    assert secret not in listing and secret not in detail


def test_the_token_form_takes_its_units_by_code_with_suggestions(
    client, par_officer, home_unit, other_unit
):
    client.force_login(par_officer)
    page = client.get("/api/tokens/").content.decode()
    assert 'list="id_units-add-options"' in page and other_unit.name not in page
    options = client.get("/api/tokens/unit-options/", {"units-add": "so nha"}).content.decode()
    assert '<option value="HOME">Sở Nhà</option>' in options and "OTHER" not in options
    other_unit.active_to = dt.date(2025, 1, 1)  # an ended unit is neither offered nor taken
    other_unit.save()
    everything = client.get("/api/tokens/unit-options/", {"units-add": ""}).content.decode()
    assert "HOME" in everything and "OTHER" not in everything
    data = {"name": "QLVB", "scopes": ["monitoring:write"], "expires_on": "31/12/2030"}
    refused = client.post("/api/tokens/", {**data, "units": "HOME\nOTHER"})
    assert "Không có đơn vị nào mã OTHER" in refused.content.decode()
    assert not Token.objects.exists()


def test_an_invalid_token_form_shows_the_reason(client, par_officer):
    client.force_login(par_officer)
    response = client.post(
        "/api/tokens/", {"name": "X", "scopes": ["results:read"], "expires_on": "2000-01-01"}
    )
    assert response.status_code == 200
    assert not Token.objects.exists()
    assert response.context["form"].non_field_errors()


def test_the_office_revokes_a_token_from_its_page(client, par_officer):
    from parindex.api.tests.conftest import make_token

    make_token(par_officer, "rounds:read", name="QLVB")
    token = Token.objects.get(name="QLVB")
    client.force_login(par_officer)
    response = client.post(f"/api/tokens/{token.pk}/revoke/", {"reason": "hết hợp đồng"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == par_officer


def test_the_webhook_log_lists_deliveries_and_filters_them(
    client, par_officer, django_assert_max_num_queries
):
    client.force_login(par_officer)
    created = client.post(
        "/api/webhooks/",
        {"name": "IOC", "url": "https://ioc.example.vn/hook", "events": ["results.published"]},
    )
    endpoint = Endpoint.objects.get(name="IOC")
    assert created["Location"] == f"/api/webhooks/{endpoint.pk}/"
    Delivery.objects.bulk_create(
        Delivery(
            endpoint=endpoint,
            event="results.published",
            key=f"k{number}",
            payload={},
            status=Delivery.Status.FAILED if number % 2 else Delivery.Status.DELIVERED,
        )
        for number in range(30)
    )
    with django_assert_max_num_queries(12):
        page = client.get(f"/api/webhooks/{endpoint.pk}/?status=failed")
    assert page.status_code == 200
    assert endpoint.secret in page.content.decode()
    assert page.context["page_obj"].paginator.count == 15
