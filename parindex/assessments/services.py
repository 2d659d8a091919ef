"""Writes for assessments: self-assessment, evidence links, submission, appraisal, explanations,
council decisions and reopening. Each checks the workflow state, runs in one transaction,
records an audit entry and notifies the people who act next.

Item saves use optimistic locking: the caller passes the version it loaded; when someone else
saved the item in between, `Conflict` carries the current state and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments import answers, bulk, notifications, queries
from parindex.assessments.models import (
    Appraisal,
    Assessment,
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.assessments.workflow import WorkflowError, move
from parindex.core import audit
from parindex.core.numbers import NumberInvalid, typed_number
from parindex.rounds.models import Phase, Round
from parindex.rounds.services import lock_round
from parindex.units.models import Unit

S = Assessment.Status


class Refused(WorkflowError):
    """The action is not allowed now; the message says why (and until when)."""


class Incomplete(WorkflowError):
    """Submission refused: `gaps` lists every item still missing a value or evidence."""

    def __init__(self, gaps: list[queries.Gap]) -> None:
        super().__init__(_("The self-assessment is not complete."))
        self.gaps = gaps


class Conflict(Exception):
    """Someone else saved the item since it was loaded; `item` is its current state."""

    def __init__(self, item: Item) -> None:
        super().__init__(f"item {item.pk} changed (version {item.version})")
        self.item = item


# --- participation -----------------------------------------------------------------------------


# Assessments and items are created in bulk (3,500 units × 150 leaves in seconds).
add_units = bulk.add_units


@transaction.atomic
def remove_unit(*, round_: Round, unit: Unit, by: User, reason: str) -> None:
    """Take a unit out of a round while its assessment is an untouched draft."""
    from parindex.rounds.services import RoundRefused

    assessment = Assessment.objects.filter(round=round_, unit=unit).first()
    if assessment is None:
        raise RoundRefused([_("This unit does not take part in the round.")])
    touched = assessment.items.exclude(self_answer=None).exists()
    if assessment.status != S.DRAFT or touched:
        raise RoundRefused(
            [_("%(unit)s has already entered scores; it stays in the round.") % {"unit": unit}]
        )
    assessment.delete()
    audit.record(round_, "round.unit_removed", by=by, old={"unit": unit.code}, reason=reason)


def mark_published(round_: Round) -> None:
    """Mark every assessment of a round published (its results are frozen; rounds audits it)."""
    Assessment.objects.filter(round=round_).update(
        status=Assessment.Status.PUBLISHED, updated_at=timezone.now()
    )


# --- self-assessment -------------------------------------------------------------------------


def _engine_node(item: Item) -> engine.Criterion:
    return queries.engine_set_for(item.assessment).criterion(item.criterion.code)


def _locked_update(item: Item, version: int, **values: Any) -> Item:
    """Write the values if the item is still at `version`; Conflict (with its state) otherwise."""
    now = timezone.now()
    updated = Item.objects.filter(pk=item.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if not updated:
        raise Conflict(Item.objects.select_related("criterion", "self_by").get(pk=item.pk))
    for name, value in values.items():
        setattr(item, name, value)
    item.version = version + 1
    item.updated_at = now
    return item


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
        raise Refused(lock.message)
    node = _engine_node(item)
    if node.source == engine.Source.SURVEY:
        raise Refused(_("This criterion is scored from the survey; it is not self-assessed."))
    if node.input is not None:
        raise Refused(
            _("The system computes this criterion from monitoring data; nobody enters it.")
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


def _evidence_editable(item: Item, request: ExplanationRequest | None) -> None:
    assessment = item.assessment
    if request is not None:
        if lock := queries.explanation_lock_for(assessment):
            raise Refused(lock.message)
        return
    if lock := queries.self_lock_for(assessment):
        raise Refused(lock.message)


@transaction.atomic
def attach_evidence(
    *,
    item: Item,
    evidence: Evidence,
    by: User,
    request: ExplanationRequest | None = None,
) -> ItemEvidence:
    """Attach a document of the unit's library to an item (again in later rounds if wanted)."""
    if evidence.unit_id not in queries.evidence_unit_ids(item):
        raise Refused(_("This document belongs to another unit's library."))
    _evidence_editable(item, request)
    link, created = ItemEvidence.objects.get_or_create(
        item=item, evidence=evidence, defaults={"added_by": by, "request": request}
    )
    if created:
        audit.record(
            item,
            "item.evidence_attached",
            by=by,
            new={"evidence": evidence.pk, "title": evidence.title},
        )
    return link


