"""Units as rows in the format of docs/design.md (`code,name,unit_type,parent_code,peer_group`),
and the small writers that turn those rows into CSV or XLSX files an import reads back unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from parindex.units.models import Unit
from parindex.units.services import UNITS_HEADER


def unit_rows(units: Iterable[Unit]) -> Iterator[list[str]]:
    """The header, then one row per unit (parent and peer group by code)."""
    yield list(UNITS_HEADER)
    for unit in units:
        yield [
            unit.code,
            unit.name,
            unit.unit_type.code,
            unit.parent.code if unit.parent else "",
            unit.peer_group.code if unit.peer_group else "",
        ]


def write_csv(rows: Iterable[list[str]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[list[str]], title: str) -> bytes:
    """A one-sheet workbook with a bold, frozen header row; every cell is text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate((18, 45, 10, 18, 14)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        if number == 0:
            header = [WriteOnlyCell(sheet, value=value) for value in row]
            for cell in header:
                cell.font = bold
            sheet.append(header)
        else:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
