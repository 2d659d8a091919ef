"""The round dashboard as plain rows, and an XLSX writer for them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from parindex.rounds.queries import DashboardRow


def dashboard_rows(rows: Iterable[DashboardRow]) -> Iterator[list[Any]]:
    """Header, then one row per unit: status, progress, evidence coverage, deadline."""
    yield [
        _("Unit code"),
        _("Unit"),
        _("Unit type"),
        _("Status"),
        _("Answered"),
        _("Criteria"),
        _("Answered (%)"),
        _("With evidence (%)"),
        _("Current phase"),
        _("Deadline"),
        _("Days left"),
    ]
    for row in rows:
        assessment = row.assessment
        yield [
            assessment.unit.code,
            assessment.unit.name,
            assessment.unit.unit_type.code,
            str(assessment.get_status_display()),
            row.answered,
            row.total,
            row.answered_percent,
            row.evidence_percent,
            row.phase_label,
            row.deadline,
            row.days_left,
        ]


def to_xlsx(rows: Iterable[list[Any]], title: str) -> bytes:
    """A one-sheet workbook: bold frozen header, dates as dd/mm/yyyy."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = title[:31]
    for number, row in enumerate(rows):
        sheet.append(row)
        if number == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.is_date:  # type: ignore[union-attr]  # no merged cells here
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        letter = column[0].column_letter  # type: ignore[union-attr]  # no merged cells here
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
