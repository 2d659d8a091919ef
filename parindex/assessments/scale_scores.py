"""A national round's scores file, for `parindex bench` and the bulk import tests.

Not test code: the benchmarks run on an install without the development tools. Every leaf of
every assessment of a round gets one row (self points, or survey points on a survey leaf),
drawn from a fixed seed among values the leaf's rule accepts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from parindex import engine
from parindex.assessments.models import Assessment
from parindex.assessments.scorefile import HEADER
from parindex.indexsets.queries import engine_index_set
from parindex.rounds.models import Round


def _choices(leaf: engine.Criterion) -> list[str]:
    """Points a leaf accepts from the import (any rule takes raw points within its maximum)."""
    top = leaf.max_points
    rule = leaf.scoring_rule
    if isinstance(rule, engine.RangeRule):
        steps = int(top / rule.step)
        return [str(rule.step * n) for n in range(steps // 2, steps + 1)]
    return [str(top), str(top), str((top / 2).quantize(Decimal("0.01"))), "0"]


def score_rows(round_: Round, *, seed: int = 2026) -> Iterator[list[str]]:
    """unit_code, criterion_code, stage, points, note for every item of the round."""
    rng = random.Random(seed)
    assessments = Assessment.objects.filter(round=round_).select_related("unit", "index_set")
    sets: dict[int, list[tuple[str, str, list[str]]]] = {}
    for assessment in assessments.order_by("unit__code"):
        if assessment.index_set_id not in sets:
            parsed = engine_index_set(assessment.index_set)
            sets[assessment.index_set_id] = [
                (
                    leaf.code,
                    "survey" if leaf.source == engine.Source.SURVEY else "self",
                    _choices(leaf),
                )
                for leaf in parsed.leaves()
                if leaf.input is None
            ]
        code = assessment.unit.code
        for leaf_code, stage, choices in sets[assessment.index_set_id]:
            yield [code, leaf_code, stage, rng.choice(choices), ""]


def write_scores_csv(round_: Round, path: Path) -> int:
    """Write the round's scores file as UTF-8 CSV; how many score rows it holds."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for row in score_rows(round_):
            out.write(",".join(row) + "\n")
            count += 1
    return count
