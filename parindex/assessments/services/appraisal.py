"""Appraisal: decisions, the return for explanation, the unit's answers, and finalisation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments import answers, notifications, queries
from parindex.assessments.models import (
    Appraisal,
    Assessment,
    ExplanationRequest,
    Item,
)
from parindex.assessments.services.base import (
    Conflict,
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
def decide(
    *,
    item: Item,
    by: User,
    version: int,
    decision: str,
    answer: engine.Answer | None = None,
    reason: str = "",
    question: str = "",
) -> Item:
    """Record an appraiser's decision on an item: accept, adjust (value + reason) or ask.

    In the first appraisal any item may be decided; in the second, the items the unit was asked
    to explain. The engine gives the appraised points.
    """
    assessment = _lock_assessment(item.assessment)
    stage, lock = queries.appraisal_stage_for(assessment)
    if lock:
        raise Refused(lock.message, code=lock.refusal_code)
    assert stage is not None  # not locked: the assessment is in an appraisal stage
    node = _engine_node(item)
    if node.source == engine.Source.SURVEY:
        raise Refused(
            _("This criterion is scored from the survey; it is not appraised."),
            code="assessment.survey_criterion",
        )
    if node.input is not None:
        raise Refused(
            _("The system computes this criterion from monitoring data; nobody enters it."),
            code="assessment.computed_criterion",
        )
    request = ExplanationRequest.objects.filter(item=item).first()
    if stage == 2 and request is None:
        raise Refused(
            _("No explanation was requested for this item; its first appraisal stands."),
            code="appraisal.no_request",
        )
    if decision == Appraisal.Decision.REQUEST and stage == 2:
        raise Refused(
            _("Explanations are requested in the first appraisal only."),
            code="appraisal.request_in_second",
        )
    if decision == Appraisal.Decision.ACCEPT:
        if item.self_answer is None:
            raise Refused(
                _("The unit entered no value here; set the appraised value instead."),
                code="appraisal.no_self_value",
            )
        stored, points = item.self_answer, item.self_points
    elif decision == Appraisal.Decision.ADJUST:
        if answer is None:
            raise Refused(_("Enter the appraised value."), code="appraisal.no_value")
        if not reason.strip():
            raise Refused(_("Give the reason for the adjustment."), code="appraisal.no_reason")
        points = engine.leaf_points(node, answer, engine.Stage.APPRAISED)
        stored = answers.to_json(answer)
    elif decision == Appraisal.Decision.REQUEST:
        if not question.strip():
            raise Refused(
                _("Write the question the unit must answer."), code="appraisal.no_question"
            )
        stored, points = None, None
    else:
        raise Refused(_("Choose a decision."), code="appraisal.no_decision")
    old = {"appraised": item.appraised_answer}
    _locked_update(item, version, appraised_answer=stored, appraised_points=points)
    Appraisal.objects.update_or_create(
        item=item,
        stage=stage,
        defaults={
            "decision": decision,
            "answer": stored,
            "points": points,
            "reason": reason,
            "by": by,
        },
    )
    if stage == 1:
        if decision == Appraisal.Decision.REQUEST:
            ExplanationRequest.objects.update_or_create(
                item=item, defaults={"question": question, "asked_by": by}
            )
        elif request is not None:
            request.delete()
    audit.record(
        item,
        f"item.appraised_{stage}",
        by=by,
        old=old,
        new={
            "decision": decision,
            "appraised": stored,
            "points": points,
            "question": question,
            "self": item.self_answer,  # what the appraiser adjusted from (the history says it)
        },
        reason=reason,
    )
    if assessment.status == S.SUBMITTED:
        move(assessment, to=S.IN_APPRAISAL)
        assessment.save(update_fields=["status", "updated_at"])
        audit.record(
            assessment, "assessment.appraisal_started", by=by, old=S.SUBMITTED, new=S.IN_APPRAISAL
        )
    return item


def _undecided(assessment: Assessment, stage: int) -> list[str]:
    """Codes of the items still waiting for a decision in the given appraisal."""
    items = assessment.items.exclude(criterion__source="survey").exclude(queries.SYSTEM_COMPUTED)
    if stage == 2:
        items = items.filter(request__isnull=False)
    decided = set(
        Appraisal.objects.filter(item__assessment=assessment, stage=stage).values_list(
            "item_id", flat=True
        )
    )
    return [
        code
        for pk, code in items.order_by("position").values_list("pk", "criterion__code")
        if pk not in decided
    ]


def _missing_message(codes: list[str]) -> str:
    shown = ", ".join(codes[:15]) + ("…" if len(codes) > 15 else "")
    return _("%(n)d item(s) still have no decision: %(codes)s.") % {"n": len(codes), "codes": shown}


@transaction.atomic
def return_to_unit(*, assessment: Assessment, by: User) -> Assessment:
    """Send the explanation requests of the first appraisal to the unit."""
    _lock_assessment(assessment)
    stage, lock = queries.appraisal_stage_for(assessment)
    if lock:
        raise Refused(lock.message, code=lock.refusal_code)
    if stage != 1:
        raise Refused(
            _("The requests were already sent; this is the second appraisal."),
            code="appraisal.requests_already_sent",
        )
    if missing := _undecided(assessment, 1):
        raise Refused(_missing_message(missing), code="appraisal.undecided")
    requests = ExplanationRequest.objects.filter(item__assessment=assessment).count()
    if not requests:
        raise Refused(
            _("There is no explanation request; finalise the appraisal instead."),
            code="appraisal.no_requests",
        )
    old = assessment.status
    move(assessment, to=S.RETURNED)
    assessment.returned_at = timezone.now()
    assessment.save(update_fields=["status", "returned_at", "updated_at"])
    audit.record(assessment, "assessment.returned", by=by, old=old, new=S.RETURNED)
    notifications.returned(assessment, requests)
    return assessment


@transaction.atomic
def answer_request(*, request: ExplanationRequest, by: User, answer: str) -> ExplanationRequest:
    """Record the unit's explanation for one request (new evidence is attached separately)."""
    assessment = request.item.assessment
    _lock_round(assessment)
    if lock := queries.explanation_lock_for(assessment):
        raise Refused(lock.message, code=lock.refusal_code)
    if not answer.strip():
        raise Refused(_("Write the explanation."), code="explanation.empty")
    old = request.answer
    request.answer = answer
    request.answered_by = by
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(request.item, "item.explained", by=by, old=old or None, new=answer)
    return request