@transaction.atomic
def detach_evidence(*, item: Item, evidence: Evidence, by: User) -> None:
    """Take a document off an item (it stays in the library)."""
    link = ItemEvidence.objects.filter(item=item, evidence=evidence).first()
    if link is None:
        return
    _evidence_editable(item, link.request)
    link.delete()
    audit.record(
        item,
        "item.evidence_detached",
        by=by,
        old={"evidence": evidence.pk, "title": evidence.title},
    )


def _lock_round(assessment: Assessment) -> None:
    """Take the round's lock shared with the other score writes and exclusive to publication
    (see `lock_round`), and see the round as it is now: a write either lands before the
    snapshot or finds the round finalised or published."""
    assessment.round = lock_round(assessment.round_id)


def _lock_assessment(assessment: Assessment) -> Assessment:
    """Re-read the assessment under a row lock (after its round's), so two transitions cannot
    interleave and none slips past publication."""
    _lock_round(assessment)
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = fresh.status
    return assessment


@transaction.atomic
def submit(*, assessment: Assessment, by: User) -> Assessment:
    """Submit the self-assessment for appraisal (unit head), once it is complete."""
    _lock_assessment(assessment)
    if assessment.status != S.DRAFT:
        lock = queries.self_lock_for(assessment)
        raise Refused(lock.message if lock else _("Only a draft can be submitted."))
    if lock := queries.self_lock_for(assessment):
        raise Refused(lock.message)
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
        raise Refused(lock.message if lock else _("Only a submitted assessment can be withdrawn."))
    if dates.today > dates.self_assessment:
        raise Refused(
            _(
                "The self-assessment phase closed on %(date)s; the submission can no longer be "
                "withdrawn."
            )
            % {"date": dates.self_assessment.strftime("%d/%m/%Y")}
        )
    move(assessment, to=S.DRAFT)
    assessment.save(update_fields=["status", "updated_at"])
    audit.record(
        assessment, "assessment.withdrawn", by=by, old=S.SUBMITTED, new=S.DRAFT, reason=reason
    )
    notifications.withdrawn(assessment)
    return assessment


