from __future__ import annotations

import pytest
from django.core.management import call_command

from parindex.accounts.demo import DEMO_USERS
from parindex.conftest import load_demo_quickly
from parindex.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_command_loads_once_and_prints_the_logins(capsys, monkeypatch):
    from parindex.core.management.commands import demo

    # The province as `load_demo()` makes it, copied (the demo tests' fixture loads it for real).
    monkeypatch.setattr(demo, "load_demo", load_demo_quickly)
    call_command("demo", no_serve=True)
    first = capsys.readouterr().out
    call_command("demo", no_serve=True)
    second = capsys.readouterr().out
    assert "Loading the demo province" in first
    assert "already loaded" in second
    assert all(username in second for username, *_ in DEMO_USERS)
    assert DEMO_PASSWORD in second


def test_demo_serves_with_a_jobs_worker_and_stops_it_with_the_server(monkeypatch, capsys):
    """`make demo` starts `parindex worker` beside runserver; Ctrl+C stops both."""
    from parindex.core.management.commands import demo

    started: list[list[str]] = []

    class Worker:
        def __init__(self, args, **kwargs):
            started.append(args)
            self.running = True

        def poll(self):
            return None if self.running else 0

        def terminate(self):
            self.running = False

        def wait(self, timeout=None):
            return 0

    def commands(name, *args, **kwargs):
        if name == "runserver":
            assert started, "the worker starts before the server"
            raise KeyboardInterrupt("Ctrl-C in the test")

    monkeypatch.setattr(demo.subprocess, "Popen", Worker)
    monkeypatch.setattr(demo, "call_command", commands)
    monkeypatch.setattr(demo.queries, "is_demo", lambda: True)
    with pytest.raises(KeyboardInterrupt, match="Ctrl-C in the test"):
        call_command("demo")
    assert started and started[0][-3:] == ["jobs_worker", "--verbosity", "0"]
    assert "worker stopped" in capsys.readouterr().out
