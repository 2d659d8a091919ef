"""The PAR Index scoring engine: pure Python, no Django (see README.md for the method).

Everything a caller needs is importable from here:

    index_set = parse_index_set(yaml.safe_load(text))      # IndexSetInvalid lists all problems
    unit = score_unit(index_set, {"1.1.1": Choice("Đúng hạn")}, survey={"8.1": Percent(D("87"))})
    round_ = score_round(index_set, answers_by_unit, groups=unit_type_by_unit)
"""

from __future__ import annotations

from parindex.engine.analysis import (
    AreaChange,
    LostPoints,
    RoundComparison,
    UnitChange,
    WhatIf,
    compare_rounds,
    headroom,
    lost_points,
    what_if,
)
from parindex.engine.answers import (
    Answer,
    Choice,
    Count,
    NotApplicable,
    Percent,
    Points,
    Ratio,
    Stage,
)
from parindex.engine.decimals import half_up, points, round_percent
from parindex.engine.errors import EngineError, IndexSetInvalid, Problem
from parindex.engine.messages import ERROR_TEMPLATES, PROBLEM_TEMPLATES
from parindex.engine.model import (
    Band,
    ChoiceOption,
    ChoiceRule,
    Criterion,
    DeductionRule,
    IndexSet,
    Kind,
    Metric,
    NAPolicy,
    PercentTiersRule,
    ProportionalRule,
    RangeRule,
    Rule,
    Source,
    Tier,
)
from parindex.engine.monitoring import (
    FindingRow,
    Frequency,
    Period,
    Rates,
    ReportRow,
    TaskRow,
    computed_answer,
    parse_period,
    period_due,
    periods,
    unit_rates,
)
from parindex.engine.ranking import competition_ranks, ranks_within
from parindex.engine.rounds import RoundScores, score_round
from parindex.engine.rules import leaf_points
from parindex.engine.scoring import NodeScore, UnitScore, score_unit
from parindex.engine.spec import parse_index_set, to_spec, validate_index_set
from parindex.engine.typed import TypedNumberError, parse_typed

__all__ = [
    "unit_rates",
    "periods",
    "period_due",
    "parse_period",
    "computed_answer",
    "TaskRow",
    "ReportRow",
    "Rates",
    "Period",
    "Metric",
    "Frequency",
    "FindingRow",
    "ERROR_TEMPLATES",
    "PROBLEM_TEMPLATES",
    "Answer",
    "AreaChange",
    "Band",
    "Choice",
    "ChoiceOption",
    "ChoiceRule",
    "Count",
    "Criterion",
    "DeductionRule",
    "EngineError",
    "IndexSet",
    "IndexSetInvalid",
    "Kind",
    "LostPoints",
    "NAPolicy",
    "NodeScore",
    "NotApplicable",
    "Percent",
    "PercentTiersRule",
    "Points",
    "Problem",
    "ProportionalRule",
    "RangeRule",
    "Ratio",
    "RoundComparison",
    "RoundScores",
    "Rule",
    "Source",
    "Stage",
    "Tier",
    "TypedNumberError",
    "UnitChange",
    "UnitScore",
    "WhatIf",
    "compare_rounds",
    "competition_ranks",
    "half_up",
    "headroom",
    "leaf_points",
    "lost_points",
    "parse_index_set",
    "parse_typed",
    "points",
    "ranks_within",
    "round_percent",
    "score_round",
    "score_unit",
    "to_spec",
    "validate_index_set",
    "what_if",
]