# --- appraisal ---------------------------------------------------------------------------------


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
        raise Refused(lock.message)
    node = _engine_node(item)
    if node.source == engine.Source.SURVEY:
        raise Refused(_("This criterion is scored from the survey; it is not appraised."))
    if node.input is not None:
        raise Refused(
            _("The system computes this criterion from monitoring data; nobody enters it.")
        )
    request = ExplanationRequest.objects.filter(item=item).first()
    if stage == 2 and request is None:
        raise Refused(_("No explanation was requested for this item; its first appraisal stands."))
    if decision == Appraisal.Decision.REQUEST and stage == 2:
        raise Refused(_("Explanations are requested in the first appraisal only."))
    if decision == Appraisal.Decision.ACCEPT:
        if item.self_answer is None:
            raise Refused(_("The unit entered no value here; set the appraised value instead."))
        stored, points = item.self_answer, item.self_points
    elif decision == Appraisal.Decision.ADJUST:
        if answer is None:
            raise Refused(_("Enter the appraised value."))
        if not reason.strip():
            raise Refused(_("Give the reason for the adjustment."))
        points = engine.leaf_points(node, answer, engine.Stage.APPRAISED)
        stored = answers.to_json(answer)
    elif decision == Appraisal.Decision.REQUEST:
        if not question.strip():
            raise Refused(_("Write the question the unit must answer."))
        stored, points = None, None
    else:
        raise Refused(_("Choose a decision."))
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
        new={"decision": decision, "appraised": stored, "points": points, "question": question},
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
        raise Refused(lock.message)
    if stage != 1:
        raise Refused(_("The requests were already sent; this is the second appraisal."))
    if missing := _undecided(assessment, 1):
        raise Refused(_missing_message(missing))
    requests = ExplanationRequest.objects.filter(item__assessment=assessment).count()
    if not requests:
        raise Refused(_("There is no explanation request; finalise the appraisal instead."))
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
        raise Refused(lock.message)
    if not answer.strip():
        raise Refused(_("Write the explanation."))
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
        raise Refused(lock.message)
    open_codes = list(
        ExplanationRequest.objects.filter(item__assessment=assessment, answered_at__isnull=True)
        .order_by("item__position")
        .values_list("item__criterion__code", flat=True)
    )
    if open_codes:
        raise Refused(
            _("Answer every request before sending: %(codes)s.") % {"codes": ", ".join(open_codes)}
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
        raise Refused(lock.message)
    if missing := _undecided(assessment, 1):
        raise Refused(_missing_message(missing))
    has_requests = ExplanationRequest.objects.filter(item__assessment=assessment).exists()
    if stage == 1 and has_requests:
        raise Refused(
            _("Some items await the unit's explanation; send the requests to the unit first.")
        )
    if stage == 2 and (missing := _undecided(assessment, 2)):
        raise Refused(_missing_message(missing))
    old = assessment.status
    move(assessment, to=S.FINALISED)
    assessment.finalised_at = timezone.now()
    assessment.finalised_by = by
    assessment.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    audit.record(assessment, "assessment.finalised", by=by, old=old, new=S.FINALISED)
    notifications.finalised(assessment)
    return assessment


# --- council and office ------------------------------------------------------------------------


@transaction.atomic
def approve(*, assessment: Assessment, by: User) -> Assessment:
    """The council approves a unit's finalised scores."""
    _lock_assessment(assessment)
    if assessment.round.status != Round.Status.OPEN:
        raise Refused(_("The round is not in progress."))
    if assessment.status != S.FINALISED:
        raise Refused(_("Only a finalised appraisal can be approved."))
    if assessment.approved_at:
        return assessment
    assessment.approved_at = timezone.now()
    assessment.approved_by = by
    assessment.save(update_fields=["approved_at", "approved_by", "updated_at"])
    audit.record(assessment, "assessment.approved", by=by, new="approved")
    notifications.approved(assessment)
    return assessment


@transaction.atomic
def send_back(*, assessment: Assessment, by: User, reason: str) -> Assessment:
    """The council sends a unit's scores back to the appraisers, saying why."""
    _lock_assessment(assessment)
    if assessment.round.status != Round.Status.OPEN:
        raise Refused(_("The round is not in progress."))
    if not reason.strip():
        raise Refused(_("Say why the scores go back to the appraisers."))
    if assessment.status != S.FINALISED:
        raise Refused(_("Only a finalised appraisal can be sent back."))
    move(assessment, to=S.IN_APPRAISAL)
    assessment.approved_at = None
    assessment.approved_by = None
    assessment.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit.record(
        assessment,
        "assessment.sent_back",
        by=by,
        old=S.FINALISED,
        new=S.IN_APPRAISAL,
        reason=reason,
    )
    notifications.sent_back(assessment, reason)
    return assessment


REOPEN_TARGETS = (S.DRAFT, S.IN_APPRAISAL)


@transaction.atomic
def reopen(
    *,
    assessment: Assessment,
    by: User,
    reason: str,
    to: str,
    until_on: dt.date | None = None,
) -> Assessment:
    """The PAR office reopens an assessment for the unit (draft) or the appraisers, saying why.

    Reopening for the unit after its deadline needs the day it may work until (an extension).
    """
    from parindex.rounds import services as round_services

    _lock_assessment(assessment)
    if assessment.round.status != Round.Status.OPEN:
        raise Refused(_("The round is not in progress; it cannot be reopened here."))
    if not reason.strip():
        raise Refused(_("Give the reason for reopening."))
    if to not in REOPEN_TARGETS or to == assessment.status:
        raise Refused(_("Choose whom to reopen the assessment for."))
    dates = queries.deadlines_for(assessment)
    if to == S.DRAFT and dates.today > dates.self_assessment:
        if until_on is None or until_on < dates.today:
            raise Refused(
                _("The self-assessment deadline has passed: give the day the unit may work until.")
            )
        round_services.grant_extension(
            by=by,
            round_=assessment.round,
            unit=assessment.unit,
            phase=Phase.SELF_ASSESSMENT,
            until_on=until_on,
            reason=reason,
        )
    old = assessment.status
    move(assessment, to=to)
    assessment.approved_at = None
    assessment.approved_by = None
    assessment.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit.record(assessment, "assessment.reopened", by=by, old=old, new=to, reason=reason)
    notifications.reopened(assessment, reason)
    return assessment


# --- survey values (entered by the office on the results pages) ---------------------------------

PERCENT_LIMIT = 100  # a survey result is a percentage


def parse_survey_value(node: engine.Criterion, text: str) -> engine.Answer | None:
    """A survey value as typed: a percentage (87,5) or points for a range rule, NA, or empty."""
    text = text.strip()
    if not text:
        return None
    if text.upper() in ("NA", "N/A", "KAD"):
        return engine.NotApplicable()
    is_points = isinstance(node.scoring_rule, engine.RangeRule)
    try:
        value = typed_number(
            text.removesuffix("%"),
            limit=node.max_points if is_points else PERCENT_LIMIT,
            decimals=2,
        )
    except NumberInvalid as invalid:
        raise Refused(str(invalid)) from None
    return value if is_points else engine.Percent(value)


def answer_json(answer: engine.Answer | None) -> dict[str, Any] | None:
    """The stored JSON form of a survey answer (the assessments' format)."""
    if answer is None:
        return None
    if isinstance(answer, engine.NotApplicable):
        return {"na": True}
    if isinstance(answer, engine.Percent):
        return {"percent": str(answer.value)}
    if isinstance(answer, Decimal):
        return {"points": str(answer)}
    raise TypeError(f"not a survey answer: {answer!r}")


@transaction.atomic
def save_survey_points(
    *, by: Any, round_: Round, values: dict[int, tuple[str, int]]
) -> tuple[int, list[str]]:
    """Store survey values typed per unit and survey criterion: all or nothing, problems listed.

    `values` maps an item id to (typed text, version read). Returns (items changed, problems);
    when there is any problem nothing is saved. Whether the round's scores may still change is
    the caller's check (results, which freezes them).
    """
    items = {
        item.pk: item
        for item in Item.objects.filter(
            pk__in=values, assessment__round=round_, criterion__source="survey"
        ).select_related("assessment__unit", "criterion", "assessment__index_set")
    }
    problems: list[str] = []
    changes: list[tuple[Item, dict[str, Any] | None, Decimal | None, int]] = []
    for pk, (text, version) in values.items():
        item = items.get(pk)
        if item is None:
            problems.append(_("Item %(pk)s is not a survey criterion of this round.") % {"pk": pk})
            continue
        node = _engine_node(item)
        where = f"{item.assessment.unit.code} / {item.criterion.code}"
        try:
            answer = parse_survey_value(node, text)
            points = (
                None if answer is None else engine.leaf_points(node, answer, engine.Stage.SURVEY)
            )
        except (Refused, engine.EngineError) as error:
            problems.append(f"{where}: {error}")
            continue
        stored = answer_json(answer)
        if stored == item.survey_answer:
            continue
        if item.version != version:
            problems.append(
                _("%(where)s: someone else saved this value meanwhile; reload the page.")
                % {"where": where}
            )
            continue
        changes.append((item, stored, points, version))
    if problems:
        transaction.set_rollback(True)
        return 0, problems
    for item, stored, points, version in changes:
        old = item.survey_answer
        _locked_update(item, version, survey_answer=stored, survey_points=points)
        audit.record(item, "item.survey_saved", by=by, old=old, new=stored)
    return len(changes), []


# --- evidence library --------------------------------------------------------------------------


class UploadRefused(ValueError):
    """An upload was refused (too big, not an accepted type); the message says why."""


def upload_evidence(
    *,
    unit: Unit,
    by: User,
    file: Any,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
) -> tuple[Evidence, bool]:
    """Add an uploaded file to the unit's library; (evidence, False) if the same file was there.

    The size is limited by settings.UPLOAD_MAX_BYTES, the type is read from the content, the
    stored name is random and the SHA-256 is kept, so a second copy is recognised. The file is
    written first and removed again if the disk fills up or the row cannot be saved: no partial
    or orphan file is left behind.
    """
    from django.conf import settings

    from parindex.assessments import uploads
    from parindex.core.formatting import format_number
    from parindex.documents import tables

    if file.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": format_number(file.size / 1048576, 1),
                "limit": format_number(settings.UPLOAD_MAX_BYTES / 1048576, 1),
            }
        )
    try:
        sniffed = uploads.sniff(file)
    except tables.TableError as error:  # an Office file that would unpack beyond any limit
        raise UploadRefused(error.message) from error
    if sniffed is None:
        raise UploadRefused(
            _("Only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files are accepted.")
        )
    digest = uploads.sha256_of(file)
    existing = Evidence.objects.filter(unit=unit, kind=Evidence.Kind.FILE, sha256=digest).first()
    if existing:
        return existing, False
    name = uploads.clean_name(file.name)
    evidence = Evidence(
        unit=unit,
        kind=Evidence.Kind.FILE,
        title=title.strip() or name,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        original_name=name,
        content_type=sniffed.content_type,
        extension=sniffed.extension,
        size_bytes=file.size,
        sha256=digest,
        added_by=by,
    )
    _store_file(evidence, file)
    try:
        with transaction.atomic():
            evidence.save()
            audit.record(
                evidence,
                "evidence.uploaded",
                by=by,
                new={
                    "unit": unit.code,
                    "title": evidence.title,
                    "sha256": digest,
                    "size": file.size,
                },
            )
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence, True


