"""Early warning: each unit's projected index for the round in progress, from its computed
criteria as they stand today and last year's points on every other criterion, and the units
projected to fall a band. The engine scores the projection; nothing is stored."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from parindex import engine
from parindex.assessments import hooks
from parindex.assessments.models import Assessment
from parindex.assessments.queries import final_answers_for_round
from parindex.monitoring import lost
from parindex.rounds.models import Round
from parindex.units.queries import predecessor_codes_on_many


@dataclass
class Projection:
    """One unit: last year's index and band, this year's projection and the computed values."""

    unit_code: str
    unit_name: str
    unit_type: str
    last_index: Decimal | None
    last_band: str
    projected_index: Decimal | None
    projected_band: str
    falls: bool
    computed: list[hooks.ComputedValue] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.last_index is None or self.projected_index is None:
            return None
        return self.projected_index - self.last_index


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round that was finalised or published (last year's points)."""
    return (
        Round.objects.filter(
            year__lt=round_.year, status__in=[Round.Status.FINALISED, Round.Status.PUBLISHED]
        )
        .order_by("-year", "-created_at")
        .first()
    )


def _fitting(
    index_set: engine.IndexSet, answers: dict[str, engine.Answer]
) -> dict[str, engine.Answer]:
    """Last year's answers that still fit this year's criteria (codes and rules may change)."""
    kept = {}
    for code, answer in answers.items():
        try:
            node = index_set.criterion(code)
            if node.is_leaf and node.input is None and node.source != engine.Source.SURVEY:
                engine.leaf_points(node, answer)
                kept[code] = answer
        except engine.EngineError:
            continue
    return kept


def _fitting_survey(
    index_set: engine.IndexSet, answers: dict[str, engine.Answer]
) -> dict[str, engine.Answer]:
    kept = {}
    for code, answer in answers.items():
        try:
            node = index_set.criterion(code)
            engine.leaf_points(node, answer, engine.Stage.SURVEY)
            kept[code] = answer
        except engine.EngineError:
            continue
    return kept


def projections(round_: Round, today: dt.date, *, unit_type: str = "") -> list[Projection]:
    """Every unit of a round in progress, projected (a fixed number of queries)."""
    before = previous_round(round_)
    last_results = {r.assessment.unit.code: r for r in lost.round_results(before)} if before else {}
    last_answers: dict[str, tuple[dict, dict]] = {}
    if before is not None:
        by_assessment = final_answers_for_round(before)
        for assessment_id, code in Assessment.objects.filter(round=before).values_list(
            "pk", "unit__code"
        ):
            last_answers[code] = by_assessment.get(assessment_id, ({}, {}))
    assessments = lost.assessments_of(round_, unit_type)
    earlier = (
        predecessor_codes_on_many([a.unit for a in assessments], before.year) if before else {}
    )
    now = copy.copy(round_)
    now.as_of = min(today, round_.rates_as_of)
    sets, computed = lost.computed_by_set(now, assessments)
    rows = []
    for assessment in assessments:
        unit = assessment.unit
        codes = [unit.code] + [code for code in earlier.get(unit.pk, []) if code != unit.code]
        source = next((code for code in codes if code in last_answers), None)
        last = last_results.get(source) if source else None
        index_set = sets[assessment.index_set_id]
        answers, survey = last_answers.get(source, ({}, {})) if source else ({}, {})
        values = computed.get(unit.pk, {})
        projected = lost.score_or_none(
            index_set,
            {**_fitting(index_set, answers), **hooks.computed_answers(values)},
            _fitting_survey(index_set, survey),
        )
        last_band = last.score.band if last and last.score else None
        new_band = projected.band if projected else None
        rows.append(
            Projection(
                unit_code=unit.code,
                unit_name=unit.name,
                unit_type=unit.unit_type.name,
                last_index=last.score.index_percent if last and last.score else None,
                last_band=last_band.name if last_band else "",
                projected_index=projected.index_percent if projected else None,
                projected_band=new_band.name if new_band else "",
                falls=bool(last_band and new_band and new_band.min_percent < last_band.min_percent),
                computed=list(values.values()),
            )
        )
    rows.sort(key=lambda row: (not row.falls, row.change if row.change is not None else Decimal(0)))
    return rows
