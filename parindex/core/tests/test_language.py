"""Issue 14: the interface speaks Vietnamese whatever the browser asks for, and keeps the
language the user picks in the header."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def test_an_english_browser_gets_vietnamese(client):
    response = client.get(reverse("accounts:login"), headers=ENGLISH_BROWSER)
    html = response.content.decode()
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi"' in html and "Đăng nhập" in html


def test_the_language_chosen_in_the_header_is_kept_for_a_year(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, headers=ENGLISH_BROWSER
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    page = client.get(reverse("accounts:login"), headers={"Accept-Language": "vi"})
    assert page.headers["Content-Language"] == "en"  # the choice beats the browser either way
