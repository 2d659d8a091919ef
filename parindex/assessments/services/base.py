"""What every assessment write shares: the refusals, optimistic locking of items, and the
round and assessment locks taken before a transition.

Item saves use optimistic locking: the caller passes the version it loaded; when someone else
saved the item in between, `Conflict` carries the current state and nothing is overwritten."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.assessments import queries
from parindex.assessments.models import (
    Assessment,
    Item,
)
from parindex.assessments.workflow import WorkflowError
from parindex.rounds.services import lock_round

S = Assessment.Status


class Refused(WorkflowError):
    """The action is not allowed now; the message says why (and until when)."""

    default_code = "assessment.refused"


class Incomplete(WorkflowError):
    """Submission refused: `gaps` lists every item still missing a value or evidence."""

    default_code = "assessment.incomplete"

    def __init__(self, gaps: list[queries.Gap]) -> None:
        super().__init__(_("The self-assessment is not complete."))
        self.gaps = gaps


class Conflict(Exception):
    """Someone else saved the item since it was loaded; `item` is its current state."""

    def __init__(self, item: Item) -> None:
        super().__init__(f"item {item.pk} changed (version {item.version})")
        self.item = item


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
