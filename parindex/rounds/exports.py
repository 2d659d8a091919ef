"""The round dashboard as plain rows, and as an XLSX workbook."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from parindex.documents.xlsx import Sheet, write_xlsx
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
    """A one-sheet workbook by the one XLSX writer: bold frozen header, dates as dd/mm/yyyy,
    formula-like text neutralised."""
    return write_xlsx([Sheet(title, rows)])
