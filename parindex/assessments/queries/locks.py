"""A unit's deadlines in a round and the locks they put on its assessment (see `workflow`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parindex.assessments.models import (
    Assessment,
)
from parindex.assessments.workflow import Lock, appraisal_stage, explanation_lock, self_lock
from parindex.rounds import deadlines
from parindex.rounds.models import Phase


@dataclass(frozen=True)
class Deadlines:
    """A unit's own deadlines in a round (extensions applied)."""

    self_assessment: dt.date
    explanation: dt.date
    today: dt.date


def deadlines_for(assessment: Assessment) -> Deadlines:
    """The unit's deadlines for its self-assessment and its explanations (one query)."""
    round_ = assessment.round
    extensions = deadlines.extensions_of(round_, assessment.unit_id)
    return Deadlines(
        self_assessment=deadlines.deadline(
            round_, assessment.unit_id, Phase.SELF_ASSESSMENT, extensions
        ),
        explanation=deadlines.deadline(round_, assessment.unit_id, Phase.EXPLANATION, extensions),
        today=deadlines.today(),
    )


def self_lock_for(assessment: Assessment, dates: Deadlines | None = None) -> Lock | None:
    """Why the unit cannot edit its self-assessment now (None: it can)."""
    dates = dates or deadlines_for(assessment)
    return self_lock(
        assessment,
        today=dates.today,
        deadline=dates.self_assessment,
        explanation_deadline=dates.explanation,
    )


def explanation_lock_for(assessment: Assessment, dates: Deadlines | None = None) -> Lock | None:
    """Why the unit cannot answer explanation requests now (None: it can)."""
    dates = dates or deadlines_for(assessment)
    return explanation_lock(assessment, today=dates.today, deadline=dates.explanation)


def appraisal_stage_for(
    assessment: Assessment, dates: Deadlines | None = None
) -> tuple[int | None, Lock | None]:
    """The appraisal (1 or 2) appraisers can record now, or why they cannot."""
    dates = dates or deadlines_for(assessment)
    return appraisal_stage(
        assessment,
        today=dates.today,
        self_deadline=dates.self_assessment,
        explanation_deadline=dates.explanation,
    )
