"""Lost points and projections, scored by the engine on the assessments' final answers.

Monitoring sits below results, so it does not read the results' snapshot: it scores a round's
final answers (appraised, else self-assessed; computed leaves through the registered sources,
which answer from the snapshot for a published round) with the engine, exactly as results do.
A published round's scores no longer change, so the figures are the published ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from parindex import engine
from parindex.assessments import hooks
from parindex.assessments.models import Assessment
from parindex.assessments.queries import final_answers_for_round
from parindex.indexsets.queries import engine_index_set
from parindex.rounds.models import Round


@dataclass
class UnitResult:
    """One unit of a round: its assessment, the engine's set and its score (None when every
    leaf is excluded)."""

    assessment: Assessment
    index_set: engine.IndexSet
    score: engine.UnitScore | None


def score_or_none(
    index_set: engine.IndexSet,
    answers: dict[str, engine.Answer],
    survey: dict[str, engine.Answer],
) -> engine.UnitScore | None:
    try:
        return engine.score_unit(index_set, answers, survey=survey)
    except engine.EngineError as error:
        if error.code == "nothing_applicable":
            return None
        raise


def assessments_of(round_: Round, unit_type: str = "") -> list[Assessment]:
    """A round's assessments (of one unit type, if given), by unit type and code."""
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit__unit_type", "index_set")
        .order_by("unit__unit_type__order", "unit__code")
    )
    if unit_type:
        assessments = [a for a in assessments if a.unit.unit_type.code == unit_type]
    return assessments


def computed_by_set(
    round_: Round, assessments: list[Assessment]
) -> tuple[dict[int, engine.IndexSet], dict[int, dict[str, hooks.ComputedValue]]]:
    """The engine's index set of each assessment's set (by id), and every unit's computed
    values (by unit id), asked once per index set."""
    sets: dict[int, engine.IndexSet] = {}
    computed: dict[int, dict[str, hooks.ComputedValue]] = {}
    for assessment in assessments:
        if assessment.index_set_id in sets:
            continue
        index_set = sets[assessment.index_set_id] = engine_index_set(assessment.index_set)
        unit_ids = [a.unit_id for a in assessments if a.index_set_id == assessment.index_set_id]
        computed.update(hooks.computed_values(round_, index_set, unit_ids))
    return sets, computed


def round_results(round_: Round, *, unit_type: str = "") -> list[UnitResult]:
    """Every unit of a round scored by the engine on its final answers (a few queries)."""
    assessments = assessments_of(round_, unit_type)
    answers = final_answers_for_round(round_)
    sets, computed = computed_by_set(round_, assessments)
    results = []
    for assessment in assessments:
        values, survey = answers.get(assessment.pk, ({}, {}))
        system = hooks.computed_answers(computed.get(assessment.unit_id, {}))
        index_set = sets[assessment.index_set_id]
        results.append(
            UnitResult(
                assessment, index_set, score_or_none(index_set, {**values, **system}, survey)
            )
        )
    return results


@dataclass(frozen=True)
class Loss:
    """Points a unit lost on one leaf criterion of a round."""

    unit_code: str
    unit_type: str
    criterion_code: str
    criterion_name: str
    owner: str
    lost_points: Decimal


def losses(results: Sequence[UnitResult]) -> list[Loss]:
    """Every (unit, leaf) of the normal areas that did not reach its effective maximum."""
    found = []
    for result in results:
        if result.score is None:
            continue
        nodes = result.score.nodes
        owners = _owners(result.index_set)
        for area in result.index_set.areas:
            for leaf in area.leaves():
                lost = nodes[leaf.code].lost_points
                if lost > 0:
                    found.append(
                        Loss(
                            unit_code=result.assessment.unit.code,
                            unit_type=result.assessment.unit.unit_type.code,
                            criterion_code=leaf.code,
                            criterion_name=leaf.name,
                            owner=owners.get(leaf.code, ""),
                            lost_points=lost,
                        )
                    )
    return found


def _owners(index_set: engine.IndexSet) -> dict[str, str]:
    """Each criterion's responsible unit code: its own `owner`, else its nearest ancestor's."""
    owners: dict[str, str] = {}

    def walk(node: engine.Criterion, inherited: str) -> None:
        owner = node.owner or inherited
        owners[node.code] = owner
        for child in node.children:
            walk(child, owner)

    for node in index_set.criteria:
        walk(node, "")
    return owners
