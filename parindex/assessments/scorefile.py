"""Reading the scores interchange file (CSV or XLSX): `unit_code,criterion_code,stage,points,note`.

`stage` is self, appraised or survey; `points` a number (0.5 or 0,5) or NA (not applicable).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from parindex.core.refusals import Refused
from parindex.documents import tables

HEADER = ["unit_code", "criterion_code", "stage", "points", "note"]


@dataclass(frozen=True)
class ScoreRow:
    line: int
    unit_code: str
    criterion_code: str
    stage: str
    points: str
    note: str


class FileUnreadable(Refused):
    """The file is not a scores CSV/XLSX; the message says why, in Vietnamese."""

    default_code = "scores.file_unreadable"


def read(stream: IO[bytes], name: str = "") -> list[ScoreRow]:
    """The rows of a scores file, read by the one table module: XLSX (judged by its content) or
    CSV in UTF-8 (comma, semicolon or tab), under its limits."""
    try:
        table = tables.read_lines(tables.read_upload(stream), Path(name).name)
    except tables.TableError as error:
        raise FileUnreadable(error.message) from error
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
