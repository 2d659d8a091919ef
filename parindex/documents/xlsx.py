"""A small XLSX writer shared by every export: plain rows in, a workbook's bytes out.

Each sheet's first row is its header: bold, frozen and filtered. Numbers stay numbers (Decimals
keep their value; the column's number format decides the display, so Vietnamese Excel shows
85,95). Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is neutralised with a leading apostrophe (OWASP "CSV injection").

    data = write_xlsx([Sheet("Kết quả", rows, number_formats={2: "0.00"}, widths={1: 40})])
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"


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


def neutralise(value: Any) -> Any:
    """A value that cannot run as a formula: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP "CSV injection"); anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """Write the sheets to an XLSX workbook and return its bytes."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31] or "Sheet")
        widths: dict[int, int] = {}
        for row_index, row in enumerate(sheet.rows, start=1):
            for column_index, value in enumerate(row, start=1):
                cell = worksheet.cell(row=row_index, column=column_index, value=neutralise(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                if row_index == 1:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                    continue
                column = column_index - 1
                if column in sheet.number_formats:
                    cell.number_format = sheet.number_formats[column]
                elif isinstance(value, Decimal | float):
                    cell.number_format = DECIMAL_FORMAT
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.number_format = INTEGER_FORMAT
                elif isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                widths[column_index] = max(widths.get(column_index, 8), len(str(value or "")) + 2)
        if worksheet.max_row >= 1 and worksheet.max_column >= 1:
            worksheet.freeze_panes = "A2"
            if sheet.autofilter:
                worksheet.auto_filter.ref = worksheet.dimensions
        if sheet.header_fill:
            for cell in worksheet[1]:
                cell.fill = PatternFill("solid", fgColor=sheet.header_fill)
        for column, values in sheet.choices.items():
            # Room below the rows for what people add by hand.
            letter = get_column_letter(column + 1)
            validation = DataValidation(
                type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{max(worksheet.max_row - 1, 2) + 200}")
            worksheet.add_data_validation(validation)
        for column_index, width in widths.items():
            worksheet.column_dimensions[get_column_letter(column_index)].width = min(width, 60)
        for column, set_width in sheet.widths.items():
            worksheet.column_dimensions[get_column_letter(column + 1)].width = set_width
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
