"""Reading the scores interchange file (CSV or XLSX): `unit_code,criterion_code,stage,points,note`.

`stage` is self, appraised or survey; `points` a number (0.5 or 0,5) or NA (not applicable).
A national round's file (3,500 units × 150 leaves: 525,000 rows) is read row by row
(`iter_rows`) under `FILE_LIMITS`, wider than an upload's: it comes from the office's own disk
on the command line. The rows are then checked and written in bulk (`assessments.bulk`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

from django.utils.translation import gettext as _

from parindex.core.refusals import Refused
from parindex.documents import tables

HEADER = ["unit_code", "criterion_code", "stage", "points", "note"]

MB = 1024 * 1024
# A national round's scores file with room to spare (about 15 MB as CSV, 2.6 million cells).
# The ZIP limits stay those of every other import (an XLSX unpacks to 64 MB at most, about
# 300,000 rows: a national round comes as CSV), and so do the cell and XML checks.
FILE_LIMITS = tables.Limits(
    max_bytes=128 * MB,
    max_rows=2_000_000,
    max_cells=12_000_000,
    max_elements=40_000_000,
)


class ScoreRow(NamedTuple):
    """One row of the file: its line number and its five cells (half a million in a national
    file, hence a named tuple)."""

    line: int
    unit_code: str
    criterion_code: str
    stage: str
    points: str
    note: str


class FileUnreadable(Refused):
    """The file is not a scores CSV/XLSX; the message says why, in Vietnamese."""

    default_code = "scores.file_unreadable"


def iter_rows(
    stream: IO[bytes], name: str = "", *, limits: tables.Limits = tables.DEFAULT_LIMITS
) -> Iterator[ScoreRow]:
    """The rows of a scores file as they are read: XLSX (judged by its content) or CSV in UTF-8
    (comma, semicolon or tab), under `limits`. An unreadable file or a wrong header raises
    `FileUnreadable` while iterating (a caller writing as it reads undoes its transaction)."""
    try:
        data = tables.read_upload(stream, limits=limits)
        rows = tables.iter_rows(data, Path(name).name, limits=limits)
        header = next(rows, None)
        if header is None or header.number != 1 or _header(header.cells) != HEADER:
            raise FileUnreadable(
                _("The first row must be the header: %(header)s") % {"header": ",".join(HEADER)},
                code="scores.bad_header",
            )
        width = len(HEADER)
        max_rows = limits.max_rows
        for row in rows:
            number, cells = row.number, row.cells
            if number > max_rows:
                raise tables.TableError("too_many_rows", limit=max_rows)
            if len(cells) != width:
                cells = [*cells, *[""] * width][:width]
            unit, criterion, stage, points, note = cells
            if unit or criterion or stage or points or note:
                yield ScoreRow(
                    number,
                    unit.strip(),
                    criterion.strip(),
                    stage.strip(),
                    points.strip(),
                    note.strip(),
                )
    except tables.TableError as error:
        raise FileUnreadable(error.message) from error


def _header(cells: list[str]) -> list[str]:
    return [cell.strip().lower() for cell in cells[: len(HEADER)]]


def read(
    stream: IO[bytes], name: str = "", *, limits: tables.Limits = tables.DEFAULT_LIMITS
) -> list[ScoreRow]:
    """Every row of a scores file (see `iter_rows`), read before anything is checked."""
    return list(iter_rows(stream, name, limits=limits))
