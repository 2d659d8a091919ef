"""The benchmark's generated round is what it claims, and `run` yields runner rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.engine import bench, parse_index_set, score_round


def test_the_national_set_has_150_leaves_a_third_of_the_points_from_the_survey():
    index_set = parse_index_set(bench.national_spec())
    leaves = list(index_set.leaves())
    survey = sum((leaf.max_points for leaf in leaves if leaf.source == "survey"), Decimal(0))
    assert len(leaves) == 150
    assert abs(survey / index_set.max_points - Decimal(1) / 3) < Decimal("0.01")
    assert {leaf.scoring_rule.type for leaf in leaves} == {
        "range",
        "choice",
        "percent_tiers",
        "proportional",
        "deduction",
    }
    assert [node.kind for node in index_set.criteria[-2:]] == ["bonus", "penalty"]


def test_the_generated_round_is_seeded_and_scores():
    index_set = parse_index_set(bench.national_spec())
    first = bench.generate_round(index_set, units=12)
    assert first == bench.generate_round(index_set, units=12)
    answers, survey, groups = first
    scores = score_round(index_set, answers, groups, survey)
    assert len(scores.units) == 12
    assert bench.score_national(index_set, answers, survey, groups) == 12 * 150


def test_run_yields_the_two_benchmark_rows(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bench, "UNITS", 5)
    monkeypatch.setattr(bench, "REPEATS", 1)
    rows = list(bench.run())
    assert [(name, unit) for name, _, unit in rows] == [
        ("engine_national", "s"),
        ("engine_rate", "scores/s"),
    ]
    assert isinstance(rows[0][1], float) and isinstance(rows[1][1], int)