def _store_file(evidence: Evidence, file: Any) -> None:
    """Write the upload under its random name; a full disk removes what was written and refuses."""
    from parindex.core.unavailable import FULL_ERRNOS

    field = evidence.file
    name = field.field.generate_filename(evidence, "upload")
    try:
        field.name = field.storage.save(name, file, max_length=field.field.max_length)
    except OSError as error:
        if field.storage.exists(name):
            field.storage.delete(name)  # the partial (often empty) file the failed write left
        if error.errno in FULL_ERRNOS:
            raise UploadRefused(
                _(
                    "The server has run out of storage space, so the file was not added. "
                    "Please tell the system administrator."
                )
            ) from error
        raise


@transaction.atomic
def register_document(
    *,
    unit: Unit,
    by: User,
    title: str,
    number: str,
    issued_on: dt.date | None,
    issuer: str,
) -> tuple[Evidence, bool]:
    """Cite a document by number, date, issuer and title; (existing, False) if already cited."""
    if not title.strip():
        raise UploadRefused(_("Give the document's title."))
    if number.strip():
        # Compared casefolded in Python: SQLite folds only ASCII letters (Đ/đ would differ).
        wanted = number.strip().casefold()
        for existing in Evidence.objects.filter(
            unit=unit, kind=Evidence.Kind.DOCUMENT, issued_on=issued_on
        ):
            if existing.number.casefold() == wanted:
                return existing, False
    evidence = Evidence.objects.create(
        unit=unit,
        kind=Evidence.Kind.DOCUMENT,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        added_by=by,
    )
    audit.record(
        evidence,
        "evidence.registered",
        by=by,
        new={"unit": unit.code, "title": evidence.title, "number": evidence.number},
    )
    return evidence, True


