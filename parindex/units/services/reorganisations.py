"""Reorganisations: merge, split, rename, move and retire, each one recorded event with its date
and legal basis. Predecessors stay in the registry, inactive from the effective date, so their
history and the lineage that year-over-year comparisons follow are never lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.core import audit
from parindex.core.formatting import format_date
from parindex.core.refusals import Problems
from parindex.units import queries
from parindex.units.models import PeerGroup, Reorganisation, ReorganisationUnit, Unit, UnitType
from parindex.units.services.registry import UnitError, code_problem, create_unit, sentence

Kind = Reorganisation.Kind


@dataclass(frozen=True)
class NewUnit:
    """A unit that a merger or a split creates."""

    code: str
    name: str
    unit_type: UnitType
    parent: Unit | None = None
    peer_group: PeerGroup | None = None


def _label(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


class _Checks(Problems):
    """Collects every problem of a reorganisation before anything is written."""

    def __init__(self, day: dt.date, legal_basis: str) -> None:
        super().__init__()
        self.day = day
        if not legal_basis.strip():
            self.add(
                _("Give the legal basis (the decision or resolution that decides it)."),
                code="reorganisation.no_legal_basis",
            )

    def exists(self, unit: Unit) -> bool:
        """The unit exists on the effective date and has no later reorganisation recorded."""
        values = {"unit": _label(unit), "date": format_date(self.day)}
        if unit.active_to is not None and unit.active_to <= self.day:
            values["end"] = format_date(unit.active_to)
            self.add(
                _("%(unit)s no longer exists on %(date)s: it ended on %(end)s.") % values,
                code="reorganisation.unit_ended",
            )
            return False
        if unit.active_from is not None and unit.active_from > self.day:
            values["start"] = format_date(unit.active_from)
            self.add(
                _("%(unit)s does not exist yet on %(date)s: it starts on %(start)s.") % values,
                code="reorganisation.unit_not_started",
            )
            return False
        later = queries.later_reorganisation(unit, self.day)
        if later is not None:
            values["later"] = format_date(later.effective_date)
            self.add(
                _(
                    "%(unit)s already has a reorganisation on %(later)s, after %(date)s: record "
                    "reorganisations in date order."
                )
                % values,
                code="reorganisation.out_of_order",
            )
            return False
        return True

    def can_end(self, unit: Unit) -> None:
        """The unit has no units under it still existing on the effective date."""
        left = queries.unit_children(unit, self.day).count()
        if left:
            self.add(
                _(
                    "%(unit)s still has %(count)d units under it on %(date)s: move or reorganise "
                    "them first."
                )
                % {"unit": _label(unit), "count": left, "date": format_date(self.day)},
                code="reorganisation.has_units_under",
            )

    def new_unit(self, new: NewUnit, taken: set[str]) -> None:
        problem = code_problem(new.code)
        if problem:
            self.add(sentence(problem), code="unit.code_invalid")
        elif new.code.upper() in taken or Unit.objects.filter(code__iexact=new.code).exists():
            self.add(
                _("The code %(code)s is already used by another unit.") % {"code": new.code},
                code="unit.code_taken",
            )
        taken.add(new.code.upper())
        if not new.name.strip():
            self.add(
                _("Give the name of the new unit %(code)s.") % {"code": new.code},
                code="unit.no_name",
            )
        if new.parent is not None and not new.parent.is_active_on(self.day):
            self.add(
                _("The parent unit %(unit)s does not exist on %(date)s.")
                % {"unit": _label(new.parent), "date": format_date(self.day)},
                code="reorganisation.parent_absent",
            )

    def not_in_future(self, kind_label: str) -> None:
        if self.day > queries.today():
            self.add(
                _(
                    "A %(kind)s changes the unit at once, so it is recorded on or after its "
                    "effective date (%(date)s)."
                )
                % {"kind": kind_label, "date": format_date(self.day)},
                code="reorganisation.in_future",
            )

    def raise_if_any(self) -> None:
        if self:
            raise UnitError(self.texts, code="reorganisation.invalid", codes=self.codes)


def _distinct(units: Sequence[Unit]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for unit in units:
        seen.setdefault(unit.pk, unit)
    return list(seen.values())


def _record_event(
    *,
    by: User | None,
    kind: str,
    day: dt.date,
    legal_basis: str,
    note: str,
    predecessors: Sequence[Unit],
    successors: Sequence[Unit],
    **details: object,
) -> Reorganisation:
    event = Reorganisation.objects.create(
        kind=kind, effective_date=day, legal_basis=legal_basis.strip(), note=note, **details
    )
    ReorganisationUnit.objects.bulk_create(
        [
            ReorganisationUnit(reorganisation=event, unit=unit, role=role)
            for role, units in (
                (ReorganisationUnit.Role.PREDECESSOR, predecessors),
                (ReorganisationUnit.Role.SUCCESSOR, successors),
            )
            for unit in units
        ]
    )
    audit.record(
        event,
        f"reorganisation.{kind}",
        by=by,
        new={
            "effective_date": day,
            "legal_basis": event.legal_basis,
            "predecessors": [unit.code for unit in predecessors],
            "successors": [unit.code for unit in successors],
            **{key: getattr(value, "code", value) for key, value in details.items()},
        },
        reason=note,
    )
    return event


def _end(unit: Unit, *, by: User | None, day: dt.date, action: str, legal_basis: str) -> None:
    """The unit stops existing on `day` (it stays in the registry with its history)."""
    old = unit.active_to
    unit.active_to = day
    unit.save(update_fields=["active_to", "updated_at"])
    audit.record(
        unit, action, by=by, old={"active_to": old}, new={"active_to": day}, reason=legal_basis
    )


def _take_over(
    units: Sequence[Unit], *, by: User | None, taken: Sequence[Unit], legal_basis: str
) -> None:
    """Existing units that take over (part of) others record it in their own history."""
    for unit in units:
        audit.record(
            unit,
            "unit.took_over",
            by=by,
            new={"predecessors": [item.code for item in taken]},
            reason=legal_basis,
        )


def _create_successors(
    new_units: Sequence[NewUnit], *, by: User | None, day: dt.date, legal_basis: str
) -> list[Unit]:
    return [
        create_unit(
            by=by,
            code=new.code,
            name=new.name,
            unit_type=new.unit_type,
            parent=new.parent,
            peer_group=new.peer_group,
            active_from=day,
            reason=legal_basis,
        )
        for new in new_units
    ]


@transaction.atomic
def merge_units(
    *,
    by: User | None,
    predecessors: Sequence[Unit],
    effective_date: dt.date,
    legal_basis: str,
    successor: Unit | None = None,
    new_unit: NewUnit | None = None,
    note: str = "",
) -> Reorganisation:
    """Merge units into a new unit (A + B → C) or into an existing one (A + B → B's neighbour C).

    The merged units stop existing on the effective date; the resulting unit carries them in its
    lineage.
    """
    checks = _Checks(effective_date, legal_basis)
    merged = _distinct(predecessors)
    if (successor is None) == (new_unit is None):
        checks.add(
            _("Choose the resulting unit: an existing unit or a new one."),
            code="reorganisation.no_result",
        )
    if successor is not None and successor in merged:
        checks.add(
            _("%(unit)s cannot be both merged and the result of the merger.")
            % {"unit": _label(successor)},
            code="reorganisation.merged_into_itself",
        )
        merged = [unit for unit in merged if unit != successor]
    if len(merged) < (1 if successor is not None else 2):
        checks.add(
            _("Choose at least two units to merge into a new unit.")
            if successor is None
            else _("Choose at least one unit to merge into %(unit)s.")
            % {"unit": _label(successor)},
            code="reorganisation.too_few_units",
        )
    for unit in merged:
        if checks.exists(unit):
            checks.can_end(unit)
    if successor is not None:
        checks.exists(successor)
    if new_unit is not None:
        checks.new_unit(new_unit, set())
    checks.raise_if_any()
    if new_unit is not None:
        (successor,) = _create_successors(
            [new_unit], by=by, day=effective_date, legal_basis=legal_basis
        )
    else:
        assert successor is not None
        _take_over([successor], by=by, taken=merged, legal_basis=legal_basis)
    for unit in merged:
        _end(unit, by=by, day=effective_date, action="unit.merged", legal_basis=legal_basis)
    return _record_event(
        by=by,
        kind=Kind.MERGE,
        day=effective_date,
        legal_basis=legal_basis,
        note=note,
        predecessors=merged,
        successors=[successor],
    )


@transaction.atomic
def split_unit(
    *,
    by: User | None,
    predecessor: Unit,
    effective_date: dt.date,
    legal_basis: str,
    successors: Sequence[Unit] = (),
    new_units: Sequence[NewUnit] = (),
    note: str = "",
) -> Reorganisation:
    """Split a unit into two or more units, new or existing (A → B + C); A stops existing."""
    checks = _Checks(effective_date, legal_basis)
    existing = _distinct(successors)
    if predecessor in existing:
        checks.add(
            _("%(unit)s cannot be both split and one of the resulting units.")
            % {"unit": _label(predecessor)},
            code="reorganisation.split_into_itself",
        )
        existing = [unit for unit in existing if unit != predecessor]
    if len(existing) + len(new_units) < 2:
        checks.add(
            _("A split needs at least two resulting units (new or existing)."),
            code="reorganisation.too_few_units",
        )
    if checks.exists(predecessor):
        checks.can_end(predecessor)
    for unit in existing:
        checks.exists(unit)
    taken: set[str] = set()
    for new in new_units:
        checks.new_unit(new, taken)
    checks.raise_if_any()
    created = _create_successors(new_units, by=by, day=effective_date, legal_basis=legal_basis)
    _take_over(existing, by=by, taken=[predecessor], legal_basis=legal_basis)
    _end(predecessor, by=by, day=effective_date, action="unit.split", legal_basis=legal_basis)
    return _record_event(
        by=by,
        kind=Kind.SPLIT,
        day=effective_date,
        legal_basis=legal_basis,
        note=note,
        predecessors=[predecessor],
        successors=[*existing, *created],
    )


@transaction.atomic
def rename_unit(
    *,
    by: User | None,
    unit: Unit,
    new_name: str,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> Reorganisation:
    """Give a unit a new name from a date; the unit continues and the event keeps the old name."""
    checks = _Checks(effective_date, legal_basis)
    new_name = new_name.strip()
    if not new_name:
        checks.add(_("Give the new name."), code="reorganisation.no_name")
    elif new_name == unit.name:
        checks.add(
            _("The new name is the same as the current one."), code="reorganisation.same_name"
        )
    checks.exists(unit)
    checks.not_in_future(_("rename"))
    checks.raise_if_any()
    old_name = unit.name
    unit.name = new_name
    unit.save(update_fields=["name", "updated_at"])
    audit.record(
        unit,
        "unit.renamed",
        by=by,
        old={"name": old_name},
        new={"name": new_name},
        reason=legal_basis,
    )
    return _record_event(
        by=by,
        kind=Kind.RENAME,
        day=effective_date,
        legal_basis=legal_basis,
        note=note,
        predecessors=[unit],
        successors=[unit],
        old_name=old_name,
        new_name=new_name,
    )


@transaction.atomic
def move_unit(
    *,
    by: User | None,
    unit: Unit,
    new_parent: Unit | None,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> Reorganisation:
    """Place a unit under another parent from a date (e.g. a commune under the province once
    districts end); the unit continues and the event keeps the former parent."""
    checks = _Checks(effective_date, legal_basis)
    old_parent = unit.parent
    if new_parent == old_parent:
        checks.add(_("The unit is already under this parent."), code="reorganisation.same_parent")
    if new_parent is not None:
        chain = []
        ancestor: Unit | None = new_parent
        while ancestor is not None and ancestor not in chain:
            chain.append(ancestor)
            ancestor = ancestor.parent
        if unit in chain:
            checks.add(
                _("A unit cannot be placed under itself or under one of its own units."),
                code="unit.under_itself",
            )
        if not new_parent.is_active_on(effective_date):
            checks.add(
                _("The parent unit %(unit)s does not exist on %(date)s.")
                % {"unit": _label(new_parent), "date": format_date(effective_date)},
                code="reorganisation.parent_absent",
            )
    checks.exists(unit)
    checks.not_in_future(_("move"))
    checks.raise_if_any()
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    audit.record(
        unit,
        "unit.moved",
        by=by,
        old={"parent": old_parent.code if old_parent else None},
        new={"parent": new_parent.code if new_parent else None},
        reason=legal_basis,
    )
    return _record_event(
        by=by,
        kind=Kind.MOVE,
        day=effective_date,
        legal_basis=legal_basis,
        note=note,
        predecessors=[unit],
        successors=[unit],
        old_parent=old_parent,
        new_parent=new_parent,
    )


@transaction.atomic
def retire_unit(
    *,
    by: User | None,
    unit: Unit,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> Reorganisation:
    """End a unit without successor (e.g. a district when the district tier was abolished)."""
    checks = _Checks(effective_date, legal_basis)
    if checks.exists(unit):
        checks.can_end(unit)
    checks.raise_if_any()
    _end(unit, by=by, day=effective_date, action="unit.retired", legal_basis=legal_basis)
    return _record_event(
        by=by,
        kind=Kind.RETIRE,
        day=effective_date,
        legal_basis=legal_basis,
        note=note,
        predecessors=[unit],
        successors=[],
    )


SERVICES: dict[str, Callable[..., Reorganisation]] = {
    Kind.MERGE: merge_units,
    Kind.SPLIT: split_unit,
    Kind.RENAME: rename_unit,
    Kind.MOVE: move_unit,
    Kind.RETIRE: retire_unit,
}


def reorganise(
    *, kind: str, by: User | None, dry_run: bool = False, **arguments: object
) -> Reorganisation:
    """Apply a reorganisation of the given kind, or with `dry_run` check it and save nothing
    (raises UnitError listing every problem either way)."""
    with transaction.atomic():
        event = SERVICES[kind](by=by, **arguments)
        if dry_run:
            transaction.set_rollback(True)
    return event
