"""Writes for the unit registry: units, tiers and peer groups, unit accounts, reorganisations and
imports. Every function runs in one transaction and records what it changed in the audit log."""

from __future__ import annotations

from parindex.units.services.imports import (
    UNITS_HEADER,
    UNITS_HEADER_VI,
    ImportPlan,
    UnitRow,
    import_units,
    plan_import,
    read_rows,
)
from parindex.units.services.registry import (
    UnitError,
    add_unit_account,
    create_peer_group,
    create_unit,
    create_unit_type,
    grant_unit_role,
    revoke_unit_role,
    update_peer_group,
    update_unit,
    update_unit_type,
)
from parindex.units.services.reorganisations import (
    NewUnit,
    merge_units,
    move_unit,
    rename_unit,
    reorganise,
    retire_unit,
    split_unit,
)

__all__ = [
    "UNITS_HEADER",
    "UNITS_HEADER_VI",
    "ImportPlan",
    "NewUnit",
    "UnitError",
    "UnitRow",
    "add_unit_account",
    "create_peer_group",
    "create_unit",
    "create_unit_type",
    "grant_unit_role",
    "import_units",
    "merge_units",
    "move_unit",
    "plan_import",
    "read_rows",
    "rename_unit",
    "reorganise",
    "retire_unit",
    "revoke_unit_role",
    "split_unit",
    "update_peer_group",
    "update_unit",
    "update_unit_type",
]
