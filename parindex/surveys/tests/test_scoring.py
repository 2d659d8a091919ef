"""A campaign's scores from its stored responses, and the machine CSV rows."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from django.core.management import CommandError, call_command

from parindex.cli import translate
from parindex.surveys import exports, queries, scoring
from parindex.surveys.tests.factories import add_response, campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def setup(db):
    survey_set()
    so = unit_type("SO")
    units = [UnitFactory(code=code, unit_type=so) for code in ("SNV", "STC", "STP")]
    return campaign(units=units), units


def test_scores_follow_the_contract_per_unit_and_leaf(setup):
    run, (snv, stc, _stp) = setup
    add_response(run, snv, "LDP", {"Q1": "A", "Q2": "B", "Q4": "A"})
    add_response(run, snv, "LDP", {"Q1": "B", "Q2": "X", "Q4": "C"})
    add_response(run, snv, "DN", {"Q1": "C", "Q3": "C", "Q4": ""})
    add_response(run, snv, "DN", {"Q1": "X", "Q3": "K", "Q4": "D"})
    add_response(run, stc, "DN", {"Q1": "D"}, excluded_reason="Trùng phiếu")
    scores = scoring.campaign_scores(run)
    leaf = scores.results["SNV"]["8.1"]
    # Q1: LDP mean 80, DN mean 20 → (2 × 80 + 20) / 3 = 60; Q2: LDP 60 (X not counted)
    assert [q.percent for q in leaf.questions] == [F(60), F(60)]
    assert (leaf.percent, leaf.points, leaf.responses) == (F(60), D("2.40"), 4)
    q3 = scores.results["SNV"]["8.2"]
    assert (q3.percent, q3.points, q3.responses) == (F(50), D("1.00"), 2)
    q4 = scores.results["SNV"]["8.3"]  # LDP 60, DN 0 → (120 + 0) / 3 = 40 → below every tier
    assert (q4.percent, q4.points) == (F(40), D(0))
    # the excluded response leaves STC without data: its leaves score 0 and are listed
    assert scores.results["STC"]["8.1"].percent is None
    assert ("STC", scores.results["STC"]["8.1"]) in scores.without_data
    assert [leaf.code for leaf in scores.design.uncovered] == ["8.4"]


def test_the_machine_csv_rows_have_two_decimals_and_empty_cells_without_data(setup):
    run, (snv, *_rest) = setup
    add_response(run, snv, "LDP", {"Q1": "A", "Q2": "C"})
    add_response(run, snv, "DN", {"Q1": "B"})
    rows = list(exports.result_rows(scoring.campaign_scores(run)))
    assert rows[0] == ["unit_code", "criterion_code", "responses", "percent", "points"]
    # Q1: (2 × 100 + 60) / 3 = 86.666…; Q2: 20 → leaf (86.666… + 20) / 2 = 53.333…
    assert rows[1] == ["SNV", "8.1", 3, "53.33", "2.13"]
    assert rows[2] == ["SNV", "8.2", 0, "", "0.00"]
    # every unit the round scores on the set has its rows, with or without responses
    assert [row[0] for row in rows[1:]] == ["SNV"] * 3 + ["STC"] * 3 + ["STP"] * 3


def test_scoring_a_campaign_takes_a_bounded_number_of_queries(setup, django_assert_max_num_queries):
    run, units = setup
    for unit in units:
        add_response(run, unit, "LDP", {"Q1": "A", "Q2": "B", "Q4": "A"})
    run = queries.campaign_by_code("XHH-SO-T")
    with django_assert_max_num_queries(12):
        scoring.campaign_scores(run)


def test_the_campaign_is_found_by_code_and_round(setup):
    run, _units = setup
    assert queries.campaign_by_code("XHH-SO-T", "CCHC-2025") == run
    with pytest.raises(queries.CampaignNotFound, match="CCHC-2099"):
        queries.campaign_by_code("XHH-SO-T", "CCHC-2099")


def test_the_results_command_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="XHH-KHONG"):
        call_command("survey_results", "XHH-KHONG", "--format", "csv")
    assert translate(["survey", "results", "X", "--format", "csv"])[0] == "survey_results"
