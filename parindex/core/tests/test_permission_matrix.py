"""Every URL of the project, requested as every persona, answers as its matrix entry says.

Each app lists its URLs in `parindex/<app>/tests/routes.py` (see `parindex.core.tests.matrix`).
"""

from __future__ import annotations

import importlib
import pkgutil
from http.cookies import SimpleCookie
from operator import attrgetter
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

import parindex
from parindex.conftest import PERSONA_USERS, PERSONAS, make_user
from parindex.core.tests.matrix import Route, url_names
from parindex.units.tests.factories import UnitFactory, unit_type


def _matrix_modules() -> list:
    modules = []
    for app in pkgutil.iter_modules(parindex.__path__):
        try:
            modules.append(importlib.import_module(f"parindex.{app.name}.tests.routes"))
        except ModuleNotFoundError as error:
            if not error.name or not error.name.startswith(f"parindex.{app.name}.tests"):
                raise
    return modules


MODULES = _matrix_modules()
ROUTES: dict[str, Route] = {
    route.name: route for module in MODULES for route in getattr(module, "ROUTES", [])
}


def test_every_url_pattern_has_a_matrix_entry():
    missing = sorted(url_names() - set(ROUTES))
    assert not missing, f"URL patterns without a permission-matrix entry: {missing}"


def test_matrix_has_no_stale_entries():
    stale = sorted(set(ROUTES) - url_names())
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects the routes point at, built by every app's matrix `setup`, and each persona's
    session (a login costs more than most requests: each persona logs in once, not per route).

    Built once for the module inside a transaction rolled back after it; each route's test
    runs in its own savepoint (the `db` fixture), so what one route writes is undone before
    the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = SimpleNamespace(
            home_unit=UnitFactory(code="HOME", name="Sở Nhà", unit_type=unit_type("SO")),
            other_unit=UnitFactory(code="OTHER", name="Sở Khác", unit_type=unit_type("SO")),
        )
        world.sessions = {}
        for persona, (username, role, scoped) in PERSONA_USERS.items():
            unit = world.home_unit if scoped else None
            setattr(world, persona, make_user(username, role, unit))
            client = Client()
            client.force_login(getattr(world, persona))
            world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        for module in MODULES:
            if hasattr(module, "setup"):
                module.setup(world)
        yield world
        transaction.set_rollback(True)


def sign_in(client: Client, world: SimpleNamespace, persona: str) -> None:
    """Send the persona's session (opened by `world`) from now on, or none for "anonymous".

    Each route's test runs in a savepoint rolled back after it, so a session a request changed
    (or ended) is as it was for the next route."""
    client.cookies = SimpleCookie()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]


@pytest.mark.parametrize(
    "route", sorted(ROUTES.values(), key=attrgetter("name")), ids=attrgetter("name")
)
def test_route_answers_each_persona_as_the_matrix_says(db, client, world, route):
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    failures = []
    for persona in ("anonymous", *PERSONAS):
        sign_in(client, world, persona)
        data = route.data(world) if route.data else {}
        response = getattr(client, route.method)(url, data)
        expected = route.expected(persona)
        if response.status_code != expected:
            failures.append(f"{persona}: {response.status_code} (expected {expected})")
        redirected = response.get("Location", "")
        if (
            persona == "anonymous"
            and "anonymous" not in route.allowed
            and "login" not in redirected
        ):
            failures.append("anonymous was not sent to the login page")
    assert not failures, f"{route.method.upper()} {url}: " + "; ".join(failures)
