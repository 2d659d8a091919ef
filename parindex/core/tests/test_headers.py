"""Finding 11 of issue 10: a Content-Security-Policy without inline script; a Permissions-Policy.

The browser half (no violation reported while autosave and htmx work) is in test_e2e_csp.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

import parindex

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(parindex.__file__).parent.glob("*/templates/**/*.html"))
# What the policy forbids in markup: inline <script> bodies, event handler attributes, htmx's
# hx-on (compiled with eval), javascript: URLs and style attributes.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on attribute": re.compile(r"\b(data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style", re.I),
}


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_headers_every_page_sends_a_strict_content_security_policy(client, par_officer):
    client.force_login(par_officer)
    policy = directives(client.get(reverse("core:home"))["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    sources = [source for values in policy.values() for source in values]
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_headers_the_login_page_and_errors_carry_the_policies_too(client):
    for response in (client.get(reverse("accounts:login")), client.get("/no-such-page/")):
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_headers_permissions_policy_switches_off_unused_features(client):
    features = dict(
        item.strip().split("=", 1)
        for item in client.get(reverse("accounts:login"))["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_headers_templates_hold_no_inline_script_or_style(path):
    text = path.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert found == []


def test_headers_htmx_runs_without_eval_or_injected_style(client, par_officer):
    client.force_login(par_officer)
    html = client.get(reverse("core:home")).content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)[1])
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert html.index('name="htmx-config"') < html.index("htmx-2.min.js")
    css = (Path(parindex.__file__).parent / "core/static/parindex/parindex.css").read_text()
    assert ".htmx-request .htmx-indicator" in css
