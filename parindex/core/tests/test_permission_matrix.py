"""Every URL of the project, requested as every persona, answers as its matrix entry says.

Each app lists its URLs in `parindex/<app>/tests/routes.py` (see `parindex.core.tests.matrix`).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.urls import reverse

import parindex
from parindex.conftest import PERSONAS
from parindex.core.tests.matrix import Route, url_names


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


@pytest.fixture
def world(request, home_unit, other_unit):
    """The objects the routes point at, built by every app's matrix `setup`."""
    world = SimpleNamespace(home_unit=home_unit, other_unit=other_unit)
    for persona in PERSONAS:
        setattr(world, persona, request.getfixturevalue(persona))
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


@pytest.mark.parametrize(
    "route", sorted(ROUTES.values(), key=lambda r: r.name), ids=lambda r: r.name
)
def test_route_answers_each_persona_as_the_matrix_says(client, world, route):
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    failures = []
    for persona in ("anonymous", *PERSONAS):
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
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
