"""Rounds with scored assessments for results tests and the benchmark, created in bulk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.assessments.models import Assessment, Item
from parindex.indexsets.models import Band, Criterion, IndexSet
from parindex.rounds.models import Round, RoundIndexSet
from parindex.units.models import Unit
from parindex.units.tests.factories import unit_type

# A small set with every feature the results depend on: choice, range, N/A exclusion, survey,
# bonus and penalty with caps, and the four usual bands.
SMALL_SET: dict[str, Any] = {
    "code": "SO-T",
    "name": "Bộ Chỉ số CCHC các sở (thử nghiệm)",
    "unit_type": "SO",
    "valid_from": 2024,
    "bands": [
        {"code": "TOT", "name": "Tốt", "min_percent": 90},
        {"code": "KHA", "name": "Khá", "min_percent": 80},
        {"code": "TB", "name": "Trung bình", "min_percent": 65},
        {"code": "YEU", "name": "Yếu", "min_percent": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "name": "Công tác chỉ đạo, điều hành CCHC",
            "children": [
                {
                    "code": "1.1",
                    "name": "Ban hành kế hoạch CCHC năm đúng hạn",
                    "max_points": 2,
                    "rule": {
                        "type": "choice",
                        "options": [
                            {"label": "Đúng hạn", "points": 2},
                            {"label": "Chậm", "points": 1},
                            {"label": "Không ban hành", "points": 0},
                        ],
                    },
                },
                {"code": "1.2", "name": "Mức độ hoàn thành kế hoạch", "max_points": 3},
            ],
        },
        {
            "code": "2",
            "name": "Cải cách thủ tục hành chính",
            "children": [
                {
                    "code": "2.1",
                    "name": "Công khai thủ tục hành chính",
                    "max_points": 3,
                    "not_applicable": "exclude",
                },
                {
                    "code": "2.2",
                    "name": "Giải quyết hồ sơ đúng hạn",
                    "max_points": 2,
                    "not_applicable": "exclude",
                },
            ],
        },
        {
            "code": "3",
            "name": "Tác động của CCHC (điều tra xã hội học)",
            "children": [
                {
                    "code": "3.1",
                    "name": "Mức độ hài lòng",
                    "max_points": 10,
                    "source": "survey",
                    "rule": {"type": "proportional"},
                }
            ],
        },
        {"code": "B", "name": "Điểm thưởng", "kind": "bonus", "max_points": 1},
        {"code": "P", "name": "Điểm trừ", "kind": "penalty", "max_points": 2},
    ],
}


def store_index_set(spec: dict[str, Any], *, version: int = 1) -> IndexSet:
    """Store an index set spec as rows (validated by the engine first), published."""
    parsed = engine.parse_index_set(spec)
    canonical = engine.to_spec(parsed)
    index_set = IndexSet.objects.create(
        code=parsed.code,
        version=version,
        name=parsed.name,
        unit_type=unit_type(parsed.unit_type),
        valid_from=parsed.valid_from,
        legal_basis=parsed.legal_basis,
        status=IndexSet.Status.PUBLISHED,
    )
    Band.objects.bulk_create(
        Band(
            index_set=index_set,
            position=i,
            code=b.code,
            name=b.name,
            min_percent=b.min_percent,
        )
        for i, b in enumerate(parsed.bands)
    )

    def store(
        nodes: tuple[engine.Criterion, ...], specs: list[dict[str, Any]], parent: Criterion | None
    ) -> None:
        for position, (node, spec) in enumerate(zip(nodes, specs, strict=True)):
            row = Criterion.objects.create(
                index_set=index_set,
                parent=parent,
                position=position,
                code=node.code,
                name=node.name,
                kind=str(node.kind),
                max_points=node.max_points,
                source=str(node.source),
                not_applicable=str(node.not_applicable),
                rule=spec.get("rule") if node.is_leaf else None,
            )
            store(node.children, spec.get("children", []), row)

    store(parsed.criteria, canonical["criteria"], None)
    return index_set


def make_round(
    code: str,
    year: int,
    index_sets: list[IndexSet],
    *,
    status: str = Round.Status.OPEN,
    by_peer_groups: bool = False,
) -> Round:
    """A round of a year scoring each unit type on the given set."""
    day = dt.date(year + 1, 1, 5)
    round_ = Round.objects.create(
        code=code,
        year=year,
        name=f"Đánh giá Chỉ số CCHC năm {year}",
        status=status,
        self_assessment_opens_on=day,
        self_assessment_closes_on=day,
        appraisal_closes_on=day,
        explanation_closes_on=day,
        second_appraisal_closes_on=day,
        council_closes_on=day,
        publication_on=day,
        rank_within_peer_groups=by_peer_groups,
    )
    for index_set in index_sets:
        RoundIndexSet.objects.create(
            round=round_, unit_type=index_set.unit_type, index_set=index_set
        )
    return round_


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
    parsed = engine.parse_index_set(engine.to_spec(_spec_of(index_set)))
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
    from parindex.assessments.answers import from_json

    answer = from_json(stored)
    assert answer is not None
    return engine.leaf_points(leaf, answer, engine.Stage(stage))


def _spec_of(index_set: IndexSet) -> engine.IndexSet:
    from parindex.results.queries import index_set_spec

    return engine.parse_index_set(index_set_spec(index_set))


def add_reason(assessment: Assessment, code: str, reason: str, by: Any, points: str) -> None:
    """An appraiser's adjustment with its reason on one item (first appraisal)."""
    from parindex.assessments.models import Appraisal

    item = Item.objects.get(assessment=assessment, criterion__code=code)
    Appraisal.objects.create(
        item=item,
        stage=Appraisal.Stage.FIRST,
        decision=Appraisal.Decision.ADJUST,
        answer={"points": points},
        points=Decimal(points),
        reason=reason,
        by=by,
    )
