"""The permission matrix of the API: every endpoint × every scope.

A token holding every scope but the endpoint's gets 403; a token holding only the endpoint's
scope gets past the check (whatever the answer then: 200, 404, 422). Every operation of the
schema has a line here, so a new endpoint without a scope check fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from parindex.api.scopes import Scope
from parindex.api.tests.conftest import ALL_SCOPES, TokenClient, make_token
from parindex.api.v1 import api

# (method, path, the scope it needs, body)
ENDPOINTS: list[tuple[str, str, Scope, Any]] = [
    ("get", "/api/v1/indexsets", Scope.READ_INDEXSETS, None),
    ("get", "/api/v1/indexsets/X", Scope.READ_INDEXSETS, None),
    ("get", "/api/v1/units", Scope.READ_UNITS, None),
    ("get", "/api/v1/units/HOME", Scope.READ_UNITS, None),
    ("get", "/api/v1/rounds", Scope.READ_ROUNDS, None),
    ("get", "/api/v1/rounds/X", Scope.READ_ROUNDS, None),
    ("get", "/api/v1/rounds/X/results", Scope.READ_RESULTS, None),
    ("get", "/api/v1/national/tables", Scope.READ_NATIONAL, None),
    ("get", "/api/v1/national/tables/2024", Scope.READ_NATIONAL, None),
    ("get", "/api/v1/national/analysis?year=2024", Scope.READ_NATIONAL, None),
    ("get", "/api/v1/monitoring/rates?year=2026", Scope.READ_MONITORING, None),
    ("get", "/api/v1/monitoring/plans", Scope.READ_MONITORING, None),
    ("get", "/api/v1/monitoring/plans/X", Scope.READ_MONITORING, None),
    ("get", "/api/v1/monitoring/progress/1", Scope.READ_MONITORING, None),
    ("get", "/api/v1/surveys/results?questionnaire=X", Scope.READ_SURVEYS, None),
    ("post", "/api/v1/rounds/X/scores", Scope.WRITE_SCORES, {"rows": []}),
    (
        "post",
        "/api/v1/monitoring/progress",
        Scope.WRITE_MONITORING,
        {"plan": "X", "task": "1", "unit": "HOME", "status": "in_progress"},
    ),
    (
        "post",
        "/api/v1/monitoring/submissions",
        Scope.WRITE_MONITORING,
        {"report_type": "X", "unit": "HOME", "period": "2026", "submitted_on": "2026-01-02"},
    ),
    ("post", "/api/v1/documents", Scope.WRITE_EVIDENCE, "form"),
]


def _call(client, method, path, body):
    if method == "get":
        return client.get(path)
    if body == "form":
        return client.post(path, {"unit": "HOME", "title": "Văn bản"})
    return client.post(path, body, content_type="application/json")


def test_every_operation_of_the_schema_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    listed = {(method, path.split("?")[0]) for method, path, _scope, _body in ENDPOINTS}
    templated = {
        (method, path)
        for method, path in operations
        if any(
            method == listed_method
            and len(path.split("/")) == len(listed_path.split("/"))
            and all(
                part == other or part.startswith("{")
                for part, other in zip(path.split("/"), listed_path.split("/"), strict=True)
            )
            for listed_method, listed_path in listed
        )
    }
    assert templated == operations


@pytest.mark.parametrize(
    ("method", "path", "scope", "body"),
    ENDPOINTS,
    ids=[f"{method} {path}" for method, path, _scope, _body in ENDPOINTS],
)
def test_each_endpoint_needs_its_scope_and_only_it(
    par_officer, home_unit, method, path, scope, body
):
    others = [value for value in ALL_SCOPES if value != scope]
    without = TokenClient(make_token(par_officer, *others))
    refused = _call(without, method, path, body)
    assert refused.status_code == 403, refused.content
    assert scope.value in refused.json()["detail"]
    only = TokenClient(make_token(par_officer, scope.value))
    answered = _call(only, method, path, body)
    assert answered.status_code in (200, 404, 422), answered.content


@pytest.mark.parametrize("scope", [scope.value for scope in Scope])
def test_a_token_of_one_scope_is_refused_everywhere_else(par_officer, home_unit, scope):
    client = TokenClient(make_token(par_officer, scope))
    for method, path, needed, body in ENDPOINTS:
        status = _call(client, method, path, body).status_code
        if needed == scope:
            assert status != 403, f"{method} {path}"
        else:
            assert status == 403, f"{method} {path} answered {status} to {scope}"
