"""Self-assessment: the unit saves its values, submits and withdraws."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments import answers, notifications, queries
from parindex.assessments.models import (
    Assessment,
    Item,
)
from parindex.assessments.services.base import (
    Incomplete,
    Refused,
    S,
    _engine_node,
    _lock_assessment,
    _lock_round,
    _locked_update,
)
from parindex.assessments.workflow import move
from parindex.core import audit


@transaction.atomic
def save_self_item(
    *,
    item: Item,
    by: User,
    version: int,
    answer: engine.Answer | None,
    note: str,
    no_evidence_reason: str,
) -> Item:
    """Save the unit's value, note and missing-evidence explanation for one leaf.

    The engine checks the value against the leaf's rule and gives its points (EngineError when
    the value does not fit). Refused when the self-assessment is locked; Conflict when someone
    else saved the item since `version`.
    """
    assessment = item.assessment
    _lock_round(assessment)
    if lock := queries.self_lock_for(assessment):
        raise Refused(lock.message, code=lock.refusal_code)
    node = _engine_node(item)
    if node.source == engine.Source.SURVEY:
        raise Refused(
            _("This criterion is scored from the survey; it is not self-assessed."),
            code="assessment.survey_criterion",
        )
    if node.input is not None:
        raise Refused(
            _("The system computes this criterion from monitoring data; nobody enters it."),
            code="assessment.computed_criterion",
        )
    points = engine.leaf_points(node, answer) if answer is not None else None
    stored = answers.to_json(answer)
    old = {"value": item.self_answer, "note": item.note, "no_evidence": item.no_evidence_reason}
    new = {"value": stored, "note": note, "no_evidence": no_evidence_reason}
    if old == new and item.version == version:
        return item
    _locked_update(
        item,
        version,
        self_answer=stored,
        self_points=points,
        note=note,
        no_evidence_reason=no_evidence_reason,
        self_by=by,
        self_at=timezone.now(),
    )
    audit.record(item, "item.self_saved", by=by, old=old, new=new)
    return item


@transaction.atomic
def submit(*, assessment: Assessment, by: User) -> Assessment:
    """Submit the self-assessment for appraisal (unit head), once it is complete."""
    _lock_assessment(assessment)
    if assessment.status != S.DRAFT:
        lock = queries.self_lock_for(assessment)
        if lock:
            raise Refused(lock.message, code=lock.refusal_code)
        raise Refused(_("Only a draft can be submitted."), code="assessment.not_draft")
    if lock := queries.self_lock_for(assessment):
        raise Refused(lock.message, code=lock.refusal_code)
    if gaps := queries.completeness(assessment):
        raise Incomplete(gaps)
    move(assessment, to=S.SUBMITTED)
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit.record(assessment, "assessment.submitted", by=by, old=S.DRAFT, new=S.SUBMITTED)
    notifications.submitted(assessment)
    return assessment


@transaction.atomic
def withdraw(*, assessment: Assessment, by: User, reason: str = "") -> Assessment:
    """Take a submission back to correct it, before the deadline and before appraisal starts."""
    _lock_assessment(assessment)
    dates = queries.deadlines_for(assessment)
    if assessment.status != S.SUBMITTED:
        lock = queries.self_lock_for(assessment, dates)
        if lock:
            raise Refused(lock.message, code=lock.refusal_code)
        raise Refused(
            _("Only a submitted assessment can be withdrawn."), code="assessment.not_submitted"
        )
    if dates.today > dates.self_assessment:
        raise Refused(
            _(
                "The self-assessment phase closed on %(date)s; the submission can no longer be "
                "withdrawn."
            )
            % {"date": dates.self_assessment.strftime("%d/%m/%Y")},
            code="assessment.withdraw_too_late",
        )
    move(assessment, to=S.DRAFT)
    assessment.save(update_fields=["status", "updated_at"])
    audit.record(
        assessment, "assessment.withdrawn", by=by, old=S.SUBMITTED, new=S.DRAFT, reason=reason
    )
    notifications.withdrawn(assessment)
    return assessment
