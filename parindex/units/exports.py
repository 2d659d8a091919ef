"""Units as rows in the format of docs/design.md (`code,name,unit_type,parent_code,peer_group`),
written to CSV (documents.tables.write_csv) or XLSX files that an import reads back unchanged.

The XLSX file is the one people open: its header row is in Vietnamese (`UNITS_HEADER_VI`, which
the import accepts too); the CSV file keeps the machine header of the contract."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from parindex.documents.xlsx import Sheet, write_xlsx
from parindex.units.models import Unit
from parindex.units.services import UNITS_HEADER, UNITS_HEADER_VI

WIDTHS = {0: 18, 1: 45, 2: 10, 3: 18, 4: 14}


def unit_rows(units: Iterable[Unit], *, vietnamese: bool = False) -> Iterator[list[str]]:
    """The header (machine or Vietnamese), then one row per unit (parent and peer group by code)."""
    yield list(UNITS_HEADER_VI if vietnamese else UNITS_HEADER)
    for unit in units:
        yield [
            unit.code,
            unit.name,
            unit.unit_type.code,
            unit.parent.code if unit.parent else "",
            unit.peer_group.code if unit.peer_group else "",
        ]


def units_xlsx(rows: Iterable[list[str]], title: str) -> bytes:
    """A one-sheet workbook by the one XLSX writer; every cell is text, formula-like text is
    neutralised (and read back unchanged by the import)."""
    return write_xlsx([Sheet(title, rows, widths=WIDTHS)])
