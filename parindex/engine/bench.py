"""Benchmark: score a national-scale round (3,500 units × 150 leaves) as fast as we can.

`run()` yields `(name, value, unit)` rows for the project-wide runner, which prints each as
`bench: <name> = <value> <unit>`; `python -m parindex.engine.bench` prints the same lines.
Generating the round is seeded and not timed; the timed part is everything `score_round` does
(compiling the set, leaf points, totals, effective maxima, indices, area percentages, bands,
ranks within unit types) plus the lost points of every criterion over all units.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from parindex.engine.analysis import lost_points
from parindex.engine.answers import Answer, Choice, Count, NotApplicable, Percent, Points, Ratio
from parindex.engine.model import IndexSet
from parindex.engine.rounds import score_round
from parindex.engine.spec import parse_index_set

UNITS = 3_500
SEED = 2024
REPEATS = 3
UNIT_TYPES = ("XA", "XA", "XA", "XA", "SO", "HUYEN", "TW")  # communes are the bulk

Answers = dict[str, dict[str, Answer]]


# The self-assessed leaves of each criterion cycle through these rules (leaf 1 uses the first).
SELF_RULES: list[dict[str, Any]] = [
    {"type": "range", "step": 0.25},
    {
        "type": "choice",
        "options": [
            {"label": label, "points": points} for label, points in (("A", 1), ("B", 0.5), ("C", 0))
        ],
    },
    {
        "type": "percent_tiers",
        "tiers": [{"min_percent": 100, "points": 1}, {"min_percent": 80, "points": 0.5}],
    },
    {"type": "deduction", "per_item": 0.25},
    {"type": "range"},
    {"type": "proportional"},
]


def national_spec() -> dict[str, Any]:
    """A 150-leaf set: 6 self-assessed areas, 2 survey areas (a third of the points), bonus,
    penalty; leaves of area 3 and every sixth self leaf may be excluded as not applicable."""
    areas = [_area(number, survey=number >= 7) for number in range(1, 9)]
    areas.append(_top("B", "bonus", {"type": "range", "step": 0.25}))
    areas.append(_top("P", "penalty", {"type": "range", "step": 0.5}))
    bands = [("TOT", "Tốt", 90), ("KHA", "Khá", 80), ("TB", "Trung bình", 65), ("YEU", "Yếu", 0)]
    return {
        "code": "NATIONAL",
        "name": "Benchmark index set",
        "unit_type": "XA",
        "valid_from": 2025,
        "bands": [{"code": c, "name": n, "min_percent": m} for c, n, m in bands],
        "criteria": areas,
    }


def _area(number: int, *, survey: bool) -> dict[str, Any]:
    """An area: self-assessed ones have 3 criteria × 6 leaves (18 leaves, 16.5 points), survey
    ones 4 criteria × 5 proportional leaves (20 leaves, 25 points): 99 + 50 points in all."""
    criteria = []
    for criterion in range(1, (4 if survey else 3) + 1):
        leaves = []
        for position in range(1, (5 if survey else 6) + 1):
            code = f"{number}.{criterion}.{position}"
            leaf: dict[str, Any] = {"code": code, "name": code}
            if survey:
                leaf["max_points"] = 1.2 if position % 2 else 1.3
                leaf["source"] = "survey"
                leaf["rule"] = {"type": "proportional"}
            else:
                leaf["rule"] = rule = SELF_RULES[position - 1]
                leaf["max_points"] = 0.5 if rule == {"type": "range"} else 1
                if number == 3 or position == 6:
                    leaf["not_applicable"] = "exclude"
            leaves.append(leaf)
        code = f"{number}.{criterion}"
        criteria.append({"code": code, "name": code, "children": leaves})
    return {"code": str(number), "name": f"Area {number}", "children": criteria}


def _top(code: str, kind: str, rule: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": kind.title(), "kind": kind, "max_points": 2, "rule": rule}


def generate_round(
    index_set: IndexSet, units: int = UNITS, seed: int = SEED
) -> tuple[Answers, Answers, dict[str, str]]:
    """Seeded answers, survey values and unit types for `units` units of varying skill."""
    rng = random.Random(seed)
    answers: Answers = {}
    survey: Answers = {}
    groups: dict[str, str] = {}
    leaves = list(index_set.leaves())
    for number in range(units):
        unit = f"U{number:05d}"
        groups[unit] = rng.choice(UNIT_TYPES)
        skill = rng.uniform(0.55, 1.0)
        no_procedures = rng.random() < 0.05  # drops the whole of area 3
        own: dict[str, Answer] = {}
        surveyed: dict[str, Answer] = {}
        for leaf in leaves:
            if leaf.not_applicable == "exclude" and (
                no_procedures if leaf.code.startswith("3.") else rng.random() < 0.1
            ):
                own[leaf.code] = NotApplicable()
            elif leaf.source == "survey":
                surveyed[leaf.code] = Percent(Decimal(rng.randint(int(skill * 8000), 10000)) / 100)
            else:
                own[leaf.code] = _answer(leaf.scoring_rule.type, leaf.max_points, skill, rng)
        answers[unit] = own
        survey[unit] = surveyed
    return answers, survey, groups


def _answer(rule: str, max_points: Decimal, skill: float, rng: random.Random) -> Answer:
    good = rng.random() < skill
    if rule == "choice":
        return Choice("A" if good else rng.choice("BC"))
    if rule == "percent_tiers":
        return Ratio(10, 10) if good else Ratio(rng.randint(5, 9), 10)
    if rule == "deduction":
        return Count(0 if good else rng.randint(1, 5))
    if rule == "proportional":
        return Percent(Decimal(100 if good else rng.randint(40, 99)))
    if rule == "range" and max_points == Decimal("0.5"):
        return Points(max_points if good else Decimal(rng.randint(0, 49)) / 100)
    if max_points == 2:  # bonus (step 0.25) and penalty (step 0.5)
        return Decimal(rng.choice((0, 0, 0, 1, 2)) if rng.random() < 0.3 else 0)
    return Points(max_points if good else Decimal(rng.randint(0, 3)) / 4)


def score_national(
    index_set: IndexSet, answers: Answers, survey: Answers, groups: Mapping[str, str]
) -> int:
    """The timed work: score and rank every unit, then lost points per criterion over all units."""
    scores = score_round(index_set, answers, groups=groups, survey_by_unit=survey)
    lost_points(scores)
    return sum(len(unit_answers) for unit_answers in answers.values()) + sum(
        len(unit_survey) for unit_survey in survey.values()
    )


def run() -> Iterator[tuple[str, float | str, str]]:
    """Benchmark rows: seconds for the national round (best of 3) and leaf scores per second."""
    spec = national_spec()
    answers, survey, groups = generate_round(parse_index_set(spec), units=UNITS)
    timings = []
    scored = 0
    for _ in range(REPEATS):
        index_set = parse_index_set(spec)  # fresh set: compiling it is part of the timed work
        started = time.perf_counter()
        scored = score_national(index_set, answers, survey, groups)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    yield "engine_national", round(best, 3), "s"
    yield "engine_rate", int(scored / best), "scores/s"


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"bench: {name} = {value} {unit}")
