"""Participation: a round's units get their assessments (and items), leave, or are published."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments.models import (
    Assessment,
    Item,
)
from parindex.assessments.services.base import S
from parindex.core import audit
from parindex.indexsets.models import Criterion
from parindex.rounds.models import Round, RoundIndexSet
from parindex.units.models import Unit


def _leaf_rows(index_set_id: int) -> list[tuple[Criterion, Criterion]]:
    """(leaf, area) rows of an index set in document order."""
    rows = list(
        Criterion.objects.filter(index_set_id=index_set_id).order_by("parent_id", "position")
    )
    children: dict[int | None, list[Criterion]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    leaves: list[tuple[Criterion, Criterion]] = []

    def walk(row: Criterion, area: Criterion) -> None:
        kids = children.get(row.pk, [])
        if not kids:
            leaves.append((row, area))
        for kid in kids:
            walk(kid, area)

    for area in children.get(None, []):
        walk(area, area)
    return leaves


@transaction.atomic
def add_units(*, round_: Round, units: list[Unit], by: User | None) -> int:
    """Give each new participating unit its assessment (and one item per leaf of its set)."""
    from parindex.rounds.services import RoundRefused

    sets = {
        row.unit_type_id: row.index_set_id for row in RoundIndexSet.objects.filter(round=round_)
    }
    present = set(Assessment.objects.filter(round=round_).values_list("unit_id", flat=True))
    missing = [unit for unit in units if unit.unit_type_id not in sets]
    if missing:
        raise RoundRefused(
            [
                _("The round has no index set for the unit type of %(unit)s.") % {"unit": unit}
                for unit in missing
            ]
        )
    leaves_by_set: dict[int, list[tuple[Criterion, Criterion]]] = {}
    added = 0
    for unit in units:
        if unit.pk in present:
            continue
        index_set_id = sets[unit.unit_type_id]
        assessment = Assessment.objects.create(round=round_, unit=unit, index_set_id=index_set_id)
        if index_set_id not in leaves_by_set:
            leaves_by_set[index_set_id] = _leaf_rows(index_set_id)
        Item.objects.bulk_create(
            Item(assessment=assessment, criterion=leaf, area=area, position=position)
            for position, (leaf, area) in enumerate(leaves_by_set[index_set_id], start=1)
        )
        audit.record(round_, "round.unit_added", by=by, new={"unit": unit.code})
        present.add(unit.pk)
        added += 1
    return added


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
