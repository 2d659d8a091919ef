"""Analysis from plain inputs: comparison across a merger, lost points, headroom, what-if."""

from __future__ import annotations

from decimal import Decimal as D

from parindex.results import analysis
from parindex.results.computing import compute
from parindex.results.tests.factories import SMALL_SET

FULL = {
    "1.1": {"choice": "Đúng hạn"},
    "1.2": {"points": "3"},
    "2.1": {"points": "3"},
    "2.2": {"points": "2"},
}
SURVEY = {"3.1": {"percent": "100"}}


def inputs(year, units, answers, survey=None):
    """Round inputs of one unit type in the snapshot's shape."""
    return {
        "round": {"code": f"R{year}", "year": year, "name": f"Năm {year}"},
        "unit_types": [
            {
                "code": "SO",
                "name": "Sở",
                "index_set": SMALL_SET,
                "units": units,
                "answers": answers,
                "survey": survey or {u["code"]: SURVEY for u in units},
            }
        ],
    }


def unit(code, previous=()):
    return {"code": code, "name": f"Đơn vị {code}", "group": "SO", "previous_codes": list(previous)}


def test_the_change_follows_a_merged_unit_to_its_predecessor():
    before = compute(
        inputs(
            2024,
            [unit("A"), unit("B"), unit("C")],
            {
                "A": {**FULL, "1.2": {"points": "1"}},
                "B": FULL,
                "C": {**FULL, "1.2": {"points": "2"}},
            },
        ),
        is_provisional=False,
    )
    # In 2025 A and B merged into AB, which counts A as its predecessor.
    after = compute(
        inputs(
            2025,
            [unit("AB", ["A", "B"]), unit("C", ["C"])],
            {"AB": FULL, "C": {**FULL, "1.2": {"points": "0"}}},
        ),
        is_provisional=True,
    )
    comparison = analysis.compare(before, after)["SO"]
    rows = {row.unit_code: row for row in analysis.ranking(after.types["SO"], comparison)}
    assert rows["AB"].previous_rank == 3  # A was third (18/20 = 90.00)
    assert rows["AB"].index_change == D("10.00")
    assert rows["AB"].rank_change == 2
    assert rows["C"].index_change == D("-10.00")
    assert rows["C"].rank_change == 0


def test_lost_points_rank_the_criteria_where_most_points_were_lost():
    results = compute(
        inputs(
            2024,
            [unit("A"), unit("B")],
            {"A": {**FULL, "1.2": {"points": "1"}}, "B": {**FULL, "2.2": {"points": "1.5"}}},
        ),
        is_provisional=False,
    )
    lost = [row for row in analysis.lost_points(results.types["SO"]) if row.lost_points]
    assert [(row.code, row.lost_points) for row in lost[:2]] == [
        ("1", D("2.00")),
        ("1.2", D("2.00")),
    ]
    assert {row.code for row in lost} == {"1", "1.2", "2", "2.2"}


def test_headroom_and_what_if_show_the_new_index_band_and_rank():
    results = compute(
        inputs(
            2024,
            [unit("A"), unit("B")],
            {
                "A": {**FULL, "1.2": {"points": "0"}, "2.1": {"points": "1"}},
                "B": {**FULL, "1.2": {"points": "2"}},
            },
        ),
        is_provisional=False,
    )
    so = results.types["SO"]
    assert [line.code for line in analysis.headroom(so, "A")] == ["1.2", "2.1"]
    outcome = analysis.what_if(so, "A", ["1.2"])
    assert outcome.after.index_percent == D("90.00")
    assert outcome.after.band.name == "Tốt"
    assert (outcome.rank_before, outcome.rank_after) == (2, 2)
    outcome = analysis.what_if(so, "A", ["1", "2"])
    assert outcome.after.index_percent == D("100.00")
    assert outcome.rank_after == 1


def test_heat_classes_never_rely_on_colour_alone():
    assert analysis.heat_class(None) == "heat-na"
    assert analysis.heat_class(D("90")) == "heat-4"
    assert analysis.heat_class(D("49.99")) == "heat-0"


def test_bonus_cannot_lift_the_total_above_the_effective_maximum():
    results = compute(
        inputs(
            2024,
            [unit("A"), unit("B")],
            {"A": {**FULL, "B": {"points": "1"}}, "B": {**FULL, "P": {"points": "2"}}},
        ),
        is_provisional=False,
    )
    a, b = results.types["SO"].score("A"), results.types["SO"].score("B")
    assert (a.bonus_points, a.points, a.index_percent) == (D("1.00"), D("20.00"), D("100.00"))
    assert (b.penalty_points, b.points, b.index_percent) == (D("2.00"), D("18.00"), D("90.00"))


def _row(code: str, areas: list[analysis.AreaCell]) -> analysis.RankingRow:
    return analysis.RankingRow(
        rank=1,
        unit_code=code,
        unit_name="Xã A",
        group="XA",
        points=D("85.95"),
        max_points=D("100"),
        index_percent=D("85.95"),
        band_code="TOT",
        band_name="Tốt",
        areas=areas,
    )


def test_ranking_rows_travel_packed_and_come_back_equal_with_one_copy_of_the_labels():
    import pickle

    def areas(percent):
        return [
            analysis.AreaCell("I", "Công tác | chỉ đạo; điều hành", percent, D("7.50"), D("10")),
            analysis.AreaCell("II", "Thể chế", None, D("0"), D("0")),  # wholly not applicable
        ]

    rows = (_row("A", areas(D("75.00"))), _row("B", areas(D("0"))))
    back = pickle.loads(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL))
    assert all("areas" not in vars(row) for row in back)  # unpacked only when read
    assert back == rows
    assert back[0].areas[1].percent is None and back[1].areas[0].percent == D("0")
    labels = [vars(row)["_packed_areas"][0] for row in pickle.loads(pickle.dumps(rows))]
    assert labels[0] is labels[1]  # the labels are pickled once for every row
