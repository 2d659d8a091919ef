"""A small XLSX writer shared by every export: plain rows in, a workbook's bytes out.

Each sheet's first row is its header: bold, frozen and filtered. Numbers stay numbers (Decimals
keep their value; the column's number format decides the display, so Vietnamese Excel shows
85,95). Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is neutralised with a leading apostrophe (OWASP "CSV injection").

    data = write_xlsx([Sheet("Kết quả", rows, number_formats={2: "0.00"}, widths={1: 40})])

The workbook is streamed (openpyxl's write-only mode) and written once: rows go to disk as
they come, so a national workbook (3,500 units) takes seconds and little memory. Column widths
are measured on the first rows (`WIDTH_SAMPLE`); `Sheet.widths` sets any of them exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported on the first workbook written, not with every process
    from openpyxl import Workbook
    from openpyxl.cell import Cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
WIDTH_SAMPLE = 200  # rows whose lengths set the column widths


@dataclass
class Sheet:
    """One worksheet: a title (31 characters at most) and its rows, header first."""

    title: str
    rows: Iterable[Sequence[Any]]
    number_formats: Mapping[int, str] = field(default_factory=dict)  # column index (0-based)
    widths: Mapping[int, float] = field(default_factory=dict)
    choices: Mapping[int, Sequence[str]] = field(default_factory=dict)  # a dropdown per column
    header_fill: str = ""  # an RGB colour behind the header, e.g. "DDE7F3"
    autofilter: bool = True
    printable: bool = False  # A4 landscape, one page wide, the header repeated on each page


def neutralise(value: Any) -> Any:
    """A value that cannot run as a formula: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP "CSV injection"); anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """Write the sheets to an XLSX workbook and return its bytes."""
    output = io.BytesIO()
    write_xlsx_to(sheets, output)
    return output.getvalue()


def write_xlsx_to(sheets: Iterable[Sheet], output: IO[bytes]) -> None:
    """Stream the sheets to an XLSX workbook in `output` (a file, or a buffer)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        _write_sheet(workbook, sheet)
        count += 1
    if not count:
        workbook.create_sheet("Sheet")
    workbook.save(output)


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    worksheet = workbook.create_sheet(title=sheet.title[:31] or "Sheet")
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    # Widths and frozen panes precede the rows in the file: set them from the sample first.
    widths: dict[int, int] = {}
    for row in sample[1:]:
        for column, value in enumerate(row):
            widths[column] = max(widths.get(column, 8), len(str(value or "")) + 2)
    for column, width in widths.items():
        worksheet.column_dimensions[get_column_letter(column + 1)].width = min(width, 60)
    for column, chosen in sheet.widths.items():
        worksheet.column_dimensions[get_column_letter(column + 1)].width = chosen
    if sample:
        worksheet.freeze_panes = "A2"
    row_count = column_count = 0
    cell = _Cells(worksheet, sheet)
    for row_index, row in enumerate(itertools.chain(sample, rows)):
        if row_index == 0:
            worksheet.append([cell.header(value) for value in row])
        else:
            worksheet.append([cell.body(column, value) for column, value in enumerate(row)])
        row_count += 1
        column_count = max(column_count, len(row))
    if row_count and column_count and sheet.autofilter:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(column_count)}{row_count}"
    for column, values in sheet.choices.items():
        # Room below the rows for what people add by hand.
        letter = get_column_letter(column + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{max(row_count - 1, 2) + 200}")
        worksheet.data_validations.append(validation)
    if sheet.printable:
        worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.print_title_rows = "1:1"


class _Cells:
    """The cells of one sheet: styled where a style is due, plain values otherwise (cheap)."""

    def __init__(self, worksheet: Any, sheet: Sheet) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.styles import Alignment, Font, PatternFill

        self.new_cell = WriteOnlyCell
        self.error_codes = ERROR_CODES
        self.worksheet = worksheet
        self.formats = sheet.number_formats
        self.fill = PatternFill("solid", fgColor=sheet.header_fill) if sheet.header_fill else None
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="center")

    def header(self, value: Any) -> Any:
        cell = self.cell(value)
        cell.font = self.bold
        cell.alignment = self.wrap
        if self.fill is not None:
            cell.fill = self.fill
        return cell

    def body(self, column: int, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if column in self.formats:
            number_format = self.formats[column]
        elif isinstance(value, Decimal | float):
            number_format = DECIMAL_FORMAT
        elif isinstance(value, int):
            number_format = INTEGER_FORMAT
        elif isinstance(value, dt.date):
            number_format = DATE_FORMAT
        elif (
            isinstance(value, str)
            and not value.startswith(FORMULA_PREFIXES)
            and (value not in self.error_codes)
        ):
            return value  # plain text: openpyxl's shared cell writes it
        else:
            return self.cell(value)
        cell = self.cell(value)
        cell.number_format = number_format
        return cell

    def cell(self, value: Any) -> Cell:
        """A cell of its own, its text neutralised and never read as a formula or error code."""
        cell = self.new_cell(self.worksheet, value=neutralise(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        return cell
