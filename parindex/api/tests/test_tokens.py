"""Tokens: made by the office for a named client, hashed at rest, shown once, expiring,
revocable, rate-limited, and every call audited under the token's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from parindex.api import services
from parindex.api.models import Token
from parindex.api.tests.conftest import TokenClient, make_token
from parindex.conftest import refuses
from parindex.core.models import AuditEntry


def test_a_token_is_stored_as_its_sha256_only(par_officer):
    created = services.create_token(
        by=par_officer,
        name="LGSP",
        scopes=["results:read"],
        expires_on=dt.date.today() + dt.timedelta(days=10),
    )
    token = Token.objects.get(name="LGSP")
    assert created.secret.startswith(f"pix_{token.prefix}_")
    assert token.key_sha256 == services.key_digest(created.secret)
    stored = [str(value) for value in Token.objects.values_list(flat=False).get(pk=token.pk)]
    assert created.secret not in stored
    assert not AuditEntry.objects.filter(new__icontains=created.secret[-20:]).exists()
    assert token.user.full_name == "LGSP (API)"
    assert not token.user.has_usable_password()


@pytest.mark.parametrize("persona", ["appraiser", "council", "unit_editor", "viewer"])
def test_only_the_office_creates_tokens(request, persona):
    user = request.getfixturevalue(persona)
    with refuses("api.office_only"):
        services.create_token(
            by=user, name="X", scopes=["results:read"], expires_on=dt.date.today()
        )


@pytest.mark.parametrize(
    ("scopes", "days", "message"),
    [
        ([], 10, "ít nhất một phạm vi"),
        (["results:everything"], 10, "results:everything"),
        (["results:read"], 0, "sau hôm nay"),
        (["results:read"], 900, "hai năm"),
    ],
    ids=["no-scope", "unknown-scope", "expired-already", "too-long"],
)
def test_a_token_with_bad_values_is_refused(par_officer, scopes, days, message):
    with pytest.raises(services.Refused, match=message) as refused:
        services.create_token(
            by=par_officer,
            name="X",
            scopes=scopes,
            expires_on=dt.date.today() + dt.timedelta(days=days),
        )
    assert refused.value.code == "api.token_invalid"
    assert not Token.objects.exists()


def test_a_good_token_is_let_in_and_the_call_audited_with_its_name(par_officer):
    secret = make_token(par_officer, "rounds:read", name="IOC tỉnh")
    response = TokenClient(secret).get("/api/v1/rounds")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="api.call")
    assert entry.object_repr == "IOC tỉnh"
    assert entry.new["path"] == "/api/v1/rounds"
    assert entry.new["status"] == 200
    assert entry.actor.username.startswith("api-")
    assert Token.objects.get(name="IOC tỉnh").last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer pix_abcdefgh_" + "x" * 40, "Token pix_…"],
    ids=["none", "malformed", "unknown", "wrong-scheme"],
)
def test_no_or_a_wrong_token_gets_401(client, par_officer, header):
    make_token(par_officer, "rounds:read")
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/rounds", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_with_a_wrong_key_for_its_prefix_gets_401(par_officer):
    secret = make_token(par_officer, "rounds:read")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert TokenClient(forged).get("/api/v1/rounds").status_code == 401


def test_a_revoked_token_stops_at_once(par_officer):
    secret = make_token(par_officer, "rounds:read", name="QLVB")
    client = TokenClient(secret)
    assert client.get("/api/v1/rounds").status_code == 200
    services.revoke_token(by=par_officer, token=Token.objects.get(name="QLVB"), reason="lộ khóa")
    assert client.get("/api/v1/rounds").status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoked", reason="lộ khóa").exists()
    with refuses("api.already_revoked"):
        services.revoke_token(by=par_officer, token=Token.objects.get(name="QLVB"))


def test_an_expired_token_gets_401(par_officer, time_machine):
    secret = make_token(par_officer, "rounds:read", days=2)
    time_machine.move_to(dt.datetime.now() + dt.timedelta(days=3))
    assert TokenClient(secret).get("/api/v1/rounds").status_code == 401


@override_settings(RATE_LIMITS={"api": (3, 60), "upload": (30, 300), "download": (120, 300)})
def test_a_token_past_its_rate_gets_429_with_retry_after(par_officer, one_rate_window):
    client = TokenClient(make_token(par_officer, "rounds:read", name="Busy"))
    statuses = [client.get("/api/v1/rounds").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/rounds")
    assert int(refused["Retry-After"]) >= 1
    other = TokenClient(make_token(par_officer, "rounds:read", name="Quiet"))
    assert other.get("/api/v1/rounds").status_code == 200
    audited = AuditEntry.objects.filter(action="api.call", object_repr="Busy")
    assert sorted(audited.values_list("new__status", flat=True)) == [200, 200, 200, 429, 429]
