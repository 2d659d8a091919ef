"""Scoring a whole round: every unit, ranks within groups, area ranks."""

from __future__ import annotations

import pickle

import pytest

from parindex.engine import Answer, EngineError, NotApplicable, Percent, Points, score_round
from parindex.engine.tests.builders import D, branch, leaf, make_set, tiers

INDEX_SET = make_set(
    branch("A", leaf("A.1", 6), leaf("A.2", 4, not_applicable="exclude")),
    branch("S", leaf("S.1", 10, source="survey", rule={"type": "proportional"})),
)


def unit(a1: str, a2: str | None = None) -> dict[str, Answer]:
    answers: dict[str, Answer] = {"A.1": Points(D(a1))}
    if a2 is not None:
        answers["A.2"] = NotApplicable() if a2 == "na" else Points(D(a2))
    return answers


ANSWERS = {
    "SO-TC": unit("6", "4"),  # 10 + survey
    "SO-TP": unit("5", "4"),
    "SO-XD": unit("5", "4"),
    "XA-01": unit("3", "na"),
    "XA-02": unit("6", "na"),
}
SURVEY = {code: {"S.1": Percent(D("80"))} for code in ANSWERS}
GROUPS = {code: code.split("-")[0] for code in ANSWERS}


def test_every_unit_is_scored_and_ranked_in_its_group():
    scores = score_round(INDEX_SET, ANSWERS, GROUPS, SURVEY)
    assert {code: score.index_percent for code, score in scores.units.items()} == {
        "SO-TC": D("90.00"),
        "SO-TP": D("85.00"),
        "SO-XD": D("85.00"),
        "XA-01": D("68.75"),
        "XA-02": D("87.50"),
    }
    assert scores.ranks == {"SO-TC": 1, "SO-TP": 2, "SO-XD": 2, "XA-01": 2, "XA-02": 1}
    assert scores.ranked() == ["SO-TC", "SO-TP", "SO-XD", "XA-02", "XA-01"]
    assert scores.peers("XA-01") == ["XA-01", "XA-02"]


def test_without_groups_all_units_rank_together():
    scores = score_round(INDEX_SET, ANSWERS, survey_by_unit=SURVEY)
    assert scores.ranks == {"SO-TC": 1, "SO-TP": 3, "SO-XD": 3, "XA-01": 5, "XA-02": 2}
    assert set(scores.groups.values()) == {None}


def test_area_ranks_leave_out_units_without_a_percent():
    index_set = make_set(
        branch("A", leaf("A.1", 2, not_applicable="exclude")), branch("Z", leaf("Z.1", 2))
    )
    answers: dict[str, dict[str, Answer]] = {
        "U1": {"A.1": NotApplicable(), "Z.1": Points(D("1"))},
        "U2": {"A.1": Points(D("1")), "Z.1": Points(D("2"))},
        "U3": {"A.1": Points(D("2")), "Z.1": Points(D("1"))},
    }
    area_ranks = score_round(index_set, answers).area_ranks
    assert area_ranks == {"A": {"U2": 2, "U3": 1}, "Z": {"U1": 2, "U2": 1, "U3": 2}}


def test_an_error_names_the_unit_it_came_from():
    answers = {**ANSWERS, "XA-03": {"A.1": Points(D("7"))}}
    with pytest.raises(EngineError, match="^unit XA-03 criterion A.1: ") as raised:
        score_round(INDEX_SET, answers)
    assert (raised.value.unit_code, raised.value.node_code) == ("XA-03", "A.1")


def test_survey_values_for_an_unknown_unit_are_refused():
    with pytest.raises(EngineError, check=lambda exception: exception.code == "unknown_unit"):
        score_round(INDEX_SET, ANSWERS, survey_by_unit={"XA-99": {}})


def test_peers_of_an_unknown_unit_are_refused():
    scores = score_round(INDEX_SET, ANSWERS)
    with pytest.raises(EngineError, match="XA-99") as refused:
        scores.peers("XA-99")
    assert refused.value.code == "unknown_unit"


def test_results_survive_pickling():
    scores = score_round(INDEX_SET, ANSWERS, GROUPS, SURVEY)
    copy = pickle.loads(pickle.dumps(scores))
    assert copy == scores
    assert copy.units["XA-01"].node("A.2") == scores.units["XA-01"].node("A.2")
    assert pickle.loads(pickle.dumps(INDEX_SET)).criterion("S.1") == INDEX_SET.criterion("S.1")


def test_one_answer_object_shared_by_units_and_leaves_scores_per_leaf():
    """Callers share answer objects among units (the engine evaluates each once per leaf):
    the same object still scores by the rule of the leaf it answers."""
    index_set = make_set(
        branch(
            "A",
            leaf("A.1", 4),
            leaf("A.2", 10, rule={"type": "proportional"}),
            leaf("A.3", 10, rule=tiers((100, 10), (50, 2))),
        )
    )
    fifty, points = Percent(D("50")), Points(D("4"))
    answers = {code: {"A.1": points, "A.2": fifty, "A.3": fifty} for code in ("X", "Y")}
    scores = score_round(index_set, answers)
    for code in ("X", "Y"):
        score = scores.units[code]
        assert [score.leaf_points(leaf) for leaf in ("A.1", "A.2", "A.3")] == [4, 5, 2]
