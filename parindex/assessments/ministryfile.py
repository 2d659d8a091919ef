"""The Ministry's files read as tables, and its appraised points of the province's criteria.

Both the national tables (read by the national app) and the appraised-points file come from the
Ministry as CSV (UTF-8, comma, semicolon or tab) or XLSX. The appraised-points file
(`criterion_code,criterion_name,max_points,points,owner`, one province and year) fills the
province's own assessment here and the national analysis above, so it is read at this layer,
the lower of the two. Every problem is collected with its row number, in the active language;
a file with any problem is refused as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.numbers import NumberInvalid, typed_number
from parindex.core.refusals import Problems, Refused
from parindex.documents import tables
from parindex.engine.decimals import round_percent as round2

MAX_BYTES = 5 * 1024 * 1024
LIMITS = tables.Limits(max_bytes=MAX_BYTES)
APPRAISED_HEADER = ["criterion_code", "criterion_name", "max_points", "points", "owner"]
NUMBER_LIMIT = 100_000  # no percentage, year or maximum of points comes near


class ImportFailed(Refused):
    """A file was refused as a whole; `problems` lists every problem with its row."""

    default_code = "ministry_file.refused"


def read_rows(data: bytes, filename: str = "") -> list[list[str]]:
    """The cells of a CSV (UTF-8, comma, semicolon or tab) or XLSX file (first sheet) as text,
    item 0 being row 1, read by the one table module under its limits (5 MB at most)."""
    try:
        return tables.read_lines(data, filename, limits=LIMITS)
    except tables.TableError as error:
        raise ImportFailed([error.message], code="ministry_file.unreadable") from error


def parse_decimal(text: str) -> Decimal | None:
    """A number written 85.95, 85,95 or 85.95% (None if it is not a number).

    Read by the one parser of typed numbers: no exponent, underscore or inner space. A float
    from a workbook may read 85.95000000000001: the decimals allowed take that noise, which
    the callers then round away (`_FLOAT_NOISE`).
    """
    try:
        return typed_number(
            text.strip().removesuffix("%"), limit=NUMBER_LIMIT, decimals=20, negative=True
        )
    except NumberInvalid:
        return None


@dataclass(frozen=True)
class AppraisedRow:
    """One checked row of the Ministry's appraised points."""

    line: int
    code: str
    name: str
    max_points: Decimal
    points: Decimal
    owner: str


def parse_appraised(data: bytes) -> list[AppraisedRow]:
    """Read and check an appraised-points file; raise ImportFailed listing every problem."""
    rows = read_rows(data)
    if not rows or not any(rows[0]):
        raise ImportFailed([_("The file is empty.")], code="ministry_file.empty")
    header = [cell.strip().lower() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if header != APPRAISED_HEADER:
        raise ImportFailed(
            [
                _("The header must be: %(header)s (found: %(found)s)")
                % {"header": ",".join(APPRAISED_HEADER), "found": ",".join(header)}
            ],
            code="ministry_file.bad_header",
        )
    problems = Problems()
    checked: list[AppraisedRow] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + [""] * 5
        if not any(cells):
            continue
        code, name, max_text, points_text, owner = cells[:5]
        row_problems: list[tuple[str, str]] = []
        if not code:
            row_problems.append(("ministry_file.no_code", _("the criterion code is empty")))
        elif code in seen:
            row_problems.append(
                (
                    "ministry_file.duplicate_code",
                    _("the criterion %(code)s already appears on row %(earlier)d")
                    % {"code": code, "earlier": seen[code]},
                )
            )
        else:
            seen[code] = line
        if not name:
            row_problems.append(("ministry_file.no_name", _("the criterion name is empty")))
        max_points = parse_decimal(max_text)
        points = parse_decimal(points_text)
        if max_points is None or max_points <= 0:
            row_problems.append(
                (
                    "ministry_file.max_not_positive",
                    _("max_points “%(value)s” is not a positive number") % {"value": max_text},
                )
            )
        if points is None:
            row_problems.append(
                (
                    "ministry_file.points_not_a_number",
                    _("points “%(value)s” is not a number") % {"value": points_text},
                )
            )
        elif max_points is not None and not Decimal(0) <= points <= max_points:
            row_problems.append(
                (
                    "ministry_file.points_out_of_range",
                    _("points %(points)s is not between 0 and the maximum %(max)s")
                    % {"points": points_text, "max": max_text},
                )
            )
        if row_problems:
            for row_code, problem in row_problems:
                problems.add(
                    _("Row %(row)d: %(problem)s.") % {"row": line, "problem": problem},
                    code=row_code,
                )
            continue
        assert max_points is not None and points is not None
        checked.append(AppraisedRow(line, code, name, round2(max_points), round2(points), owner))
    if not checked and not problems:
        raise ImportFailed([_("The file has no criterion rows.")], code="ministry_file.no_rows")
    if problems:
        raise ImportFailed(problems.texts, code="ministry_file.invalid", codes=problems.codes)
    return checked
