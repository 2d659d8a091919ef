"""The self-assessment as a form to print and sign (Biểu tự đánh giá, chấm điểm).

One table over every area: each criterion with its maximum, the unit's answer and points, its
note and how many documents support it; then the unit's total and index and the signature block
of the unit head. Read in a fixed number of queries whatever the size of the index set.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from parindex import engine
from parindex.assessments import answers, hooks, pages, queries
from parindex.assessments.models import Assessment, Item


@dataclass(frozen=True)
class PrintRow:
    code: str
    name: str
    depth: int
    is_leaf: bool
    max_points: Decimal | None
    points: Decimal | None
    answer: str = ""
    note: str = ""
    documents: int = 0


@dataclass(frozen=True)
class PrintForm:
    assessment: Assessment
    rows: list[PrintRow]
    score: engine.UnitScore | None


def print_form(assessment: Assessment) -> PrintForm:
    """Every criterion of the unit's self-assessment with its answer and the engine's points."""
    index_set = queries.engine_set_for(assessment)
    values = queries.item_values(assessment.items.all())
    computed = hooks.computed_values(
        assessment.round, index_set, [assessment.unit_id], with_basis=True
    ).get(assessment.unit_id, {})
    result = queries.score(index_set, values, "self", hooks.computed_answers(computed))
    by_code = {value.code: value for value in values}
    notes = dict(
        Item.objects.filter(assessment=assessment)
        .exclude(note="")
        .values_list("criterion__code", "note")
    )
    documents = dict(
        Item.objects.filter(assessment=assessment)
        .annotate(n=Count("evidence_links"))
        .filter(n__gt=0)
        .values_list("criterion__code", "n")
    )
    rows = []
    for area in index_set.criteria:
        for node, depth in pages._walk(area, 0):
            node_score = result.node(node.code) if result else None
            value = by_code.get(node.code)
            rows.append(
                PrintRow(
                    code=node.code,
                    name=node.name,
                    depth=depth,
                    is_leaf=node.is_leaf,
                    max_points=node_score.max_points if node_score else node.max_points,
                    points=node_score.points if node_score else None,
                    answer=answers.describe(value.self_answer) if node.is_leaf and value else "",
                    note=notes.get(node.code, ""),
                    documents=documents.get(node.code, 0),
                )
            )
    return PrintForm(assessment=assessment, rows=rows, score=result)
