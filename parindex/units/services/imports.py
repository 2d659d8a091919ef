"""Import units from CSV or XLSX (docs/design.md: `code,name,unit_type,parent_code,peer_group`).

An import is planned first (every row checked, every problem listed in Vietnamese with its row),
then applied in one transaction: all rows or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.core.formatting import format_date
from parindex.documents import tables
from parindex.units import queries
from parindex.units.models import PeerGroup, Unit, UnitType
from parindex.units.services.registry import (
    UnitError,
    code_problem,
    create_peer_group,
    create_unit,
    update_unit,
)

UNITS_HEADER = ["code", "name", "unit_type", "parent_code", "peer_group"]
# The same columns under the Vietnamese headers of the XLSX export (people open that file in a
# spreadsheet; the import reads it back unchanged). CSV stays the machine format above.
UNITS_HEADER_VI = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Mã loại đơn vị",
    "Mã đơn vị cấp trên",
    "Mã nhóm so sánh",
]
NAME_MAX = 255


def read_rows(filename: str, raw: bytes) -> list[list[str]]:
    """The rows of a CSV or XLSX file as text cells (item 0 is row 1), read by the one table
    module: its type judged by its content, hostile files refused under its limits."""
    try:
        return tables.read_lines(raw, PurePath(filename).name)
    except tables.TableError as error:
        raise UnitError([error.message], code="units_file.unreadable") from error


@dataclass
class UnitRow:
    """One row of the file, once read."""

    line: int
    code: str
    name: str
    unit_type: str
    parent_code: str
    peer_group: str


@dataclass
class ImportPlan:
    """What an import does: units created, units changed (field → (old, new)), unchanged."""

    rows: list[UnitRow] = field(default_factory=list)
    created: list[UnitRow] = field(default_factory=list)
    updated: list[tuple[UnitRow, dict[str, tuple[str, str]]]] = field(default_factory=list)
    unchanged: list[UnitRow] = field(default_factory=list)
    new_peer_groups: list[str] = field(default_factory=list)


def _trim(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def plan_import(rows: list[list[str]]) -> ImportPlan:
    """Check every row of a units file against the registry; raise UnitError listing every
    problem with its row, or return what the import would do."""
    header = [cell.strip().lower() for cell in _trim(rows[0])] if rows else []
    if header not in (UNITS_HEADER, [name.lower() for name in UNITS_HEADER_VI]):
        found = ",".join(_trim(rows[0])) if rows else ""
        raise UnitError(
            [
                _("Row 1 must be the header %(header)s (found: %(found)s).")
                % {"header": ",".join(UNITS_HEADER), "found": found or "—"}
            ],
            code="units_file.bad_header",
        )
    problems: list[tuple[int, str, str]] = []
    plan = ImportPlan()
    first_line: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        cells = _trim([cell.strip() for cell in cells])
        if not cells:
            continue
        if len(cells) > len(UNITS_HEADER):
            problems.append(
                (
                    line,
                    "units_file.column_count",
                    _("Row %(row)d: expected %(expected)d columns, found %(found)d.")
                    % {"row": line, "expected": len(UNITS_HEADER), "found": len(cells)},
                )
            )
            continue
        cells += [""] * (len(UNITS_HEADER) - len(cells))
        row = UnitRow(line, *cells)
        key = row.code.upper()
        if row.code and key in first_line:
            problems.append(
                (
                    line,
                    "units_file.duplicate_code",
                    _("Row %(row)d: the code %(code)s already appears on row %(first)d.")
                    % {"row": line, "code": row.code, "first": first_line[key]},
                )
            )
            continue
        if row.code:
            first_line[key] = line
        plan.rows.append(row)
    if not plan.rows and not problems:
        raise UnitError(
            [_("The file has no unit rows (only the header).")], code="units_file.no_rows"
        )
    problems += _check_rows(plan)
    if problems:
        problems.sort(key=lambda problem: problem[0])
        raise UnitError(
            [text for _line, _code, text in problems],
            code="units_file.invalid",
            codes=[code for _line, code, _text in problems],
        )
    return plan


def _check_rows(plan: ImportPlan) -> list[tuple[int, str, str]]:
    """Every row's problems (a row may have several), and the plan's created/updated lists."""
    day = queries.today()
    types = {unit_type.code.upper(): unit_type for unit_type in UnitType.objects.all()}
    groups = {group.code.upper(): group for group in PeerGroup.objects.all()}
    in_file = {row.code.upper(): row for row in plan.rows if row.code}
    existing = {
        unit.code.upper(): unit
        for unit in Unit.objects.select_related("unit_type", "parent", "peer_group")
    }
    problems: list[tuple[int, str, str]] = []
    new_groups: set[str] = set()
    for row in plan.rows:
        row_problems: list[tuple[str, str]] = []
        problem = code_problem(row.code)
        if problem:
            row_problems.append(("unit.code_invalid", problem))
        if not row.name:
            row_problems.append(("unit.no_name", _("the name is empty")))
        elif len(row.name) > NAME_MAX:
            row_problems.append(
                (
                    "unit.name_too_long",
                    _("the name is longer than %(max)d characters") % {"max": NAME_MAX},
                )
            )
        if not row.unit_type:
            row_problems.append(("unit.no_type", _("the unit type is empty")))
        elif row.unit_type.upper() not in types:
            row_problems.append(
                (
                    "unit.unknown_type",
                    _("the unit type %(type)s does not exist (known types: %(known)s)")
                    % {"type": row.unit_type, "known": ", ".join(t.code for t in types.values())},
                )
            )
        parent_key = row.parent_code.upper()
        if parent_key and parent_key == row.code.upper():
            row_problems.append(("unit.under_itself", _("a unit cannot be its own parent")))
        elif parent_key:
            parent = existing.get(parent_key)
            if parent is None and parent_key not in in_file:
                row_problems.append(
                    (
                        "unit.unknown_parent",
                        _("the parent unit %(code)s is neither in the file nor in the registry")
                        % {"code": row.parent_code},
                    )
                )
            elif parent is not None and parent.active_to and parent.active_to <= day:
                row_problems.append(
                    (
                        "unit.parent_ended",
                        _("the parent unit %(code)s no longer exists (it ended on %(date)s)")
                        % {"code": row.parent_code, "date": format_date(parent.active_to)},
                    )
                )
        if row.peer_group:
            if code_problem(row.peer_group):
                row_problems.append(
                    (
                        "peer_group.code_invalid",
                        _(
                            "the peer group code %(code)s may only hold letters without "
                            "accents, digits, “.”, “-” and “_”"
                        )
                        % {"code": row.peer_group},
                    )
                )
            elif row.peer_group.upper() not in groups:
                new_groups.add(row.peer_group)
        current = existing.get(row.code.upper())
        if current is not None and current.active_to and current.active_to <= day:
            row_problems.append(
                (
                    "unit.ended",
                    _(
                        "the unit %(code)s ended on %(date)s: an import cannot change it (see its "
                        "lineage for its successors)"
                    )
                    % {"code": row.code, "date": format_date(current.active_to)},
                )
            )
        if not row_problems and _loops(row, in_file, existing):
            row_problems.append(
                ("unit.parent_loop", _("its chain of parent units loops back to itself"))
            )
        problems += [
            (
                row.line,
                code,
                _("Row %(row)d: %(problem)s.") % {"row": row.line, "problem": problem},
            )
            for code, problem in row_problems
        ]
        if not row_problems:
            _classify(plan, row, current)
    plan.new_peer_groups = sorted(new_groups)
    return problems


def _loops(row: UnitRow, in_file: dict[str, UnitRow], existing: dict[str, Unit]) -> bool:
    """Whether following parents from `row` (the file's rows first, then the registry's) loops."""
    seen = {row.code.upper()}
    key = row.parent_code.upper()
    while key:
        if key in seen:
            return True
        seen.add(key)
        if key in in_file:
            key = in_file[key].parent_code.upper()
        elif key in existing and (parent := existing[key].parent) is not None:
            key = parent.code.upper()
        else:
            return False
    return False


def _classify(plan: ImportPlan, row: UnitRow, current: Unit | None) -> None:
    if current is None:
        plan.created.append(row)
        return
    now = {
        "name": current.name,
        "unit_type": current.unit_type.code,
        "parent_code": current.parent.code if current.parent else "",
        "peer_group": current.peer_group.code if current.peer_group else "",
    }
    wanted = {
        "name": row.name,
        "unit_type": row.unit_type,
        "parent_code": row.parent_code,
        "peer_group": row.peer_group,
    }
    changes = {
        key: (now[key], wanted[key])
        for key in now
        if (now[key] != wanted[key] if key == "name" else now[key].upper() != wanted[key].upper())
    }
    if changes:
        plan.updated.append((row, changes))
    else:
        plan.unchanged.append(row)


def _depth(row: UnitRow, in_file: dict[str, UnitRow]) -> int:
    depth, key, seen = 0, row.parent_code.upper(), set()
    while key in in_file and key not in seen:
        seen.add(key)
        depth += 1
        key = in_file[key].parent_code.upper()
    return depth


@transaction.atomic
def import_units(*, by: User | None, rows: list[list[str]], dry_run: bool = False) -> ImportPlan:
    """Create and update units from the rows of a units file, all or nothing; unknown peer groups
    are created. With `dry_run`, everything is checked and nothing is saved."""
    plan = plan_import(rows)
    if dry_run:
        return plan
    types = {unit_type.code.upper(): unit_type for unit_type in UnitType.objects.all()}
    groups = {group.code.upper(): group for group in PeerGroup.objects.all()}
    for code in plan.new_peer_groups:
        groups[code.upper()] = create_peer_group(by=by, code=code, name=code)
    units = {unit.code.upper(): unit for unit in Unit.objects.all()}
    in_file = {row.code.upper(): row for row in plan.rows}
    updated = {row.code.upper() for row, _changes in plan.updated}
    created = {row.code.upper() for row in plan.created}
    # Parents before children, so each row's parent exists when the row is saved.
    for row in sorted(plan.rows, key=lambda item: _depth(item, in_file)):
        key = row.code.upper()
        values: dict[str, Any] = {
            "name": row.name,
            "unit_type": types[row.unit_type.upper()],
            "parent": units[row.parent_code.upper()] if row.parent_code else None,
            "peer_group": groups[row.peer_group.upper()] if row.peer_group else None,
        }
        reason = _("Imported from a units file")
        if key in created:
            units[key] = create_unit(by=by, code=row.code, reason=reason, **values)
        elif key in updated:
            unit = units[key]
            update_unit(
                by=by,
                unit=unit,
                active_from=unit.active_from,
                active_to=unit.active_to,
                contact_name=unit.contact_name,
                contact_email=unit.contact_email,
                reason=reason,
                **values,
            )
    return plan