@transaction.atomic
def send_explanations(*, assessment: Assessment, by: User) -> Assessment:
    """Send the unit's answers to the appraisers (unit head), once every request is answered."""
    _lock_assessment(assessment)
    if lock := queries.explanation_lock_for(assessment):
        raise Refused(lock.message, code=lock.refusal_code)
    open_codes = list(
        ExplanationRequest.objects.filter(item__assessment=assessment, answered_at__isnull=True)
        .order_by("item__position")
        .values_list("item__criterion__code", flat=True)
    )
    if open_codes:
        raise Refused(
            _("Answer every request before sending: %(codes)s.") % {"codes": ", ".join(open_codes)},
            code="explanation.unanswered",
        )
    move(assessment, to=S.EXPLAINED)
    assessment.explained_at = timezone.now()
    assessment.explained_by = by
    assessment.save(update_fields=["status", "explained_at", "explained_by", "updated_at"])
    audit.record(assessment, "assessment.explained", by=by, old=S.RETURNED, new=S.EXPLAINED)
    notifications.explained(assessment)
    return assessment


@transaction.atomic
def finalise(*, assessment: Assessment, by: User) -> Assessment:
    """Close the appraisal of a unit: every item decided, every explanation weighed."""
    _lock_assessment(assessment)
    stage, lock = queries.appraisal_stage_for(assessment)
    if lock:
        raise Refused(lock.message, code=lock.refusal_code)
    if missing := _undecided(assessment, 1):
        raise Refused(_missing_message(missing), code="appraisal.undecided")
    has_requests = ExplanationRequest.objects.filter(item__assessment=assessment).exists()
    if stage == 1 and has_requests:
        raise Refused(
            _("Some items await the unit's explanation; send the requests to the unit first."),
            code="appraisal.awaiting_explanations",
        )
    if stage == 2 and (missing := _undecided(assessment, 2)):
        raise Refused(_missing_message(missing), code="appraisal.undecided")
    old = assessment.status
    move(assessment, to=S.FINALISED)
    assessment.finalised_at = timezone.now()
    assessment.finalised_by = by
    assessment.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    audit.record(assessment, "assessment.finalised", by=by, old=old, new=S.FINALISED)
    notifications.finalised(assessment)
    return assessment


