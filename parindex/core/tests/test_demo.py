from __future__ import annotations

import pytest
from django.http import HttpRequest

from parindex.accounts.demo import DEMO_USERS
from parindex.core.demo import DEMO_PASSWORD
from parindex.core.queries import is_demo

pytestmark = pytest.mark.django_db


def test_every_demo_login_works_and_sees_its_home_page(demo_world, client):
    assert is_demo()
    for username, *_ in DEMO_USERS:
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD), (
            username
        )
        response = client.get("/")
        assert response.status_code == 200, username
        assert "Dữ liệu minh họa" in response.content.decode()
        client.logout()
