"""Writes for units, unit types (tiers), peer groups and the accounts that act for a unit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts import services as accounts
from parindex.accounts.models import UNIT_ROLES, User
from parindex.core import audit
from parindex.core.formatting import format_date
from parindex.core.refusals import Refused
from parindex.units.models import PeerGroup, Unit, UnitType

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
UNIT_CODE_MAX = 40


class UnitError(Refused):
    """A registry change refused as a whole; `problems` lists every reason (in Vietnamese)."""

    default_code = "unit.refused"


def code_problem(code: str, max_length: int = UNIT_CODE_MAX) -> str | None:
    """Why a code is not acceptable, or None: letters without accents, digits, '.', '-', '_'."""
    if not code:
        return _("the code is empty")
    if len(code) > max_length or not CODE_PATTERN.match(code):
        return _(
            "the code %(code)s may only hold letters without accents, digits, “.”, “-” and “_” "
            "(at most %(max)d characters)"
        ) % {"code": code, "max": max_length}
    return None


def sentence(problem: str) -> str:
    """A problem worded as a clause ("the code is empty") as a sentence of its own."""
    return problem[:1].upper() + problem[1:] + "."


def audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the audit log shows them: related units, types and groups by their code."""
    return {
        key: getattr(value, "code", value) if value is not None else None
        for key, value in values.items()
    }


def _ancestors(unit: Unit | None) -> list[Unit]:
    """The unit and every unit above it, nearest first (stops on a loop)."""
    chain: list[Unit] = []
    while unit is not None and unit not in chain:
        chain.append(unit)
        unit = unit.parent
    return chain


def _check_unit(
    *, unit: Unit | None, code: str, name: str, parent: Unit | None, values: dict[str, Any]
) -> None:
    """Refuse a unit's details with every problem ("unit.invalid"), each with its code."""
    problems: list[tuple[str, str]] = []
    if unit is None:
        problem = code_problem(code)
        if problem:
            problems.append(("unit.code_invalid", problem))
        elif Unit.objects.filter(code__iexact=code).exists():
            problems.append(
                (
                    "unit.code_taken",
                    _("the code %(code)s is already used by another unit") % {"code": code},
                )
            )
    if not name.strip():
        problems.append(("unit.no_name", _("the name is empty")))
    if unit is not None and parent is not None and unit in _ancestors(parent):
        problems.append(
            (
                "unit.under_itself",
                _("a unit cannot be placed under itself or under one of its own units"),
            )
        )
    start, end = values.get("active_from"), values.get("active_to")
    if start and end and end <= start:
        problems.append(
            ("unit.ends_before_start", _("the unit must start before the day it stops existing"))
        )
    if problems:
        raise UnitError(
            [sentence(problem) for _code, problem in problems],
            code="unit.invalid",
            codes=[code for code, _problem in problems],
        )


@transaction.atomic
def create_unit(
    *,
    by: User | None,
    code: str,
    name: str,
    unit_type: UnitType,
    parent: Unit | None = None,
    peer_group: PeerGroup | None = None,
    active_from: dt.date | None = None,
    active_to: dt.date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    reason: str = "",
) -> Unit:
    """Add a unit to the registry (a reorganisation creates its new units the same way)."""
    values = {
        "code": code,
        "name": name.strip(),
        "unit_type": unit_type,
        "parent": parent,
        "peer_group": peer_group,
        "active_from": active_from,
        "active_to": active_to,
        "contact_name": contact_name,
        "contact_email": contact_email,
    }
    _check_unit(unit=None, code=code, name=name, parent=parent, values=values)
    unit = Unit.objects.create(**values)
    audit.record(unit, "unit.created", by=by, new=audit_values(values), reason=reason)
    return unit


@transaction.atomic
def update_unit(
    *,
    by: User | None,
    unit: Unit,
    name: str,
    unit_type: UnitType,
    parent: Unit | None,
    peer_group: PeerGroup | None,
    active_from: dt.date | None = None,
    active_to: dt.date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    reason: str = "",
) -> Unit:
    """Correct a unit's details; real changes (mergers, renames, moves) are reorganisations."""
    values = {
        "name": name.strip(),
        "unit_type": unit_type,
        "parent": parent,
        "peer_group": peer_group,
        "active_from": active_from,
        "active_to": active_to,
        "contact_name": contact_name,
        "contact_email": contact_email,
    }
    _check_unit(unit=unit, code=unit.code, name=name, parent=parent, values=values)
    old, new = audit.changes(unit, list(values), values)
    if old or new:
        for key, value in values.items():
            setattr(unit, key, value)
        unit.save(update_fields=[*values, "updated_at"])
        audit.record(
            unit,
            "unit.updated",
            by=by,
            old=audit_values(old),
            new=audit_values(new),
            reason=reason,
        )
    return unit


