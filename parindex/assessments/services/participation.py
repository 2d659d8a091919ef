"""Participation: a round's units get their assessments (and items), leave, or are published."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments import bulk
from parindex.assessments.models import (
    Assessment,
)
from parindex.assessments.services.base import S
from parindex.core import audit
from parindex.rounds.models import Round
from parindex.units.models import Unit

# Assessments and items are created in bulk (3,500 units × 150 leaves in seconds).
add_units = bulk.add_units


@transaction.atomic
def remove_unit(*, round_: Round, unit: Unit, by: User, reason: str) -> None:
    """Take a unit out of a round while its assessment is an untouched draft."""
    from parindex.rounds.services import RoundRefused

    assessment = Assessment.objects.filter(round=round_, unit=unit).first()
    if assessment is None:
        raise RoundRefused(
            [_("This unit does not take part in the round.")], code="round.unit_not_taking_part"
        )
    touched = assessment.items.exclude(self_answer=None).exists()
    if assessment.status != S.DRAFT or touched:
        raise RoundRefused(
            [_("%(unit)s has already entered scores; it stays in the round.") % {"unit": unit}],
            code="round.unit_has_scores",
        )
    assessment.delete()
    audit.record(round_, "round.unit_removed", by=by, old={"unit": unit.code}, reason=reason)


def mark_published(round_: Round) -> None:
    """Mark every assessment of a round published (its results are frozen; rounds audits it)."""
    Assessment.objects.filter(round=round_).update(
        status=Assessment.Status.PUBLISHED, updated_at=timezone.now()
    )