def add_document(
    *,
    unit: Unit,
    by: User,
    file: Any = None,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
) -> tuple[Evidence, bool]:
    """Upload a file (when one is given) or cite a document in the unit's library."""
    fields = {"title": title, "number": number, "issued_on": issued_on, "issuer": issuer}
    if file is not None:
        return upload_evidence(unit=unit, by=by, file=file, **fields)
    return register_document(unit=unit, by=by, **fields)


def attach_new_evidence(
    *,
    item: Item,
    unit: Unit,
    by: User,
    request: ExplanationRequest | None = None,
    **document: Any,
) -> tuple[Evidence, bool]:
    """Add a document to `unit`'s library and attach it to an item, all or nothing.

    When the item is locked or anything else fails, the library is left as it was: no new
    entry, and no stored file on disk. Returns (evidence, whether it is new to the library).
    """
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            _evidence_editable(item, request)  # refused before anything is stored
            evidence, created = add_document(unit=unit, by=by, **document)
            if created and evidence.file:
                stored.append(evidence)
            attach_evidence(item=item, evidence=evidence, by=by, request=request)
    except BaseException:
        for new in stored:
            new.file.delete(save=False)
        raise
    return evidence, created


# --- scores import -------------------------------------------------------------------------------

# The import writes in bulk (3,500 units × 150 leaves in seconds): see `assessments.bulk`.
ImportFailed = bulk.ImportFailed
STAGE_FIELDS = bulk.STAGE_FIELDS
import_scores = bulk.import_scores


@transaction.atomic
def accept_undecided(*, assessment: Assessment, area_id: int, by: User) -> int:
    """Accept, in the first appraisal, every self-assessed value of an area still undecided.

    Appraisers accept most items as they stand; this records those decisions in one step
    (items without a value, and decided ones, are left for individual decisions).
    """
    _lock_assessment(assessment)
    stage, lock = queries.appraisal_stage_for(assessment)
    if lock:
        raise Refused(lock.message)
    if stage != 1:
        raise Refused(_("Items are accepted in bulk in the first appraisal only."))
    items = list(
        assessment.items.filter(area_id=area_id, self_answer__isnull=False, appraisals__isnull=True)
        .exclude(criterion__source="survey")
        .exclude(queries.SYSTEM_COMPUTED)
        .select_related("criterion")
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
                % {"code": item.criterion.code}
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