@transaction.atomic
def accept_undecided(*, assessment: Assessment, area_id: int, by: User) -> int:
    """Accept, in the first appraisal, every self-assessed value of an area still undecided.

    Appraisers accept most items as they stand; this records those decisions in one step
    (items without a value, and decided ones, are left for individual decisions).
    """
    _lock_assessment(assessment)
    return _accept_rest(assessment, [area_id], by)


@transaction.atomic
def accept_remaining(*, assessment: Assessment, by: User) -> int:
    """Accept, in the first appraisal, every undecided self-assessed value in all the areas of
    the unit that `by` appraises (the queue's "accept all remaining items of this unit")."""
    from parindex.rounds.models import Assignment

    _lock_assessment(assessment)
    areas = list(
        Assignment.objects.filter(
            appraiser=by, round_id=assessment.round_id, unit_id=assessment.unit_id
        ).values_list("area_id", flat=True)
    )
    if not areas:
        raise Refused(_("You appraise no area of this unit."), code="appraisal.no_area")
    accepted = _accept_rest(assessment, areas, by)
    if accepted:
        audit.record(assessment, "assessment.remaining_accepted", by=by, new={"items": accepted})
    return accepted


def _accept_rest(assessment: Assessment, area_ids: list[int], by: User) -> int:
    """Accept the undecided self-assessed values of the areas (the assessment is locked)."""
    stage, lock = queries.appraisal_stage_for(assessment)
    if lock:
        raise Refused(lock.message, code=lock.refusal_code)
    if stage != 1:
        raise Refused(
            _("Items are accepted in bulk in the first appraisal only."),
            code="appraisal.bulk_in_second",
        )
    items = list(
        assessment.items.filter(
            area_id__in=area_ids, self_answer__isnull=False, appraisals__isnull=True
        )
        .exclude(criterion__source="survey")
        .exclude(queries.SYSTEM_COMPUTED)
        .select_related("criterion")
        .order_by("position")
    )
    for item in items:
        try:
            _locked_update(
                item,
                item.version,
                appraised_answer=item.self_answer,
                appraised_points=item.self_points,
            )
        except Conflict:
            raise Refused(
                _("%(code)s was changed meanwhile; nothing was accepted. Reload the page.")
                % {"code": item.criterion.code},
                code="appraisal.changed_meanwhile",
            ) from None
        Appraisal.objects.create(
            item=item,
            stage=1,
            decision=Appraisal.Decision.ACCEPT,
            answer=item.self_answer,
            points=item.self_points,
            by=by,
        )
        audit.record(
            item,
            "item.appraised_1",
            by=by,
            new={"decision": "accept", "appraised": item.self_answer, "points": item.self_points},
        )
    if items and assessment.status == S.SUBMITTED:
        move(assessment, to=S.IN_APPRAISAL)
        assessment.save(update_fields=["status", "updated_at"])
        audit.record(
            assessment, "assessment.appraisal_started", by=by, old=S.SUBMITTED, new=S.IN_APPRAISAL
        )
    return len(items)
