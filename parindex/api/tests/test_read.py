"""Read endpoints: the figures are the ones the pages and commands show; published results come
from the snapshot with its SHA-256, and a preview only with the provisional scope."""

from __future__ import annotations

import json

import pytest

from parindex.results.tests.conftest import scored_world


@pytest.fixture
def scored(par_officer, home_unit, other_unit):
    return scored_world(par_officer, home_unit, other_unit)


def test_published_results_are_the_snapshots_figures_and_sha256(token_client, scored):
    response = token_client("results:read").get(f"/api/v1/rounds/{scored.previous.code}/results")
    assert response.status_code == 200
    data = response.json()
    assert data["provisional"] is False
    assert data["sha256"] == scored.snapshot.sha256
    assert data["engine_version"] == scored.snapshot.engine_version
    assert data["unit_types"] == json.loads(scored.snapshot.outputs)["unit_types"]
    ranks = {row["unit_code"]: row["rank"] for row in data["unit_types"][0]["units"]}
    assert set(ranks) == {"HOME", "OTHER", "STP", "STC"}


def test_unpublished_results_are_not_found_without_the_provisional_scope(token_client, scored):
    response = token_client("results:read").get(f"/api/v1/rounds/{scored.current.code}/results")
    assert response.status_code == 404
    assert "not published" in response.json()["detail"]


def test_the_provisional_scope_gives_a_marked_preview(token_client, scored):
    client = token_client("results:read", "results:provisional")
    data = client.get(f"/api/v1/rounds/{scored.current.code}/results").json()
    assert data["provisional"] is True
    assert data["sha256"] is None
    assert {row["unit_code"] for row in data["unit_types"][0]["units"]} == {
        "HOME",
        "OTHER",
        "STP",
        "STC",
    }


def test_a_token_without_the_scope_gets_403(token_client, scored):
    response = token_client("units:read").get(f"/api/v1/rounds/{scored.previous.code}/results")
    assert response.status_code == 403
    assert "results:read" in response.json()["detail"]


def test_rounds_list_their_phases(token_client, scored):
    data = token_client("rounds:read").get("/api/v1/rounds").json()
    by_code = {row["code"]: row for row in data}
    assert by_code[scored.previous.code]["is_published"] is True
    phases = [phase["phase"] for phase in by_code[scored.current.code]["phases"]]
    assert phases == [
        "self_assessment",
        "appraisal",
        "explanation",
        "second_appraisal",
        "council",
        "publication",
    ]
    detail = token_client("rounds:read").get(f"/api/v1/rounds/{scored.current.code}").json()
    assert detail["unit_count"] == 4
    assert detail["index_sets"][0]["unit_type"] == "SO"


def test_an_index_set_is_its_canonical_spec(token_client, scored):
    from parindex import engine
    from parindex.indexsets.queries import engine_index_set

    client = token_client("indexsets:read")
    listed = client.get("/api/v1/indexsets").json()
    assert [row["code"] for row in listed] == [scored.index_set.code]
    data = client.get(f"/api/v1/indexsets/{scored.index_set.code}").json()
    expected = engine.to_spec(engine_index_set(scored.index_set))
    assert {key: value for key, value in data.items() if key != "version"} == json.loads(
        json.dumps(expected, default=str)
    )
    assert client.get("/api/v1/indexsets/NOPE").status_code == 404


def test_a_unit_comes_with_its_lineage(token_client, par_officer):
    import datetime as dt

    from parindex.units import services as unit_services
    from parindex.units.tests.factories import UnitFactory, unit_type

    xa = unit_type("XA")
    first = UnitFactory(code="XA1", name="Xã Một", unit_type=xa)
    second = UnitFactory(code="XA2", name="Xã Hai", unit_type=xa)
    unit_services.merge_units(
        by=par_officer,
        predecessors=[first, second],
        new_unit=unit_services.NewUnit(code="XA12", name="Xã Một Hai", unit_type=xa),
        effective_date=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết 1/NQ-UBTVQH",
    )
    data = token_client("units:read").get("/api/v1/units/XA12").json()
    assert data["reorganisations"][0]["kind"] == "merge"
    assert data["reorganisations"][0]["predecessors"] == ["XA1", "XA2"]
    by_year = {row["year"]: row["units"] for row in data["lineage"]}
    assert sorted(by_year[2024]) == ["XA1", "XA2"]
    assert by_year[2025] == ["XA12"]
    listed = token_client("units:read").get("/api/v1/units?unit_type=XA").json()
    assert {row["code"] for row in listed} == {"XA1", "XA2", "XA12"}
