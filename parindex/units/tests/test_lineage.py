"""Lineage queries: what a unit corresponds to in an earlier (or later) year, through merges,
splits, chains of both and renames, in a few queries whatever the number of units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from parindex.units import queries, services
from parindex.units.tests.factories import make_unit, unit_type

pytestmark = pytest.mark.django_db

BASIS = "Quyết định minh họa"
Y2023, Y2025, Y2026 = dt.date(2023, 7, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1)


def new(code: str) -> services.NewUnit:
    return services.NewUnit(code=code, name=f"Đơn vị {code}", unit_type=unit_type("XA"))


def merge(codes: str, into: str, day: dt.date, units: dict) -> None:
    """Merge the units named by letters into a new unit (or an existing one, if known)."""
    arguments: dict[str, Any] = {
        "predecessors": [units[code] for code in codes],
        "effective_date": day,
    }
    if into in units:
        arguments["successor"] = units[into]
    else:
        arguments["new_unit"] = new(into)
    event = services.merge_units(by=None, legal_basis=BASIS, **arguments)
    units[into] = event.links.get(role="after").unit


def split(code: str, into: str, day: dt.date, units: dict) -> None:
    event = services.split_unit(
        by=None,
        predecessor=units[code],
        new_units=[new(letter) for letter in into if letter not in units],
        successors=[units[letter] for letter in into if letter in units],
        effective_date=day,
        legal_basis=BASIS,
    )
    for link in event.links.filter(role="after").select_related("unit"):
        units[link.unit.code] = link.unit


def rename(code: str, day: dt.date, units: dict) -> None:
    services.rename_unit(
        by=None, unit=units[code], new_name=f"Tên mới {code}", effective_date=day, legal_basis=BASIS
    )


def build(history: list[tuple], start: str) -> dict:
    units = {code: make_unit(code) for code in start}
    actions: dict[str, Callable[..., None]] = {"merge": merge, "split": split, "rename": rename}
    for action, *arguments in history:
        actions[action](*arguments, units)
    return units


CASES = [
    # history, unit asked about, year (or date), expected codes
    ([("merge", "AB", "C", Y2025)], "C", 2024, ["A", "B"]),
    ([("merge", "AB", "C", Y2025)], "C", 2025, ["C"]),
    ([("merge", "AB", "C", Y2025)], "C", Y2025, ["C"]),
    ([("merge", "AB", "C", Y2025)], "C", Y2025 - dt.timedelta(days=1), ["A", "B"]),
    ([("merge", "B", "A", Y2025)], "A", 2024, ["A", "B"]),
    ([("split", "A", "PQ", Y2025)], "P", 2024, ["A"]),
    ([("split", "A", "PQ", Y2025)], "Q", 2024, ["A"]),
    ([("merge", "AB", "C", Y2023), ("split", "C", "PQ", Y2025)], "P", 2022, ["A", "B"]),
    ([("merge", "AB", "C", Y2023), ("split", "C", "PQ", Y2025)], "P", 2024, ["C"]),
    ([("split", "A", "PQ", Y2023), ("merge", "QD", "E", Y2025)], "E", 2022, ["A", "D"]),
    ([("split", "A", "PQ", Y2023), ("merge", "QD", "E", Y2025)], "E", 2024, ["D", "Q"]),
    (
        [("merge", "AB", "C", Y2023), ("merge", "CD", "E", Y2025), ("split", "E", "FG", Y2026)],
        "F",
        2022,
        ["A", "B", "D"],
    ),
    ([("rename", "A", Y2025)], "A", 2024, ["A"]),
    # by name in Vietnamese order: "Đơn vị B" before "Tên mới A"
    ([("rename", "A", Y2023), ("merge", "AB", "C", Y2025)], "C", 2022, ["B", "A"]),
    ([], "A", 2020, ["A"]),
]
IDS = [
    "merge",
    "merge-same-year-end",
    "merge-on-effective-date",
    "merge-day-before",
    "merge-into-existing",
    "split-first",
    "split-second",
    "merge-then-split",
    "merge-then-split-middle-year",
    "split-then-merge",
    "split-then-merge-middle-year",
    "merge-merge-split",
    "rename",
    "rename-then-merge",
    "no-reorganisation",
]


@pytest.mark.parametrize(("history", "unit", "when", "expected"), CASES, ids=IDS)
def test_predecessors_on(history, unit, when, expected):
    units = build(history, start="ABD")
    found = queries.predecessors_on(units[unit], when)
    assert [item.code for item in found] == expected


@pytest.mark.parametrize(("history", "unit", "when", "expected"), CASES, ids=IDS)
def test_predecessor_codes_put_the_unit_first_when_it_existed_then_the_others_by_code(
    history, unit, when, expected
):
    units = build(history, start="ABD")
    found = queries.predecessor_codes_on_many([units[unit]], when)
    own = [unit] if unit in expected else []
    assert found == {units[unit].pk: own + sorted(code for code in expected if code != unit)}


def test_a_unit_created_from_nothing_has_no_predecessor_before_it_existed():
    unit = make_unit("NEW", active_from=Y2025)
    assert queries.predecessors_on(unit, 2024) == []
    assert queries.predecessor_codes_on_many([unit], 2024) == {unit.pk: []}


@pytest.mark.parametrize(
    ("history", "unit", "when", "expected"),
    [
        ([("merge", "AB", "C", Y2025)], "A", 2025, ["C"]),
        ([("merge", "AB", "C", Y2025)], "A", 2024, ["A"]),
        ([("split", "A", "PQ", Y2025)], "A", 2026, ["P", "Q"]),
        ([("merge", "AB", "C", Y2023), ("split", "C", "PQ", Y2025)], "A", 2026, ["P", "Q"]),
    ],
    ids=["merge", "before-the-merge", "split", "merge-then-split"],
)
def test_successors_on(history, unit, when, expected):
    units = build(history, start="ABD")
    assert [item.code for item in queries.successors_on(units[unit], when)] == expected


def _province(size: int) -> list:
    """`size` new communes, each the merger of three former ones, like the 2025 reform."""
    result = []
    for number in range(size):
        former = [make_unit(f"OLD-{number}-{letter}") for letter in "abc"]
        event = services.merge_units(
            by=None,
            predecessors=former,
            new_unit=new(f"NEW-{number}"),
            effective_date=Y2025,
            legal_basis=BASIS,
        )
        result.append(event.links.get(role="after").unit)
    return result


@pytest.mark.parametrize("size", [2, 40])
def test_predecessors_of_many_units_take_a_few_queries(size, django_assert_max_num_queries):
    communes = _province(size)
    with django_assert_max_num_queries(3):
        found = queries.predecessors_on_many(communes, 2024)
    assert len(found) == size
    assert all(len(former) == 3 for former in found.values())
    with django_assert_max_num_queries(3):
        codes = queries.predecessor_codes_on_many(communes, 2024)
    assert codes == {pk: sorted(unit.code for unit in units) for pk, units in found.items()}


def test_lineage_lists_every_reorganisation_and_the_counterparts_of_each_year():
    units = build([("merge", "AB", "C", Y2023), ("split", "C", "PQ", Y2025)], start="AB")
    found = queries.lineage(units["P"], until=dt.date(2026, 6, 1))
    assert [event.kind for event in found.events] == ["merge", "split"]
    assert [event.predecessors for event in found.events][0] == [units["A"], units["B"]]
    by_year = {row.year: [unit.code for unit in row.units] for row in found.years}
    assert by_year == {2022: ["A", "B"], 2023: ["C"], 2024: ["C"], 2025: ["P"], 2026: ["P"]}
    assert [row.is_self for row in found.years] == [False, False, False, True, True]


def test_lineage_of_a_unit_never_reorganised_is_empty():
    assert queries.lineage(make_unit("A")).events == []
