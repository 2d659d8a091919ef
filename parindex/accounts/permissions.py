"""Every permission decision in parindex: small predicates that views, templates and queries call.

Views ask `has(user, "perm", obj)` (or a predicate directly); templates use `{% can "perm" obj %}`.
Who may act is decided here; whether the action is allowed *now* is the services' job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parindex.accounts.models import UNIT_ROLES, Role

Predicate = Callable[[Any, Any], bool]
_PREDICATES: dict[str, Predicate] = {}


def predicate(name: str) -> Callable[[Predicate], Predicate]:
    """Register a predicate under a name that templates and `has` can use."""

    def register(func: Predicate) -> Predicate:
        _PREDICATES[name] = func
        return func

    return register


def has(user: Any, perm: str, obj: Any = None) -> bool:
    """Whether `user` holds permission `perm` (on `obj`, when the permission is about an object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _PREDICATES[perm](user, obj)


def roles(user: Any) -> frozenset[tuple[str, int | None]]:
    """The (role, unit id) pairs a user holds, loaded once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_parindex_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", "unit_id"))
        user._parindex_roles = cached
    return cached


def role_names(user: Any) -> frozenset[str]:
    """The role codes a user holds, whatever their scope."""
    return frozenset(role for role, _unit in roles(user))


def has_role(user: Any, *wanted: str) -> bool:
    """Whether the user holds any of the given roles (admin holds them all)."""
    held = role_names(user)
    return Role.ADMIN in held or any(role in held for role in wanted)


def unit_ids(user: Any, *wanted: str) -> frozenset[int]:
    """The units a user acts for through the given unit roles (all unit roles when none given)."""
    wanted_roles = set(wanted) or UNIT_ROLES
    return frozenset(unit for role, unit in roles(user) if role in wanted_roles and unit)


def is_office(user: Any) -> bool:
    """Admin or PAR officer: the provincial office that runs the index."""
    return has_role(user, Role.PAR_OFFICER)


@predicate("admin")
def is_admin(user: Any, obj: Any = None) -> bool:
    """System administrator."""
    return Role.ADMIN in role_names(user)


@predicate("manage_users")
def can_manage_users(user: Any, obj: Any = None) -> bool:
    """Create, edit, deactivate and import user accounts."""
    return is_office(user)


@predicate("view_audit")
def can_view_audit(user: Any, obj: Any = None) -> bool:
    """Browse the audit log."""
    return is_office(user)


@predicate("manage_units")
def can_manage_units(user: Any, obj: Any = None) -> bool:
    """Create, import and reorganise units."""
    return is_office(user)


@predicate("view_units")
def can_view_units(user: Any, obj: Any = None) -> bool:
    """Browse the unit registry (every signed-in role may)."""
    return bool(roles(user))


@predicate("manage_indexsets")
def can_manage_indexsets(user: Any, obj: Any = None) -> bool:
    """Create, edit, import and publish index sets."""
    return is_office(user)


@predicate("view_indexsets")
def can_view_indexsets(user: Any, obj: Any = None) -> bool:
    """Read index sets and their criteria (every signed-in role may)."""
    return bool(roles(user))


@predicate("act_for_unit")
def can_act_for_unit(user: Any, unit: Any) -> bool:
    """Edit the data of `unit` as one of its own officers (editor or head)."""
    return unit is not None and unit.pk in unit_ids(user)


# --- units (issue 4) ----------------------------------------------------------------------------


@predicate("view_unit_users")
def can_view_unit_users(user: Any, unit: Any) -> bool:
    """See which accounts act for a unit: the office, and the unit's own officers."""
    return is_office(user) or can_act_for_unit(user, unit)


# --- national: the province in the national PAR Index (issue 7) ---


@predicate("manage_national")
def can_manage_national(user: Any, obj: Any = None) -> bool:
    """Import the national tables and appraised points; edit aliases, areas and settings."""
    return is_office(user)


@predicate("view_national")
def can_view_national(user: Any, obj: Any = None) -> bool:
    """Read the national tables and the province's analysis (office, council and leaders)."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER)
