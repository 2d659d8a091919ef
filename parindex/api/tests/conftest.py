"""Fixtures of the API tests: tokens with chosen scopes, and a client that sends them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client

from parindex.api import services
from parindex.api.scopes import Scope
from parindex.monitoring.tests.fixtures import (  # noqa: F401 (fixtures the tests ask for)
    clock,
    home_document,
    home_progress,
    plan,
    quarterly,
    task,
)

ALL_SCOPES = tuple(scope.value for scope in Scope)
_numbers = itertools.count(1)


def make_token(by, *scopes: str, name: str = "", units=(), days: int = 30) -> str:
    """A new token's secret (every scope when none is given)."""
    created = services.create_token(
        by=by,
        name=name or f"Client {next(_numbers)}",
        scopes=scopes or ALL_SCOPES,
        expires_on=dt.date.today() + dt.timedelta(days=days),
        units=units,
        today=dt.date.today(),
    )
    return created.secret


class TokenClient(Client):
    """A test client that sends `Authorization: Bearer <secret>` on every request."""

    def __init__(self, secret: str, **defaults) -> None:
        super().__init__(headers={"Authorization": f"Bearer {secret}"}, **defaults)


@pytest.fixture
def token_client(par_officer):
    """Make a client with a token of the given scopes: `token_client("results:read")`."""

    def build(*scopes: str, units=()) -> TokenClient:
        return TokenClient(make_token(par_officer, *scopes, units=units))

    return build
