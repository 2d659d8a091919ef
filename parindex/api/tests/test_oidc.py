"""Single sign-on against a small OpenID Connect provider started by the test on loopback.

The provider has a fresh RSA key, publishes it as a JWKS, and issues a signed id_token for the
code the browser brings back. The whole code flow runs through the real views and backend.
"""

from __future__ import annotations

import http.server
import json
import time
import urllib.parse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from parindex.api.tests.loopback import LoopbackServer
from parindex.conftest import make_user
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CLIENT_ID = "parindex-test"


class Provider:
    """A tiny identity platform: /jwks, /token and /userinfo on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict = {}
        self.nonce = ""
        self.audience = CLIENT_ID
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        self.jwks = {"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _json(self, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/jwks":
                    self._json(outer.jwks)
                elif self.path == "/userinfo":
                    self._json({"sub": outer.claims["sub"], **outer.claims})
                else:
                    self.send_error(404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers["Content-Length"])
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if self.path != "/token" or form.get("code") != ["good-code"]:
                    self.send_error(400)
                    return
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": outer.url,
                        "aud": outer.audience,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": outer.nonce,
                        **outer.claims,
                    },
                    outer.key,
                    algorithm="RS256",
                    headers={"kid": "test-key"},
                )
                self._json({"access_token": "at", "token_type": "Bearer", "id_token": id_token})

            def log_message(self, *args) -> None:
                pass

        self.server = LoopbackServer(Handler)
        self.url = self.server.url

    def settings(self, match: str = "email") -> dict:
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": "secret",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_MATCH": match,
            "AUTHENTICATION_BACKENDS": [
                "axes.backends.AxesStandaloneBackend",
                "django.contrib.auth.backends.ModelBackend",
                "parindex.api.oidc.Backend",
            ],
        }

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def provider():
    server = Provider()
    yield server
    server.close()


def _sign_on(client, provider) -> object:
    """Start at parindex, 'log in' at the provider, come back with the code."""
    started = client.get("/oidc/authenticate/")
    assert started.status_code == 302
    location = urllib.parse.urlparse(started["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.url}/authorize"
    query = urllib.parse.parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    provider.nonce = query["nonce"][0]
    return client.get("/oidc/callback/", {"code": "good-code", "state": query["state"][0]})


def test_a_person_is_matched_by_e_mail_and_logged_in(client, provider):
    officer = make_user("lan.cchc", "par_officer")
    officer.email = "Lan.Nguyen@hathanh.gov.vn"
    officer.save()
    provider.claims = {"sub": "p-001", "email": "lan.nguyen@hathanh.gov.vn"}
    with override_settings(**provider.settings()):
        back = _sign_on(client, provider)
        assert back.status_code == 302 and back["Location"] == "/"
        assert int(client.session["_auth_user_id"]) == officer.pk
        assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.sso_login", object_id=str(officer.pk)).exists()


def test_a_person_is_matched_by_username_when_so_configured(client, provider):
    user = make_user("tuan.stp", "viewer")
    provider.claims = {"sub": "p-002", "preferred_username": "TUAN.STP", "email": "x@y.vn"}
    with override_settings(**provider.settings(match="username")):
        _sign_on(client, provider)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_unknown_person_is_refused_and_no_account_is_made(client, provider, django_user_model):
    count = django_user_model.objects.count()
    provider.claims = {"sub": "p-003", "email": "nobody@hathanh.gov.vn"}
    with override_settings(**provider.settings()):
        back = _sign_on(client, provider)
    assert back["Location"].endswith("?sso=failed")
    assert "_auth_user_id" not in client.session
    assert django_user_model.objects.count() == count
    assert AuditEntry.objects.filter(action="auth.sso_refused").exists()


def test_a_token_meant_for_another_client_is_refused(client, provider):
    officer = make_user("lan2", "par_officer")
    officer.email = "lan2@hathanh.gov.vn"
    officer.save()
    provider.claims = {"sub": "p-004", "email": "lan2@hathanh.gov.vn"}
    provider.audience = "another-system"
    with override_settings(**provider.settings()):
        assert _sign_on(client, provider).status_code == 400  # SuspiciousOperation
    assert "_auth_user_id" not in client.session


def test_the_login_page_offers_single_sign_on_only_when_configured(client, provider):
    assert "/oidc/authenticate/" not in client.get("/accounts/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    with override_settings(**provider.settings()):
        assert "/oidc/authenticate/" in client.get("/accounts/login/").content.decode()
