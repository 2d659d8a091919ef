"""Writes for rounds: create and schedule, participating units, appraisers, extensions, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.core import audit, revisions
from parindex.core.refusals import Refused
from parindex.indexsets.models import IndexSet
from parindex.rounds.models import (
    EXTENDABLE_PHASES,
    PHASE_FIELDS,
    Assignment,
    Extension,
    Round,
    RoundIndexSet,
)
from parindex.rounds.participants import participants
from parindex.units.models import Unit, UnitType

DATE_FIELDS = ["self_assessment_opens_on", *PHASE_FIELDS.values()]


class RoundRefused(Refused):
    """A change to a round was refused; `problems` says every reason, in Vietnamese."""

    default_code = "round.refused"


def date_label(field: str) -> str:
    """The label of a phase date field (e.g. 'hạn tự đánh giá'), capitalised."""
    return str(getattr(Round._meta.get_field(field), "verbose_name", field)).capitalize()


def date_problems(dates: Mapping[str, dt.date | None]) -> list[str]:
    """Missing phase dates, and phases out of order (each must close on or after the one before)."""
    problems = [
        _("%(field)s is required.") % {"field": date_label(name)}
        for name in DATE_FIELDS
        if not dates.get(name)
    ]
    if problems:
        return problems
    days = {name: day for name, day in dates.items() if day is not None}
    for earlier, later in zip(DATE_FIELDS, DATE_FIELDS[1:], strict=False):
        if days[later] < days[earlier]:
            problems.append(
                _("%(later)s (%(later_date)s) is before %(earlier)s (%(earlier_date)s).")
                % {
                    "later": date_label(later),
                    "later_date": days[later].strftime("%d/%m/%Y"),
                    "earlier": date_label(earlier),
                    "earlier_date": days[earlier].strftime("%d/%m/%Y"),
                }
            )
    return problems


def latest_published(code: str) -> IndexSet | None:
    """The newest published version of an index set code."""
    return (
        IndexSet.objects.filter(code=code, status=IndexSet.Status.PUBLISHED)
        .select_related("unit_type")
        .order_by("-version")
        .first()
    )


def default_units(unit_types: Iterable[UnitType], on: dt.date) -> list[Unit]:
    """The units of these types active on a day (the default participants of a round)."""
    units = Unit.objects.filter(unit_type__in=list(unit_types)).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gt=on),
    )
    return list(units.select_related("unit_type").order_by("unit_type__order", "code"))


@transaction.atomic
def create_round(
    *,
    by: User | None,
    code: str,
    year: int,
    name: str,
    index_sets: Mapping[str, IndexSet],
    dates: Mapping[str, dt.date],
    units: Iterable[Unit] | None = None,
    rank_within_peer_groups: bool = False,
    as_of: dt.date | None = None,
) -> Round:
    """Create a round in preparation: its index set per unit type, dates and participating units.

    Without `units`, every unit of those types active when self-assessment opens takes part.
    """
    problems = []
    if Round.objects.filter(code=code).exists():
        problems.append(_("A round with the code %(code)s already exists.") % {"code": code})
    if not index_sets:
        problems.append(_("Choose the index set for at least one unit type."))
    for type_code, index_set in index_sets.items():
        if index_set.status != IndexSet.Status.PUBLISHED:
            problems.append(
                _("The index set %(set)s is not published yet.") % {"set": index_set.code}
            )
        if index_set.unit_type.code != type_code:
            problems.append(
                _("The index set %(set)s is for unit type %(its)s, not %(type)s.")
                % {"set": index_set.code, "its": index_set.unit_type.code, "type": type_code}
            )
    problems += date_problems(dates)
    if problems:
        raise RoundRefused(problems, code="round.invalid")
    round_ = Round.objects.create(
        code=code,
        year=year,
        name=name,
        rank_within_peer_groups=rank_within_peer_groups,
        as_of=as_of,
        **{field: dates[field] for field in DATE_FIELDS},
    )
    types = {index_set.unit_type.code: index_set.unit_type for index_set in index_sets.values()}
    RoundIndexSet.objects.bulk_create(
        RoundIndexSet(round=round_, unit_type=types[type_code], index_set=index_set)
        for type_code, index_set in index_sets.items()
    )
    if units is None:
        units = default_units(types.values(), dates["self_assessment_opens_on"])
    audit.record(
        round_,
        "round.created",
        by=by,
        new={
            "code": code,
            "year": year,
            "name": name,
            "index_sets": {
                key: f"{value.code} v{value.version}" for key, value in index_sets.items()
            },
            **{field: dates[field] for field in DATE_FIELDS},
            "as_of": as_of,
        },
    )
    participants().add_units(round_=round_, units=list(units), by=by)
    return round_


@transaction.atomic
def update_round(
    *,
    by: User,
    round_: Round,
    name: str,
    dates: Mapping[str, dt.date],
    rank_within_peer_groups: bool,
    reason: str = "",
    as_of: dt.date | None = None,
) -> Round:
    """Rename or reschedule a round (moving a deadline affects every unit without an extension)."""
    if round_.status in (Round.Status.FINALISED, Round.Status.PUBLISHED):
        raise RoundRefused(
            [_("The round is finalised; its dates no longer change.")], code="round.finalised"
        )
    if problems := date_problems(dates):
        raise RoundRefused(problems, code="round.invalid")
    values: dict[str, Any] = {
        "name": name,
        "as_of": as_of,
        "rank_within_peer_groups": rank_within_peer_groups,
        **{field: dates[field] for field in DATE_FIELDS},
    }
    old, new = audit.changes(round_, list(values), values)
    if not new:
        return round_
    for field, value in values.items():
        setattr(round_, field, value)
    round_.save()
    audit.record(round_, "round.updated", by=by, old=old, new=new, reason=reason)
    return round_


def lock_round(round_: Round | int, *, exclusive: bool = False) -> Round:
    """The round re-read under its row lock, held until the transaction ends.

    Every write to a round's scores takes the lock shared (writers do not wait for each other);
    publication and finalisation take it exclusive. So a score write either commits before the
    snapshot is taken, or waits and then sees the round finalised or published and is refused.
    The caller checks the status on the round returned, never on one read before the lock.
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("lock_round needs a transaction")
    pk = round_ if isinstance(round_, int) else round_.pk
    revisions.touch()  # whoever locks a round writes to it: its previews change on commit
    if exclusive or connection.vendor != "postgresql":
        # SQLite has no row locks: it lets one writer at a time into the whole database.
        return Round.objects.select_for_update().get(pk=pk)
    table = connection.ops.quote_name(Round._meta.db_table)
    pk_column = Round._meta.pk.column
    assert pk_column is not None  # a concrete primary key has a column
    column = connection.ops.quote_name(pk_column)
    return Round.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s FOR SHARE", [pk])[0]


