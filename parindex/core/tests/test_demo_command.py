from __future__ import annotations

import pytest
from django.core.management import call_command

from parindex.accounts.demo import DEMO_USERS
from parindex.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_command_loads_once_and_prints_the_logins(capsys):
    call_command("demo", no_serve=True)
    first = capsys.readouterr().out
    call_command("demo", no_serve=True)
    second = capsys.readouterr().out
    assert "Loading the demo province" in first
    assert "already loaded" in second
    assert all(username in second for username, *_ in DEMO_USERS)
    assert DEMO_PASSWORD in second
