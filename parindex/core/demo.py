"""Loads the illustrative demo province: each app registers its step (`registry.DemoStep`)."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction

from parindex.core import registry, services

DEMO_PASSWORD = "demo-parindex-2026"


@transaction.atomic
def load_demo() -> SimpleNamespace:
    """Create the demo province once; a database that already has it is left as it is."""
    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    # Order matters: later steps use what earlier ones created (units before users, sets before
    # rounds); each app's `AppConfig.ready()` registered its step with its place.
    for step in registry.demo_steps:
        step.load(world)
    services.set_setting(key="demo", value=True, by=None)
    return world


def demo_logins() -> list[tuple[str, str]]:
    """The demo accounts and their roles, for the start-up message."""
    return [login for step in registry.demo_steps for login in step.logins()]
