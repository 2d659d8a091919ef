"""The council and the office: approval, sending back, reopening."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments import notifications, queries
from parindex.assessments.models import (
    Assessment,
)
from parindex.assessments.services.base import Refused, S, _lock_assessment
from parindex.assessments.workflow import REOPEN_TARGETS, move
from parindex.core import audit
from parindex.rounds.models import Phase, Round


@transaction.atomic
def approve(*, assessment: Assessment, by: User) -> Assessment:
    """The council approves a unit's finalised scores."""
    _lock_assessment(assessment)
    if assessment.round.status != Round.Status.OPEN:
        raise Refused(_("The round is not in progress."), code="council.round_not_open")
    if assessment.status != S.FINALISED:
        raise Refused(
            _("Only a finalised appraisal can be approved."), code="council.not_finalised"
        )
    if assessment.approved_at:
        return assessment
    assessment.approved_at = timezone.now()
    assessment.approved_by = by
    assessment.save(update_fields=["approved_at", "approved_by", "updated_at"])
    audit.record(assessment, "assessment.approved", by=by, new="approved")
    notifications.approved(assessment)
    return assessment


@transaction.atomic
def approve_many(*, assessments: list[Assessment], by: User) -> int:
    """The council approves several units' finalised scores at once, all or none: one refusal
    (not finalised, round closed) undoes the others and names the unit."""
    approved = 0
    for assessment in assessments:
        if assessment.approved_at:
            continue
        try:
            approve(assessment=assessment, by=by)
        except Refused as refused:
            raise Refused(f"{assessment.unit}: {refused}", code=refused.code) from refused
        approved += 1
    return approved


@transaction.atomic
def send_back(*, assessment: Assessment, by: User, reason: str) -> Assessment:
    """The council sends a unit's scores back to the appraisers, saying why."""
    _lock_assessment(assessment)
    if assessment.round.status != Round.Status.OPEN:
        raise Refused(_("The round is not in progress."), code="council.round_not_open")
    if not reason.strip():
        raise Refused(_("Say why the scores go back to the appraisers."), code="council.no_reason")
    if assessment.status != S.FINALISED:
        raise Refused(
            _("Only a finalised appraisal can be sent back."), code="council.not_finalised"
        )
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
        raise Refused(
            _("The round is not in progress; it cannot be reopened here."),
            code="reopen.round_not_open",
        )
    if not reason.strip():
        raise Refused(_("Give the reason for reopening."), code="reopen.no_reason")
    if to not in REOPEN_TARGETS or to == assessment.status:
        raise Refused(_("Choose whom to reopen the assessment for."), code="reopen.no_target")
    dates = queries.deadlines_for(assessment)
    if to == S.DRAFT and dates.today > dates.self_assessment:
        if until_on is None or until_on < dates.today:
            raise Refused(
                _("The self-assessment deadline has passed: give the day the unit may work until."),
                code="reopen.no_until",
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
