"""parindex's commands check everything but the URL configuration before they start."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.core.management.base import SystemCheckError

from parindex.core.commands import BaseCommand


def _failing(tag: str):
    def check(app_configs=None, **kwargs):
        return [checks.Error(f"broken {tag}", id="test.E001")]

    return check


@pytest.fixture
def failing_check():
    """Register a failing check under a tag for one test."""
    registered = []

    def register(tag: str) -> None:
        check = _failing(tag)
        checks.register(check, tag)
        registered.append(check)

    yield register
    for check in registered:
        checks.registry.registry.registered_checks.discard(check)


@pytest.mark.django_db
def test_a_broken_url_configuration_does_not_stop_a_data_command(failing_check):
    failing_check(checks.Tags.urls)
    with pytest.raises(CommandError, match="NO-SUCH-ROUND"):  # the command ran: not found
        call_command("publish_round", "NO-SUCH-ROUND", skip_checks=False)


@pytest.mark.django_db
def test_a_broken_model_still_stops_a_data_command(failing_check):
    failing_check(checks.Tags.models)
    with pytest.raises(SystemCheckError, match="broken models"):
        call_command("publish_round", "NO-SUCH-ROUND", skip_checks=False)


@pytest.mark.django_db
def test_django_commands_still_check_the_urls(failing_check):
    failing_check(checks.Tags.urls)
    with pytest.raises(SystemCheckError, match="broken urls"):
        call_command("check")


def test_every_parindex_command_leaves_the_urls_out():
    ours = {name: app for name, app in get_commands().items() if app.startswith("parindex.")}
    assert len(ours) >= 30
    for name, app in ours.items():
        command = load_command_class(app, name)
        assert isinstance(command, BaseCommand), name
        assert checks.Tags.urls not in command.requires_system_checks, name
        assert checks.Tags.models in command.requires_system_checks, name
