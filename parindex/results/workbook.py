"""The results workbook (XLSX): rankings, the lost-points appendix and, when asked, the units.

Streamed by `parindex.documents.xlsx` and written once, so the national workbook (3,500 units)
takes seconds. A unit's detailed sheet is added for the units a reader is limited to (a
commune's own page), for every unit of a round of up to `UNIT_SHEETS_UP_TO` units, and beyond
only when asked (`unit_sheets=True`, the command's `--unit-sheets`): 3,500 sheets of a hundred
lines are for the command line or a background job, not a download.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext as _

from parindex.documents.xlsx import Sheet, write_xlsx_to
from parindex.results import exports
from parindex.results.computing import RoundResults

if TYPE_CHECKING:
    from parindex.results.documents import Scope

PERCENT = "0.00"
# Up to this many units a workbook holds every unit's sheet unasked (a province's departments
# and districts); a national round's 3,500 communes get theirs only when asked.
UNIT_SHEETS_UP_TO = 200


def results_xlsx(
    results: RoundResults,
    type_code: str = "",
    scope: Scope | None = None,
    *,
    unit_sheets: bool | None = None,
) -> bytes:
    """The workbook's bytes (see `write_results_xlsx`)."""
    output = io.BytesIO()
    write_results_xlsx(results, output, type_code, scope, unit_sheets=unit_sheets)
    return output.getvalue()


def write_results_xlsx(
    results: RoundResults,
    output: IO[bytes],
    type_code: str = "",
    scope: Scope | None = None,
    *,
    unit_sheets: bool | None = None,
) -> None:
    """Stream the workbook to `output`: ranking per unit type, the lost-points appendix (if the
    scope sees the analysis), and one detailed sheet per unit: by default the scope's own units
    when it is limited to some, else every unit up to `UNIT_SHEETS_UP_TO`; `unit_sheets` says
    yes or no whatever the number."""
    write_xlsx_to(sheets(results, type_code, scope, unit_sheets=unit_sheets), output)


def sheets(
    results: RoundResults,
    type_code: str = "",
    scope: Scope | None = None,
    *,
    unit_sheets: bool | None = None,
) -> Iterator[Sheet]:
    """The workbook's sheets, made as the writer asks for them."""
    unit_codes = None if scope is None else scope.unit_codes
    sees_analysis = True if scope is None else scope.sees_analysis
    if unit_sheets is None:
        unit_sheets = unit_codes is not None or results.unit_count <= UNIT_SHEETS_UP_TO
    prefix = _("PROVISIONAL") + " " if results.is_provisional else ""
    types = [t for t in results.types.values() if not type_code or t.code == type_code]
    for type_results in types:
        areas = len(type_results.index_set.areas)
        yield Sheet(
            prefix + _("Ranking") + " " + type_results.code,
            exports.ranking_rows(type_results),
            number_formats={3: PERCENT, 4: PERCENT, 5: PERCENT}
            | {7 + i: PERCENT for i in range(areas)},
            widths={2: 40},
            printable=True,
        )
    for type_results in types if sees_analysis else []:
        yield Sheet(
            prefix + _("Lost points") + " " + type_results.code,
            exports.lost_points_rows(type_results),
            number_formats={3: PERCENT},
            widths={1: 60},
            printable=True,
        )
    if not unit_sheets:
        return
    for type_results in types:
        for unit in type_results.ranked():
            if unit_codes is not None and unit not in unit_codes:
                continue
            yield Sheet(
                f"{prefix}{unit}",
                exports.unit_rows(type_results, unit),
                number_formats={2: PERCENT, 3: PERCENT, 4: PERCENT, 5: PERCENT, 6: PERCENT},
                widths={1: 60, 7: 50},
                printable=True,
            )