@transaction.atomic
def open_round(*, by: User | None, round_: Round) -> Round:
    """Open a prepared round: units see their assessments and can start the self-assessment."""
    if round_.status != Round.Status.DRAFT:
        raise RoundRefused(
            [_("Only a round being prepared can be opened.")], code="round.not_draft"
        )
    if not round_.assessments.exists():
        raise RoundRefused(
            [_("Add at least one unit before opening the round.")], code="round.no_units"
        )
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status", "updated_at"])
    audit.record(round_, "round.opened", by=by, old="draft", new="open")
    participants().round_opened(round_)
    return round_


@transaction.atomic
def add_units(*, by: User | None, round_: Round, units: Iterable[Unit]) -> int:
    """Add units to a round (each gets its assessment on its type's index set)."""
    if round_.status in (Round.Status.FINALISED, Round.Status.PUBLISHED):
        raise RoundRefused(
            [_("The round is finalised; its units no longer change.")], code="round.finalised"
        )
    return participants().add_units(round_=round_, units=list(units), by=by)


@transaction.atomic
def remove_unit(*, by: User, round_: Round, unit: Unit, reason: str) -> None:
    """Take a unit out of a round, while its assessment is an untouched draft."""
    participants().remove_unit(round_=round_, unit=unit, by=by, reason=reason)


@transaction.atomic
def assign_appraisers(
    *, by: User | None, round_: Round, cells: Mapping[tuple[int, int], User | None]
) -> int:
    """Set who appraises each (unit id, area id) cell of a round; None clears it.

    Returns how many cells changed. Areas must be top-level criteria of the unit's index set.
    """
    valid_areas = participants().areas(round_)
    current = {
        (row.unit_id, row.area_id): row
        for row in Assignment.objects.filter(round=round_).select_related("appraiser")
    }
    changed = 0
    for cell, appraiser in cells.items():
        if cell not in valid_areas:
            raise RoundRefused(
                [_("An assignment names an area or unit outside the round.")],
                code="round.assignment_outside",
            )
        existing = current.get(cell)
        if existing and appraiser and existing.appraiser_id == appraiser.pk:
            continue
        if existing is None and appraiser is None:
            continue
        unit_id, area_id = cell
        old = existing.appraiser.username if existing else None
        if existing:
            existing.delete()
        if appraiser:
            Assignment.objects.create(
                round=round_, unit_id=unit_id, area_id=area_id, appraiser=appraiser
            )
        audit.record(
            round_,
            "round.appraiser_assigned",
            by=by,
            old={"unit": unit_id, "area": area_id, "appraiser": old},
            new={
                "unit": unit_id,
                "area": area_id,
                "appraiser": appraiser.username if appraiser else None,
            },
        )
        changed += 1
    return changed


