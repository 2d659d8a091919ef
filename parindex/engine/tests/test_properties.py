"""Properties that hold for any valid index set and any valid answers."""

from __future__ import annotations

import pickle
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.engine import (
    Kind,
    NotApplicable,
    Points,
    competition_ranks,
    parse_index_set,
    ranks_within,
    round_percent,
    score_round,
    score_unit,
    to_spec,
)
from parindex.engine.decimals import percent_of
from parindex.engine.tests.builders import D, branch, leaf, make_set
from parindex.engine.tests.strategies import band_specs, index_sets, unit_answers

# Few examples keep the engine suite fast; no example database is written into the checkout.
FEW = settings(max_examples=20, deadline=None, database=None)


@FEW
@given(st.data())
def test_a_unit_score_comes_back_from_a_pickle_with_every_figure(data):
    """A score is pickled as its leaf points and computed again when loaded: the same result,
    down to every criterion's figures and the band."""
    index_set = data.draw(index_sets(has_excludable=True))
    score = score_unit(index_set, *data.draw(unit_answers(index_set)))
    copy = pickle.loads(pickle.dumps(score, pickle.HIGHEST_PROTOCOL))
    assert copy == score
    assert copy.nodes == score.nodes
    assert copy.band == score.band
    assert [copy.leaf_points(leaf.code) for leaf in index_set.leaves()] == [
        score.leaf_points(leaf.code) for leaf in index_set.leaves()
    ]


@FEW
@given(st.data())
def test_a_unit_score_stays_in_bounds_and_adds_up(data):
    # One generated unit checks several invariants: generating trees is what costs time.
    index_set = data.draw(index_sets())
    score = score_unit(index_set, *data.draw(unit_answers(index_set)))
    applicable = [
        node
        for area in index_set.areas
        for node in area.leaves()
        if score.leaf_points(node.code) is not None
    ]
    # the effective max is the max of the leaves not excluded
    assert score.max_points == sum((node.max_points for node in applicable), Decimal(0))
    # the total is base + bonus − penalty, clamped to [0, effective max]
    total = score.base_points + score.bonus_points - score.penalty_points
    assert score.points == min(max(total, 0), score.max_points)
    assert 0 <= score.points <= score.max_points
    assert 0 <= score.index_percent <= 100
    # lost points over the leaves add up to the max minus the points (before bonus/penalty)
    lost = sum(
        (score.node(node.code).lost_points for area in index_set.areas for node in area.leaves()),
        Decimal(0),
    )
    assert lost == score.max_points - score.base_points
    assert all(node.lost_points >= 0 for node in score.nodes.values())


@FEW
@given(st.data())
def test_excluding_one_leaf_changes_no_other_leaf(data):
    index_set = data.draw(index_sets(has_excludable=True))
    answers, survey = data.draw(unit_answers(index_set))
    excludable = [node for node in index_set.leaves() if node.not_applicable == "exclude"]
    target = data.draw(st.sampled_from(excludable))
    values = survey if target.source == "survey" else answers
    before = score_unit(index_set, answers, survey)
    values[target.code] = NotApplicable()
    after = score_unit(index_set, answers, survey)
    for node in index_set.leaves():
        if node.code != target.code:
            assert after.leaf_points(node.code) == before.leaf_points(node.code)
    assert after.node(target.code).is_excluded


@FEW
@given(st.data())
def test_a_round_scores_each_unit_as_score_unit_does(data):
    index_set = data.draw(index_sets())
    units = {
        f"U{i}": data.draw(unit_answers(index_set)) for i in range(data.draw(st.integers(1, 4)))
    }
    _each_scores_in_the_round_as_alone(index_set, units)


def _each_scores_in_the_round_as_alone(index_set, units) -> None:
    scores = score_round(
        index_set,
        {unit: answers for unit, (answers, _) in units.items()},
        survey_by_unit={unit: survey for unit, (_, survey) in units.items()},
    )
    for unit, (answers, survey) in units.items():
        assert scores.units[unit] == score_unit(index_set, answers, survey)


