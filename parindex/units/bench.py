"""Benchmarks of the unit registry at national scale: 34 provinces, 3,300 communes that each came
from merging three former communes on 1 July 2025 (about 13,000 units and 3,300 reorganisations)."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Iterator

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.core.bench import Figure, median_ms

PROVINCES = 34
COMMUNES = 3300
FORMER_PER_COMMUNE = 3
REFORM = dt.date(2025, 7, 1)


def _build() -> list:
    """The national registry, written in bulk (the services would take minutes at this size)."""
    from parindex.units.models import Reorganisation, ReorganisationUnit, Unit, UnitType

    types = {
        code: UnitType.objects.get_or_create(code=code, defaults={"name": code})[0]
        for code in ("TINH", "XA")
    }
    provinces = Unit.objects.bulk_create(
        Unit(code=f"T{number:02d}", name=f"Tỉnh {number}", unit_type=types["TINH"])
        for number in range(PROVINCES)
    )
    former, current = [], []
    for number in range(COMMUNES):
        province = provinces[number % PROVINCES]
        current.append(
            Unit(
                code=f"X{number:05d}",
                name=f"UBND xã {number}",
                unit_type=types["XA"],
                parent=province,
                active_from=REFORM,
            )
        )
        former += [
            Unit(
                code=f"X{number:05d}-{letter}",
                name=f"UBND xã cũ {number}{letter}",
                unit_type=types["XA"],
                parent=province,
                active_to=REFORM,
            )
            for letter in "abc"[:FORMER_PER_COMMUNE]
        ]
    current = Unit.objects.bulk_create(current)
    former = Unit.objects.bulk_create(former)
    events = Reorganisation.objects.bulk_create(
        Reorganisation(kind="merge", effective_date=REFORM, legal_basis="Nghị quyết (bench)")
        for _ in current
    )
    links = []
    for index, (event, commune) in enumerate(zip(events, current, strict=True)):
        links.append(ReorganisationUnit(reorganisation=event, unit=commune, role="after"))
        for unit in former[index * FORMER_PER_COMMUNE : (index + 1) * FORMER_PER_COMMUNE]:
            links.append(ReorganisationUnit(reorganisation=event, unit=unit, role="before"))
    ReorganisationUnit.objects.bulk_create(links)
    return current


def run() -> Iterator[Figure]:
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.units import queries, services

    communes = _build()
    viewer = user_with_role("bench-units-viewer", Role.VIEWER)
    client = Client()
    client.force_login(viewer)
    assert client.get("/units/").status_code == 200, "the registry must render for the benchmark"
    with CaptureQueriesContext(connection) as captured:
        client.get("/units/", {"type": "XA", "sort": "name"})
    registry = median_ms(lambda: client.get("/units/", {"type": "XA", "sort": "name"}), repeat=30)
    # typed without marks and in capitals, folded in the database (decision 42)
    search = median_ms(lambda: client.get("/units/", {"q": "UBND XA 12"}), repeat=30)
    lineage = median_ms(lambda: client.get(f"/units/{communes[0].pk}/lineage/"), repeat=30)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as lineage_queries:
        found = queries.predecessors_on_many(communes, 2024)
    predecessors = (time.perf_counter() - start) * 1000
    assert all(len(units) == FORMER_PER_COMMUNE for units in found.values())
    start = time.perf_counter()
    codes = queries.predecessor_codes_on_many(communes, 2024)
    predecessor_codes = (time.perf_counter() - start) * 1000
    assert all(len(found) == FORMER_PER_COMMUNE for found in codes.values())
    rows = [["code", "name", "unit_type", "parent_code", "peer_group"]] + [
        [f"N{number:05d}", f"UBND xã mới {number}", "XA", f"T{number % PROVINCES:02d}", "XA-DB"]
        for number in range(COMMUNES)
    ]
    start = time.perf_counter()
    services.import_units(by=None, rows=rows, dry_run=True)
    import_check = (time.perf_counter() - start) * 1000
    yield "units_registry_list_3300", round(registry, 2), "ms"
    yield "units_registry_list_queries", len(captured.captured_queries), "queries"
    yield "units_registry_search_unaccented", round(search, 2), "ms"
    yield "units_lineage_page", round(lineage, 2), "ms"
    yield "units_predecessors_of_3300_communes", round(predecessors, 1), "ms"
    yield "units_predecessors_of_3300_communes_queries", len(lineage_queries), "queries"
    # as a round's results match last year's (results.queries.round_inputs): codes only
    yield "units_predecessor_codes_of_3300_communes", round(predecessor_codes, 1), "ms"
    yield "units_import_check_3300_rows", round(import_check, 1), "ms"
    yield from _forms_naming_units()


# Forms that name units among the whole registry take codes with suggestions (decisions 41, 43):
# their weight must not grow with the registry (at 13,000 units a select weighed 200-640 KB).
FORMS_NAMING_UNITS = {
    "reorganise_merge_form": "/units/reorganise/merge/",
    "account_form": "/accounts/users/new/",
    "api_token_form": "/api/tokens/",
}


def _forms_naming_units() -> Iterator[Figure]:
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role

    office = Client()
    office.force_login(user_with_role("bench-units-officer", Role.PAR_OFFICER))
    for name, url in FORMS_NAMING_UNITS.items():
        response = office.get(url)
        assert response.status_code == 200, f"{url} must render for the benchmark"
        page = median_ms(functools.partial(office.get, url), repeat=10)
        yield f"units_{name}", round(page, 2), "ms"
        yield f"units_{name}_size", round(len(response.content) / 1024), "KB"