@transaction.atomic
def create_unit_type(*, by: User, code: str, name: str, order: int) -> UnitType:
    """Add a tier of units (e.g. public service units scored on their own index set)."""
    problem = code_problem(code, max_length=20)
    if problem:
        raise UnitError([sentence(problem)], code="unit_type.code_invalid")
    if UnitType.objects.filter(code__iexact=code).exists():
        raise UnitError(
            [_("The unit type code %(code)s is already used.") % {"code": code}],
            code="unit_type.code_taken",
        )
    unit_type = UnitType.objects.create(code=code, name=name.strip(), order=order)
    audit.record(
        unit_type, "unit_type.created", by=by, new={"code": code, "name": name, "order": order}
    )
    return unit_type


@transaction.atomic
def update_unit_type(*, by: User, unit_type: UnitType, name: str, order: int) -> UnitType:
    """Rename a tier or change its place in lists (its code stays: index sets refer to it)."""
    values = {"name": name.strip(), "order": order}
    old, new = audit.changes(unit_type, list(values), values)
    if old:
        for key, value in values.items():
            setattr(unit_type, key, value)
        unit_type.save(update_fields=list(values))
        audit.record(unit_type, "unit_type.updated", by=by, old=old, new=new)
    return unit_type


@transaction.atomic
def create_peer_group(*, by: User | None, code: str, name: str) -> PeerGroup:
    """Add a group of comparable units that rounds may rank together."""
    problem = code_problem(code)
    if problem:
        raise UnitError([sentence(problem)], code="peer_group.code_invalid")
    if PeerGroup.objects.filter(code__iexact=code).exists():
        raise UnitError(
            [_("The peer group code %(code)s is already used.") % {"code": code}],
            code="peer_group.code_taken",
        )
    group = PeerGroup.objects.create(code=code, name=name.strip() or code)
    audit.record(group, "peer_group.created", by=by, new={"code": code, "name": group.name})
    return group


@transaction.atomic
def update_peer_group(*, by: User, group: PeerGroup, name: str) -> PeerGroup:
    """Rename a peer group (its code stays)."""
    if group.name != name.strip():
        old = group.name
        group.name = name.strip()
        group.save(update_fields=["name"])
        audit.record(
            group, "peer_group.updated", by=by, old={"name": old}, new={"name": group.name}
        )
    return group


def _check_unit_role(role: str) -> None:
    if role not in UNIT_ROLES:
        raise UnitError(
            [_("The role %(role)s is not a unit role.") % {"role": role}], code="unit.not_unit_role"
        )


def _check_unit_exists(unit: Unit, day: dt.date) -> None:
    if not unit.is_active_on(day):
        raise UnitError(
            [
                _("%(unit)s no longer exists (since %(date)s): give accounts to its successor.")
                % {"unit": unit, "date": format_date(unit.active_to)}
            ],
            code="unit.ended",
        )


@transaction.atomic
def add_unit_account(
    *,
    by: User,
    unit: Unit,
    username: str,
    full_name: str,
    email: str,
    role: str,
    day: dt.date,
) -> User:
    """Create an account that acts for the unit as its editor or head."""
    _check_unit_role(role)
    _check_unit_exists(unit, day)
    user = accounts.create_user(
        by=by, username=username, full_name=full_name, email=email, roles={(role, unit.pk)}
    )
    audit.record(unit, "unit.account_added", by=by, new={"username": username, "role": role})
    return user


@transaction.atomic
def grant_unit_role(*, by: User, unit: Unit, user: User, role: str, day: dt.date) -> User:
    """Let an existing account act for the unit as its editor or head (other roles are kept)."""
    _check_unit_role(role)
    _check_unit_exists(unit, day)
    roles = set(user.role_assignments.values_list("role", "unit_id"))
    if (role, unit.pk) in roles:
        return user
    accounts.update_user(
        by=by,
        user=user,
        full_name=user.full_name,
        email=user.email,
        is_active=user.is_active,
        roles=roles | {(role, unit.pk)},
    )
    audit.record(unit, "unit.account_added", by=by, new={"username": user.username, "role": role})
    return user


@transaction.atomic
def revoke_unit_role(*, by: User, unit: Unit, user: User, role: str) -> User:
    """Stop an account acting for the unit in that role (its other roles are kept)."""
    _check_unit_role(role)
    roles: set[tuple[str, int | None]] = set(user.role_assignments.values_list("role", "unit_id"))
    if (role, unit.pk) not in roles:
        return user
    accounts.update_user(
        by=by,
        user=user,
        full_name=user.full_name,
        email=user.email,
        is_active=user.is_active,
        roles=roles - {(role, unit.pk)},
    )
    audit.record(unit, "unit.account_removed", by=by, old={"username": user.username, "role": role})
    return user
