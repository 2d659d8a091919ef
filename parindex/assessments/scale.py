"""Assessments with their items' values written in bulk, for `parindex bench` and the results tests.

Not test code: the benchmarks run on an install without the development tools. A national round
has about 10^5 items, so values go straight to the rows (each scored by the engine) instead of
through the services one item at a time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.assessments.answers import from_json
from parindex.assessments.models import Assessment, Item
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.queries import engine_index_set
from parindex.rounds.models import Round
from parindex.units.models import Unit


def enrol(
    round_: Round,
    index_set: IndexSet,
    scores: dict[Unit, dict[str, Any]],
    *,
    status: str = Assessment.Status.FINALISED,
) -> list[Assessment]:
    """Assessments for units with items holding their values, in bulk.

    `scores[unit]` maps a leaf code to a self value, or to a dict with any of `self`,
    `appraised`, `survey` and `reason` (values in the stored JSON form or plain numbers).
    """
    parsed = engine_index_set(index_set)
    leaves = {
        row.code: row
        for row in Criterion.objects.filter(index_set=index_set, children__isnull=True)
    }
    rows = {row.pk: row for row in Criterion.objects.filter(index_set=index_set)}
    area_of = {}
    for code, row in leaves.items():
        top = row
        while top.parent_id is not None:
            top = rows[top.parent_id]
        area_of[code] = top
    assessments = Assessment.objects.bulk_create(
        Assessment(round=round_, unit=unit, index_set=index_set, status=status) for unit in scores
    )
    items = []
    for assessment, values in zip(assessments, scores.values(), strict=True):
        for position, leaf in enumerate(parsed.leaves()):
            value = values.get(leaf.code)
            if isinstance(value, dict) and _is_staged(value):
                stages = value
            elif leaf.source == engine.Source.SURVEY:
                stages = {"survey": value}
            else:
                stages = {"self": value}
            item = Item(
                assessment=assessment,
                criterion=leaves[leaf.code],
                area=area_of[leaf.code],
                position=position,
            )
            for stage in ("self", "appraised", "survey"):
                raw = stages.get(stage)
                if raw is None:
                    continue
                stored = raw if isinstance(raw, dict) else {"points": str(raw)}
                points = _points(leaf, stored, stage)
                setattr(item, f"{stage}_answer", stored)
                setattr(item, f"{stage}_points", points)
            items.append(item)
    Item.objects.bulk_create(items, batch_size=2000)
    return assessments


def _is_staged(value: dict[str, Any]) -> bool:
    return bool(set(value) & {"self", "appraised", "survey", "reason"})


def _points(leaf: engine.Criterion, stored: dict[str, Any], stage: str) -> Decimal | None:
    answer = from_json(stored)
    assert answer is not None
    return engine.leaf_points(leaf, answer, engine.Stage(stage))
