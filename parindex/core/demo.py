"""Loads the illustrative demo province: each app contributes a `demo.load(world)` step."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.db import transaction

from parindex.core import services

# Order matters: later steps use what earlier ones created (units before users, sets before rounds).
DEMO_STEPS = [
    "parindex.units.demo",
    "parindex.indexsets.demo",
    "parindex.accounts.demo",
    "parindex.rounds.demo",
    "parindex.assessments.demo",
    "parindex.surveys.demo",  # before results, which publishes last year's round (issue 13)
    "parindex.results.demo",
    "parindex.national.demo",
]

DEMO_PASSWORD = "demo-parindex-2026"


def _steps() -> list:
    modules = []
    for name in DEMO_STEPS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


@transaction.atomic
def load_demo() -> SimpleNamespace:
    """Create the demo province once; a database that already has it is left as it is."""
    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    for module in _steps():
        module.load(world)
    services.set_setting(key="demo", value=True, by=None)
    return world
