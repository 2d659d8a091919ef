from __future__ import annotations

import pytest
from django.core.management import call_command

from parindex.accounts.demo import DEMO_USERS
from parindex.core.demo import DEMO_PASSWORD, load_demo
from parindex.core.queries import is_demo

pytestmark = pytest.mark.django_db


def test_every_demo_login_works_and_sees_its_home_page(client):
    load_demo()
    assert is_demo()
    for username, *_ in DEMO_USERS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        response = client.get("/")
        assert response.status_code == 200, username
        assert "Dữ liệu minh họa" in response.content.decode()
        client.logout()


def test_demo_command_loads_once_and_prints_the_logins(capsys):
    call_command("demo", no_serve=True)
    first = capsys.readouterr().out
    call_command("demo", no_serve=True)
    second = capsys.readouterr().out
    assert "Loading the demo province" in first
    assert "already loaded" in second
    assert all(username in second for username, *_ in DEMO_USERS)
    assert DEMO_PASSWORD in second
