"""The scores import: self, appraised and survey values from a file, all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments import answers
from parindex.assessments.models import (
    Assessment,
    Item,
)
from parindex.assessments.services.base import Conflict, _locked_update
from parindex.core import audit
from parindex.rounds.models import Round
from parindex.rounds.services import lock_round


class ImportFailed(ValueError):
    """A scores import was refused as a whole; `problems` lists every row's error in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


STAGE_FIELDS = {
    "self": ("self_answer", "self_points"),
    "appraised": ("appraised_answer", "appraised_points"),
    "survey": ("survey_answer", "survey_points"),
}


@transaction.atomic
def import_scores(
    *, round_: Round, rows: list[Any], by: User | None, dry_run: bool = False
) -> dict[str, int]:
    """Load self, appraised and survey scores from the scores file, all or nothing.

    Every value is checked by the engine against its leaf's rule; any problem refuses the whole
    file and every problem is listed with its row. Allowed in any phase before publication.
    """
    from parindex.indexsets.problems import error_message
    from parindex.indexsets.queries import engine_index_set

    round_ = lock_round(round_)
    if round_.status == Round.Status.PUBLISHED:
        raise ImportFailed([_("The round is published; its scores no longer change.")])
    assessments = {
        assessment.unit.code: assessment
        for assessment in Assessment.objects.filter(round=round_).select_related(
            "unit", "index_set__unit_type"
        )
    }
    items = {
        (item.assessment_id, item.criterion.code): item
        for item in Item.objects.filter(assessment__round=round_).select_related("criterion")
    }
    sets: dict[int, engine.IndexSet] = {}
    problems: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    changes: list[tuple[Item, str, Any, Any, str]] = []
    for row in rows:
        where = _("Row %(line)d") % {"line": row.line}
        row_problems = []
        assessment = assessments.get(row.unit_code)
        if assessment is None:
            row_problems.append(
                _("unit %(unit)s does not take part in round %(round)s")
                % {"unit": row.unit_code or "—", "round": round_.code}
            )
        if row.stage not in STAGE_FIELDS:
            row_problems.append(
                _("stage must be self, appraised or survey, not “%(stage)s”") % {"stage": row.stage}
            )
        key = (row.unit_code, row.criterion_code, row.stage)
        if key in seen:
            row_problems.append(
                _("the same unit, criterion and stage are already on row %(line)d")
                % {"line": seen[key]}
            )
        seen.setdefault(key, row.line)
        item = items.get((assessment.pk, row.criterion_code)) if assessment else None
        if assessment and item is None:
            row_problems.append(
                _("criterion %(code)s is not a leaf of the index set %(set)s")
                % {"code": row.criterion_code or "—", "set": assessment.index_set.code}
            )
        answer: Any = None
        if not row_problems and item is not None and assessment is not None:
            if assessment.index_set_id not in sets:
                sets[assessment.index_set_id] = engine_index_set(assessment.index_set)
            node = sets[assessment.index_set_id].criterion(row.criterion_code)
            if node.input is not None:
                row_problems.append(
                    _("criterion %(code)s is computed from monitoring data; it is not imported")
                    % {"code": node.code}
                )
            elif row.points.upper() == "NA":
                answer = engine.NotApplicable()
            else:
                try:
                    answer = answers.decimal_from_text(row.points, limit=node.max_points)
                except answers.InputInvalid as invalid:
                    row_problems.append(str(invalid))
            if answer is not None:
                try:
                    points = engine.leaf_points(node, answer, engine.Stage(row.stage))
                except engine.EngineError as error:
                    row_problems.append(error_message(error))
                else:
                    changes.append((item, row.stage, answer, points, row.note))
        problems += [f"{where}: {problem}" for problem in row_problems]
    if not rows:
        problems.append(_("The file has no score rows."))
    if problems:
        raise ImportFailed(problems)
    counts = {"self": 0, "appraised": 0, "survey": 0}
    for item, stage, answer, points, note in changes:
        answer_field, points_field = STAGE_FIELDS[stage]
        old = getattr(item, answer_field)
        values: dict[str, Any] = {answer_field: answers.to_json(answer), points_field: points}
        if stage == "self":
            values.update(self_by=by, self_at=timezone.now())
            if note:
                values["note"] = note
        try:
            _locked_update(item, item.version, **values)
        except Conflict:
            # Someone saved this item after the file was checked: the whole import is undone.
            raise ImportFailed(
                [
                    _(
                        "%(unit)s / %(code)s was changed by someone else during the import; "
                        "nothing was imported. Run the import again."
                    )
                    % {"unit": item.assessment.unit.code, "code": item.criterion.code}
                ]
            ) from None
        audit.record(
            item,
            f"item.imported_{stage}",
            by=by,
            old={"value": old},
            new={"value": values[answer_field], "points": points},
            reason=note,
        )
        counts[stage] += 1
    audit.record(round_, "round.scores_imported", by=by, new=counts)
    if dry_run:
        transaction.set_rollback(True)
    return counts
