"""Reading the scores interchange file (CSV or XLSX): `unit_code,criterion_code,stage,points,note`.

`stage` is self, appraised or survey; `points` a number (0.5 or 0,5) or NA (not applicable).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

HEADER = ["unit_code", "criterion_code", "stage", "points", "note"]


@dataclass(frozen=True)
class ScoreRow:
    line: int
    unit_code: str
    criterion_code: str
    stage: str
    points: str
    note: str


class FileUnreadable(ValueError):
    """The file is not a scores CSV/XLSX; the message says why, in Vietnamese."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value).strip()


def read(stream: IO[bytes], name: str = "") -> list[ScoreRow]:
    """The rows of a scores file, by content: XLSX (a ZIP) or UTF-8 CSV."""
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04" or Path(name).suffix.lower() == ".xlsx":
        table = _xlsx_rows(stream)
    else:
        try:
            text = stream.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileUnreadable(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from None
        table = list(csv.reader(io.StringIO(text)))
    if not table or [cell.strip().lower() for cell in table[0][: len(HEADER)]] != HEADER:
        raise FileUnreadable(
            _("The first row must be the header: %(header)s") % {"header": ",".join(HEADER)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        cells = [*cells, *[""] * len(HEADER)][: len(HEADER)]
        if not any(cells):
            continue
        rows.append(ScoreRow(line, *(cell.strip() for cell in cells)))
    return rows


def _xlsx_rows(stream: IO[bytes]) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken workbook
        raise FileUnreadable(_("The file is not a readable XLSX workbook.")) from None
    sheet = workbook.worksheets[0]
    return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