@FEW
@given(st.data())
def test_units_sharing_answer_objects_score_as_each_would_alone(data):
    """A round's callers share one answer object among units (and the engine evaluates it
    once per leaf): each unit still scores as if alone."""
    index_set = data.draw(index_sets())
    drawn = [data.draw(unit_answers(index_set)) for _ in range(3)]
    units = {}
    for i in range(data.draw(st.integers(1, 6))):
        answers: dict = {}
        survey: dict = {}
        for node in index_set.leaves():
            answers_of, survey_of = drawn[data.draw(st.integers(0, 2))]
            for source, target in ((answers_of, answers), (survey_of, survey)):
                if node.code in source:
                    target[node.code] = source[node.code]
        units[f"U{i}"] = (answers, survey)
    _each_scores_in_the_round_as_alone(index_set, units)


@FEW
@given(index_sets())
def test_the_canonical_spec_reads_back_into_the_same_index_set(index_set):
    spec = to_spec(index_set)
    assert parse_index_set(spec) == index_set
    assert to_spec(parse_index_set(spec)) == spec


PUBLISHED = st.integers(0, 10_000).map(lambda h: Decimal(h).scaleb(-2))


@FEW
@given(
    st.dictionaries(
        st.integers(0, 20),
        st.sampled_from([D("90"), D("85.5"), D("85.50"), D("70")]) | PUBLISHED,
    )
)
def test_rank_is_one_more_than_the_number_of_better_values(values):
    ranks = competition_ranks(values)
    for unit, value in values.items():
        assert ranks[unit] == 1 + sum(1 for other in values.values() if other > value)
        assert all(ranks[other] == ranks[unit] for other in values if values[other] == value)


@FEW
@given(st.dictionaries(st.integers(0, 30), st.tuples(st.sampled_from("ABC"), PUBLISHED)))
def test_ranks_within_groups_only_count_better_values_in_the_group(units):
    values = {unit: value for unit, (_, value) in units.items()}
    groups = {unit: group for unit, (group, _) in units.items()}
    ranks = ranks_within(values, groups)
    for unit, value in values.items():
        better = [
            other for other in values if groups[other] == groups[unit] and values[other] > value
        ]
        assert ranks[unit] == 1 + len(better)


@FEW
@given(band_specs(), st.integers(0, 10_000), st.integers(0, 10_000))
def test_bands_are_monotone_in_the_index(bands, first, second):
    index_set = make_set(branch("A", leaf("A.1", 100)), bands=bands)
    low, high = sorted((first, second))
    band_low = score_unit(index_set, {"A.1": Points(Decimal(low).scaleb(-2))}).band
    band_high = score_unit(index_set, {"A.1": Points(Decimal(high).scaleb(-2))}).band
    assert index_set.bands.index(band_low) >= index_set.bands.index(band_high)
    assert band_low.min_percent <= Decimal(low).scaleb(-2)


ROUNDING = {
    "half-goes-up": ("85.945", "85.95"),
    "below-half-goes-down": ("85.944999", "85.94"),
    "half-up-not-half-even": ("85.925", "85.93"),
    "half-up-after-odd": ("85.935", "85.94"),
    "whole": ("100", "100.00"),
    "smallest-half": ("0.005", "0.01"),
    "just-below-smallest-half": ("0.004999", "0.00"),
}


@pytest.mark.parametrize(("value", "expected"), ROUNDING.values(), ids=ROUNDING.keys())
def test_round_percent_is_half_up(value, expected):
    assert round_percent(D(value)) == D(expected)


def test_round_percent_ignores_the_callers_decimal_context():
    with localcontext() as context:
        context.prec, context.rounding = 3, ROUND_DOWN
        assert round_percent(D("85.945")) == D("85.95")
        assert percent_of(17_189, 20_000) == D("85.95")


@FEW
@given(st.integers(0, 10**9), st.integers(0, 7))
def test_round_percent_matches_decimal_half_up(digits, places):
    value = Decimal(digits).scaleb(-places)
    with localcontext() as context:
        context.prec = 50
        assert round_percent(value) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@FEW
@given(st.integers(0, 10**7), st.integers(1, 10**7))
def test_a_published_percentage_is_the_exact_ratio_rounded_once(points_h, max_h):
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(points_h * 100) / Decimal(max_h)
    assert percent_of(points_h, max_h) == round_percent(exact)


def test_kinds_outside_the_max_are_only_bonus_and_penalty():
    assert {kind.value for kind in Kind} == {"normal", "bonus", "penalty"}