@transaction.atomic
def grant_extension(
    *, by: User, round_: Round, unit: Unit, phase: str, until_on: dt.date, reason: str
) -> Extension:
    """Give one unit until a later day in a phase, with the reason (recorded in the audit log)."""
    if phase not in EXTENDABLE_PHASES:
        raise RoundRefused(
            [_("Only the unit's own phases can be extended.")],
            code="extension.phase_not_extendable",
        )
    if not reason.strip():
        raise RoundRefused([_("Give the reason for the extension.")], code="extension.no_reason")
    if until_on <= round_.closes_on(phase):
        raise RoundRefused(
            [
                _("An extension must end after the round's deadline (%(date)s).")
                % {"date": round_.closes_on(phase).strftime("%d/%m/%Y")}
            ],
            code="extension.too_early",
        )
    if not round_.assessments.filter(unit=unit).exists():
        raise RoundRefused(
            [_("This unit does not take part in the round.")], code="round.unit_not_taking_part"
        )
    extension = Extension.objects.filter(round=round_, unit=unit, phase=phase).first()
    old = extension.until_on if extension else None
    if extension is None:
        extension = Extension(round=round_, unit=unit, phase=phase)
    extension.until_on = until_on
    extension.reason = reason
    extension.granted_by = by
    extension.save()
    audit.record(
        extension,
        "round.extension_granted",
        by=by,
        old={"until_on": old} if old else None,
        new={"unit": unit.code, "phase": phase, "until_on": until_on},
        reason=reason,
    )
    participants().extension_granted(extension)
    return extension


@transaction.atomic
def finalise_round(*, by: User, round_: Round) -> Round:
    """Close a round once the council approved every unit's finalised scores."""
    round_ = lock_round(round_, exclusive=True)
    if round_.status != Round.Status.OPEN:
        raise RoundRefused([_("Only a round in progress can be finalised.")], code="round.not_open")
    pending = participants().not_approved(round_)
    if pending.exists():
        names = ", ".join(assessment.unit.name for assessment in pending[:10])
        raise RoundRefused(
            [
                _("%(n)d unit(s) are not finalised and approved yet: %(names)s.")
                % {"n": pending.count(), "names": names}
            ],
            code="round.units_not_approved",
        )
    round_.status = Round.Status.FINALISED
    round_.finalised_at = timezone.now()
    round_.finalised_by = by
    round_.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    audit.record(round_, "round.finalised", by=by, old="open", new="finalised")
    return round_


@transaction.atomic
def finalise_imported_round(*, by: User, round_: Round, reason: str) -> Round:
    """Finalise a round whose scores were imported (a past year migrated from spreadsheets, its
    council held outside parindex): every assessment is marked finalised and approved by `by`,
    then the round, so that it can be published. The reason is required and audited."""
    round_ = lock_round(round_, exclusive=True)
    if round_.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise RoundRefused(
            [_("Only a round being prepared or in progress can be finalised.")],
            code="round.not_finalisable",
        )
    if not reason.strip():
        raise RoundRefused(
            [_("Give the reason for finalising the round this way.")], code="round.no_reason"
        )
    if not round_.assessments.exists():
        raise RoundRefused(
            [_("Add at least one unit before finalising the round.")], code="round.no_units"
        )
    approved = participants().approve_imported(round_=round_, by=by)
    old = round_.status
    round_.status = Round.Status.FINALISED
    round_.finalised_at = timezone.now()
    round_.finalised_by = by
    round_.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    audit.record(
        round_,
        "round.finalised",
        by=by,
        old=old,
        new={"status": "finalised", "imported": True, "approved": approved},
        reason=reason,
    )
    return round_


@transaction.atomic
def mark_published(*, by: User | None, round_: Round) -> Round:
    """Mark a finalised round and its assessments published (called when results are frozen)."""
    if round_.status != Round.Status.FINALISED:
        raise RoundRefused(
            [_("Only a finalised round can be published.")], code="round.not_finalised"
        )
    round_.status = Round.Status.PUBLISHED
    round_.save(update_fields=["status", "updated_at"])
    participants().published(round_)
    audit.record(round_, "round.published", by=by, old="finalised", new="published")
    return round_
