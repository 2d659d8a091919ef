"""The one table module: every CSV/XLSX file the project reads or writes goes through here.

Reading takes bytes (a CSV in UTF-8, with or without a byte-order mark, delimited by ',' ';' or
a tab; or an XLSX workbook, judged by its content) and gives text cells, under limits that a
hostile file cannot get round:

- the file's size is checked first; an XLSX's ZIP directory (member count, each member's
  declared size, their total, the compression ratio) is checked before anything is inflated;
- XML is parsed by expat in chunks while the bytes actually inflated are counted (a ZIP
  directory can lie), and a DOCTYPE or ENTITY declaration is refused (XXE, billion laughs);
- rows, columns and cells are counted as they are read; the sheet's declared `<dimension>` is
  never used to allocate anything.

One cell-to-text rule for every importer: text is stripped; a number is written without a
useless ".0" (12.0 → "12") or as its shortest exact decimal ("0.5"); a date-formatted number
is "YYYY-MM-DD" (with a time, ISO 8601); a boolean is "TRUE"/"FALSE"; a formula's cached value
is read and the formula itself is never evaluated. A leading apostrophe added by the writers'
formula guard is taken off again, so an export imports back unchanged. Fully empty rows are
skipped (each row keeps its number in the file) and trailing empty cells dropped; rows are
padded to the header's width.

    table = read_table(data, "units.xlsx")        # Table(name, header, rows) of the first sheet
    for row in iter_rows(data, "scores.csv"): ... # header first, streamed

A refusal is a TableError with a stable `code` and its `params`; its message is the
Vietnamese sentence for that code, naming the limit that was exceeded.

Writing: `write_csv` and `write_xlsx` neutralise text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) with a leading apostrophe; numbers stay
numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any, NoReturn
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _

from parindex.documents.xlsx import FORMULA_PREFIXES, Sheet, neutralise, write_xlsx

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Row",
    "Sheet",
    "Table",
    "TableError",
    "ZipLimits",
    "check_zip",
    "iter_rows",
    "neutralise",
    "read_table",
    "read_lines",
    "read_tables",
    "read_upload",
    "write_csv",
    "write_xlsx",
]

MB = 1024 * 1024
CHUNK = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) format
TABLE_SUFFIXES = {"", ".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
EXCEL_COLUMNS = 16384  # XFD, the last column Excel has
EXCEL_CELL_CHARS = 32767  # the most characters an Excel cell holds


@dataclass(frozen=True)
class Limits:
    """How much of a file is read before it is refused. The defaults fit every import of the
    project (a province's units, a round's scores, the national tables) many times over."""

    max_bytes: int = 10 * MB  # the file as uploaded (compressed, for an XLSX)
    max_inflated: int = 64 * MB  # all ZIP members together, declared and actually inflated
    max_members: int = 500  # entries in the ZIP directory
    max_ratio: int = 200  # inflated size / compressed size of a member over 1 MB
    max_rows: int = 100_000  # rows with a value, per read
    max_columns: int = 256  # the right-most column holding a value
    max_cells: int = 500_000  # cells read (XLSX: every <c> element; CSV: every field)
    max_cell_chars: int = EXCEL_CELL_CHARS
    # XML elements parsed (empty rows and cells, formatting and all) and CSV lines: what bounds
    # the time a refusal takes (about a second per million on this project's servers).
    max_elements: int = 2_000_000


DEFAULT_LIMITS = Limits()
RATIO_FLOOR = 1 * MB  # small members may compress as much as they like


_MESSAGES = {
    "too_large": _("The file is larger than the limit of %(limit_mb)s MB."),
    "zip_bomb": _(
        "The file unpacks to more than %(limit_mb)s MB (or is compressed more than %(ratio)s "
        "times), which no real document does; it was refused without being unpacked."
    ),
    "too_many_members": _(
        "The file holds more than %(limit)s parts; a real Office document has far fewer."
    ),
    "too_many_rows": _("The table has more than %(limit)s rows, the limit for one file."),
    "too_many_columns": _(
        "The table has a value in column %(column)s, beyond the limit of %(limit)s columns."
    ),
    "too_many_cells": _("The table has more than %(limit)s cells, the limit for one file."),
    "cell_too_long": _(
        "Row %(row)s has a cell longer than %(limit)s characters, the most a cell may hold."
    ),
    "xml_forbidden": _(
        "The workbook contains a DOCTYPE or ENTITY declaration, which Excel never writes; "
        "it was refused for safety. Save the table again from Excel as .xlsx."
    ),
    "old_excel": _(
        "%(name)s is in the old Excel format (.xls). Open it in Excel and save it as an Excel "
        "workbook (.xlsx) or as CSV UTF-8."
    ),
    "not_xlsx": _(
        "%(name)s is named .xlsx but is not an Excel workbook. Save it from Excel as an Excel "
        "workbook (.xlsx), or as CSV UTF-8 named .csv."
    ),
    "not_a_table": _("%(name)s is neither a CSV table nor an Excel workbook (.xlsx)."),
    "damaged": _("%(name)s is a damaged Excel workbook and cannot be read; save it again."),
    "bad_encoding": _(
        "%(name)s is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”."
    ),
    "empty": _("%(name)s holds no table: it is empty."),
}


class TableError(Exception):
    """A table file refused: a stable `code`, its `params`, and the Vietnamese `message`."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        params = {"name": _("The file"), **self.params}
        shown = {key: _grouped(value) for key, value in params.items()}
        return str(_MESSAGES[self.code]) % shown

    def __str__(self) -> str:
        return self.message


def _grouped(value: Any) -> Any:
    """A whole number with Vietnamese thousands separators (1.000.000); anything else as is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}".replace(",", ".")
    return value


@dataclass(frozen=True)
class Row:
    """One row of a table: its number in the file (the header is 1 when it is the first line)
    and its cells as text. `number_columns` lists the columns whose XLSX cell was a number
    (not text), for a reader that must tell the code 1.10 typed as text from the number 1.1."""

    number: int
    cells: list[str]
    number_columns: frozenset[int] = field(default=frozenset())


@dataclass(frozen=True)
class Table:
    """A sheet (or CSV file): its name, its header row and its other rows."""

    name: str
    header: list[str]
    rows: list[Row]
    header_number: int = 1


# -- entry points -------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "", *, limits: Limits = DEFAULT_LIMITS) -> Table:
    """The first sheet of an XLSX workbook, or the CSV table, with its header and rows."""
    return read_tables(data, filename, limits=limits, first_only=True)[0]


def read_tables(
    data: bytes, filename: str = "", *, limits: Limits = DEFAULT_LIMITS, first_only: bool = False
) -> list[Table]:
    """Every sheet of an XLSX workbook (a CSV file is one table)."""
    budget = _Budget(limits)
    tables = []
    for name, rows in _sheets(data, filename, limits, budget, first_only=first_only):
        tables.append(_table(name, list(rows)))
    return tables


def iter_rows(data: bytes, filename: str = "", *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Row]:
    """The rows of the first sheet (or of the CSV file), header first, read as they come."""
    budget = _Budget(limits)
    for _name, rows in _sheets(data, filename, limits, budget, first_only=True):
        header_width = None
        for row in rows:
            if header_width is None:
                header_width = len(row.cells)
                yield row
            else:
                yield _padded(row, header_width)


def read_lines(
    data: bytes, filename: str = "", *, limits: Limits = DEFAULT_LIMITS
) -> list[list[str]]:
    """The first sheet's rows at their places, for an importer that numbers rows by position:
    item 0 is row 1, a row skipped as empty comes back as [], the others are padded to the
    header's width. A row numbered beyond `limits.max_rows` is refused (too_many_rows), so a far
    cell cannot make this list long."""
    lines: list[list[str]] = []
    for row in iter_rows(data, filename, limits=limits):
        if row.number > limits.max_rows:
            raise TableError("too_many_rows", limit=limits.max_rows)
        lines.extend([] for _ in range(row.number - 1 - len(lines)))
        lines.append(row.cells)
    return lines


def read_upload(upload: IO[bytes], *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """An uploaded file's bytes, refused (too_large) without reading more than the limit."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        raise TableError("too_large", limit_mb=limits.max_bytes // MB)
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise TableError("too_large", limit_mb=limits.max_bytes // MB)
    return data


def _table(name: str, rows: list[Row]) -> Table:
    if not rows:
        return Table(name, [], [])
    header, *body = rows
    width = len(header.cells)
    return Table(name, header.cells, [_padded(row, width) for row in body], header.number)


def _padded(row: Row, width: int) -> Row:
    if len(row.cells) >= width:
        return row
    return Row(row.number, row.cells + [""] * (width - len(row.cells)), row.number_columns)


def _sheets(
    data: bytes, filename: str, limits: Limits, budget: _Budget, *, first_only: bool
) -> Iterator[tuple[str, Iterator[Row]]]:
    name = PurePath(filename).name
    suffix = PurePath(filename).suffix.lower()
    if len(data) > limits.max_bytes:
        raise TableError("too_large", limit_mb=limits.max_bytes // MB)
    if not data.strip():
        raise TableError("empty", **_named(name))
    if data.startswith(OLE_MAGIC):
        raise TableError("old_excel", **_named(name))
    if data.startswith(ZIP_MAGIC):
        yield from _Workbook(data, name, limits, budget).sheets(first_only=first_only)
        return
    if suffix in (".xlsx", ".xlsm"):
        raise TableError("not_xlsx", **_named(name))
    if suffix not in TABLE_SUFFIXES or b"\x00" in data:
        raise TableError("not_a_table", **_named(name))
    yield PurePath(name).stem, _csv_rows(data, name, budget)


def _named(name: str) -> dict[str, str]:
    return {"name": name} if name else {}


# -- counting what is read ----------------------------------------------------------------------


class _Budget:
    """What one read has consumed so far; refuses as soon as a limit is passed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.inflated = 0
        self.rows = 0
        self.cells = 0
        self.elements = 0

    def inflate(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.limits.max_inflated:
            raise self.bomb()

    def bomb(self) -> TableError:
        return TableError(
            "zip_bomb", limit_mb=self.limits.max_inflated // MB, ratio=self.limits.max_ratio
        )

    def element(self) -> None:
        self.elements += 1
        if self.elements > self.limits.max_elements:
            raise TableError("too_many_cells", limit=self.limits.max_cells)

    def cell(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise TableError("too_many_cells", limit=self.limits.max_cells)

    def row(self) -> None:
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise TableError("too_many_rows", limit=self.limits.max_rows)

    def column(self, index: int) -> None:
        if index >= self.limits.max_columns:
            raise TableError(
                "too_many_columns", column=column_letter(index), limit=self.limits.max_columns
            )

    def text(self, text: str, row: int) -> None:
        if len(text) > self.limits.max_cell_chars:
            raise TableError("cell_too_long", row=row, limit=self.limits.max_cell_chars)


# -- CSV ----------------------------------------------------------------------------------------


def _csv_rows(data: bytes, name: str, budget: _Budget) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("bad_encoding", **_named(name)) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # ',' when none appears
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    max_chars = budget.limits.max_cell_chars
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field over csv's own size limit, or a stray quote at the end
            limit = budget.limits.max_cell_chars
            raise TableError("cell_too_long", row=number + 1, limit=limit) from None
        number += 1
        budget.element()
        budget.cell(len(record))
        # The hot loop of a national scores file (half a million lines): one pass per cell.
        cells = [_unguard(text) if text[:1] == "'" else text for text in map(str.strip, record)]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        budget.row()
        budget.column(len(cells) - 1)
        if max(map(len, cells)) > max_chars:
            for cell in cells:
                budget.text(cell, number)
        yield Row(number, cells)


def _unguard(text: str) -> str:
    """Take off the apostrophe the writers put before formula-like text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


# -- ZIP directory ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """Limits on a ZIP container (an XLSX or DOCX) judged from its directory alone."""

    max_members: int
    max_inflated: int
    max_ratio: int


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse a ZIP whose directory announces a bomb: too many members, a member or the whole
    declared larger than the limit, or a big member compressed beyond any real document."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise TableError("too_many_members", limit=limits.max_members)
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limits.max_inflated or (
            member.file_size > RATIO_FLOOR and ratio > limits.max_ratio
        ):
            raise TableError("zip_bomb", limit_mb=limits.max_inflated // MB, ratio=limits.max_ratio)


ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unknown compression method
    EOFError,
    OSError,
    ValueError,
    KeyError,
    zlib.error,
    expat.ExpatError,
)


# -- XLSX ---------------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_DOCUMENT = _REL_NS + "/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_SMALL_PART = 4 * MB  # workbook.xml, relationships, styles: read whole, up to this


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


class _Workbook:
    """An XLSX read part by part, never more than the limits allow."""

    def __init__(self, data: bytes, name: str, limits: Limits, budget: _Budget) -> None:
        self.name = name
        self.limits = limits
        self.budget = budget
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except ZIP_ERRORS:
            raise TableError("damaged", **_named(name)) from None
        check_zip(
            self.archive, ZipLimits(limits.max_members, limits.max_inflated, limits.max_ratio)
        )
        self.names = set(self.archive.namelist())

    def _damaged(self) -> TableError:
        return TableError("damaged", **_named(self.name))

    def sheets(self, *, first_only: bool) -> Iterator[tuple[str, Iterator[Row]]]:
        try:
            workbook_path = self._workbook_path()
            sheets, date1904 = self._sheet_list(workbook_path)
            if not sheets:
                raise TableError("not_a_table", **_named(self.name))
            date_styles = self._date_styles(posixpath.dirname(workbook_path))
            strings = _SharedStrings(self, posixpath.dirname(workbook_path))
        except ZIP_ERRORS:
            raise self._damaged() from None
        for sheet_name, path in sheets[:1] if first_only else sheets:
            reader = _SheetReader(self, strings, date_styles, date1904)
            yield sheet_name, self._guarded(reader.rows(path))

    def _guarded(self, rows: Iterator[Row]) -> Iterator[Row]:
        try:
            yield from rows
        except ZIP_ERRORS:
            raise self._damaged() from None
        except TableError as error:
            if error.code == "damaged" and self.name:
                error.params.setdefault("name", self.name)
            raise

    # The parts are found the way Excel finds them: the package relationships name the
    # workbook, whose relationships name the sheets and the shared strings.

    def _workbook_path(self) -> str:
        for _id, rel_type, target in self._relationships("_rels/.rels"):
            if rel_type in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
                return target
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise TableError("not_a_table", **_named(self.name))

    def _relationships(self, path: str) -> list[tuple[str, str, str]]:
        """(id, type, member path) of each internal relationship in a .rels part."""
        found: list[tuple[str, str, str]] = []
        if path not in self.names:
            return found
        base = posixpath.dirname(posixpath.dirname(path))  # "xl/_rels/x.rels" → "xl"

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if not target.startswith("/"):
                    target = posixpath.join(base, target)
                full = target.lstrip("/")
                found.append((attrs.get("Id", ""), attrs.get("Type", ""), posixpath.normpath(full)))

        self.parse(path, start, limit=_SMALL_PART)
        return found

    def _sheet_list(self, workbook_path: str) -> tuple[list[tuple[str, str]], bool]:
        """(name, member path) of each worksheet in order, and whether dates count from 1904."""
        if workbook_path not in self.names:
            raise TableError("not_a_table", **_named(self.name))
        base = posixpath.dirname(workbook_path)
        rels = self._relationships(
            posixpath.join(base, "_rels", posixpath.basename(workbook_path) + ".rels")
        )
        self.rel_targets = [(rel_type, target) for _id, rel_type, target in rels]
        worksheets = {
            rel_id: target for rel_id, rel_type, target in rels if rel_type.endswith("/worksheet")
        }
        sheets: list[tuple[str, str]] = []
        flags = {"date1904": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet":
                rel_id = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                target = worksheets.get(rel_id)
                if target and target in self.names:
                    sheets.append((attrs.get("name", ""), target))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

        self.parse(workbook_path, start, limit=_SMALL_PART)
        return sheets, flags["date1904"]

    def _date_styles(self, base: str) -> set[int]:
        """The indexes of the cell styles whose number format shows a date or a time."""
        path = next(
            (t for rel_type, t in self.rel_targets if rel_type.endswith("/styles")),
            posixpath.join(base, "styles.xml"),
        )
        if path not in self.names:
            return set()
        custom: dict[int, str] = {}
        styles: list[int] = []
        depth = {"cellXfs": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt":
                identifier = attrs.get("numFmtId", "")
                if identifier.isdigit():
                    custom[int(identifier)] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"]:
                identifier = attrs.get("numFmtId", "0")
                styles.append(int(identifier) if identifier.isdigit() else 0)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] -= 1

        self.parse(path, start, end=end, limit=_SMALL_PART)
        return {
            index
            for index, format_id in enumerate(styles)
            if format_id in BUILTIN_DATE_FORMATS
            or (format_id in custom and is_date_format(custom[format_id]))
        }

    def parse(
        self,
        path: str,
        start: Callable[[str, dict[str, str]], None],
        *,
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
        limit: int | None = None,
    ) -> None:
        """Parse one member with expat in chunks, counting the bytes actually inflated."""
        parser = _safe_parser()
        budget = self.budget

        def counted(name: str, attrs: dict[str, str]) -> None:
            budget.element()
            start(name, attrs)

        parser.StartElementHandler = counted
        if end:
            parser.EndElementHandler = end
        if text:
            parser.CharacterDataHandler = text
        inflated = 0
        with self.archive.open(path) as member:
            while chunk := member.read(CHUNK):
                inflated += len(chunk)
                self.budget.inflate(len(chunk))
                if limit is not None and inflated > limit:
                    raise self.budget.bomb()
                parser.Parse(chunk, False)
            parser.Parse(b"", True)


def _refuse_declaration(*_args: Any) -> NoReturn:
    raise TableError("xml_forbidden")


def _safe_parser() -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE or entity declaration before it is used."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_declaration
    parser.buffer_text = True
    return parser


class _SharedStrings:
    """The workbook's table of shared strings, read once, the first time a cell needs it."""

    def __init__(self, book: _Workbook, base: str) -> None:
        self.book = book
        self.path = next(
            (t for rel_type, t in book.rel_targets if rel_type.endswith("/sharedStrings")),
            posixpath.join(base, "sharedStrings.xml"),
        )
        self.strings: list[str] | None = None

    def get(self, index: str) -> str:
        if self.strings is None:
            self.strings = self._read()
        if not index.isdigit() or int(index) >= len(self.strings):
            raise self.book._damaged()
        return self.strings[int(index)]

    def _read(self) -> list[str]:
        strings: list[str] = []
        if self.path not in self.book.names:
            return strings
        state = {"in_t": False, "skip": 0}
        parts: list[str] = []
        budget = self.book.budget

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "si":
                parts.clear()
            elif local == "t":
                state["in_t"] = True
            elif local in ("rPh", "phoneticPr"):  # phonetic guides are not the cell's text
                state["skip"] += 1

        def end(name: str) -> None:
            local = _local(name)
            if local == "si":
                strings.append("".join(parts))
                if len(strings) > budget.limits.max_cells:
                    raise TableError("too_many_cells", limit=budget.limits.max_cells)
            elif local == "t":
                state["in_t"] = False
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1

        def text(data: str) -> None:
            if state["in_t"] and not state["skip"]:
                parts.append(data)

        self.book.parse(self.path, start, end=end, text=text)
        return strings


class _SheetReader:
    """One worksheet's rows, parsed as its XML is inflated."""

    def __init__(
        self, book: _Workbook, strings: _SharedStrings, date_styles: set[int], date1904: bool
    ) -> None:
        self.book = book
        self.budget = book.budget
        self.strings = strings
        self.date_styles = date_styles
        self.date1904 = date1904
        self.ready: list[Row] = []
        self.row_number = 0
        self.values: dict[int, str] = {}
        self.numeric: set[int] = set()
        self.column = -1
        self.cell_type = ""
        self.cell_style = 0
        self.parts: list[str] = []
        self.chars = 0
        self.collecting = False
        self.skip = 0
        self.names: dict[str, str] = {}  # expat's "namespace local" names → local names

    def rows(self, path: str) -> Iterator[Row]:
        parser = _safe_parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        with self.book.archive.open(path) as member:
            while chunk := member.read(CHUNK):
                self.budget.inflate(len(chunk))
                parser.Parse(chunk, False)
                yield from self.ready
                self.ready.clear()
            parser.Parse(b"", True)
        yield from self.ready

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.budget.element()
        local = self.names.get(name) or self.names.setdefault(name, _local(name))
        if local == "c":
            self.budget.cell()
            reference = attrs.get("r")
            self.column = _column_index(reference) if reference else self.column + 1
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.cell_style = int(style) if style and style.isdigit() else 0
            self.parts = []
            self.chars = 0
        elif local == "v" or local == "t":
            self.collecting = True
        elif local == "row":
            reference = attrs.get("r", "")
            number = int(reference) if reference.isdigit() else self.row_number + 1
            if number <= self.row_number:  # rows come in order; a row twice is no workbook
                raise TableError("damaged")
            self.row_number = number
            self.values = {}
            self.numeric = set()
            self.column = -1
        elif local == "rPh":
            self.skip += 1

    def end(self, name: str) -> None:
        local = self.names[name]
        if local == "v" or local == "t":
            self.collecting = False
        elif local == "c":
            self._end_cell()
        elif local == "row":
            self._end_row()
        elif local == "rPh":
            self.skip -= 1

    def text(self, data: str) -> None:
        if self.collecting and not self.skip:
            self.parts.append(data)
            self.chars += len(data)
            if self.chars > self.budget.limits.max_cell_chars:
                raise TableError(
                    "cell_too_long", row=self.row_number, limit=self.budget.limits.max_cell_chars
                )

    def _end_cell(self) -> None:
        raw = "".join(self.parts)
        self.parts = []
        kind = self.cell_type
        if kind == "s":
            value = self.strings.get(raw.strip())
        elif kind == "b":
            value = "TRUE" if raw.strip() in ("1", "true") else "FALSE" if raw.strip() else ""
        elif kind == "n":
            value = self._number(raw.strip())
        else:  # inlineStr, str (a formula's text), e (an error such as #N/A), d (ISO date)
            value = raw
        value = _unguard(value.strip())
        if not value:
            return
        self.budget.column(self.column)
        self.budget.text(value, self.row_number)
        self.values[self.column] = value

    def _number(self, raw: str) -> str:
        if not raw:
            return ""
        try:
            number = float(raw)
        except ValueError:
            return raw
        if not math.isfinite(number):
            return raw
        if self.cell_style in self.date_styles:
            date = excel_date(number, date1904=self.date1904)
            if date is not None:
                return date
        self.numeric.add(self.column)
        return number_text(number)

    def _end_row(self) -> None:
        if not self.values:
            return
        self.budget.row()
        width = max(self.values) + 1
        cells = [self.values.get(index, "") for index in range(width)]
        self.ready.append(Row(self.row_number, cells, frozenset(self.numeric)))
        self.values = {}


def column_letter(index: int) -> str:
    """The letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _column_index(reference: str) -> int:
    """The 0-based column of a cell reference such as "AB12"."""
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for char in letters.upper():
            if not "A" <= char <= "Z" or index > EXCEL_COLUMNS:
                raise TableError("damaged")
            index = index * 26 + ord(char) - ord("A") + 1
        if not 0 < index <= EXCEL_COLUMNS:
            raise TableError("damaged")
        index -= 1
        if len(_COLUMNS) < 100_000:
            _COLUMNS[letters] = index
    return index


_COLUMNS: dict[str, int] = {}


def number_text(number: float | int | Decimal) -> str:
    """A spreadsheet number as text, never with an exponent: 12.0 → "12", else the shortest
    decimal that reads back as the same float (85.95 → "85.95", 1e-05 → "0.00001")."""
    value = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# Built-in number formats that show dates or times (ECMA-376 §18.8.30, and the East Asian
# date formats Excel writes for a Vietnamese or Chinese locale).
BUILTIN_DATE_FORMATS = frozenset(
    {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36}
    | {45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58}
)
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|[\\_*].')


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or a time (d, m, y, h or s outside quotes,
    brackets and escapes)."""
    section = _FORMAT_NOISE.sub("", code.split(";", 1)[0])
    return bool(re.search(r"[dmyhs]", section, re.IGNORECASE))


_MAX_SERIAL = 2958466  # 10000-01-01


def excel_date(serial: float, *, date1904: bool = False) -> str | None:
    """A date-formatted serial number as ISO text: "2026-11-29", "2026-11-29T08:30:00", or
    "08:30:00" for a time alone; None when it is no date Excel can show."""
    if not 0 <= serial < _MAX_SERIAL:
        return None
    if date1904:
        epoch = dt.datetime(1904, 1, 1)
    elif serial < 60:  # Excel counts 29/02/1900, which never was
        epoch = dt.datetime(1899, 12, 31)
    else:
        epoch = dt.datetime(1899, 12, 30)
    seconds = round(serial * 86400)
    moment = epoch + dt.timedelta(seconds=seconds)
    if serial < 1 and not date1904:
        return moment.time().isoformat()
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat()


# -- writing ------------------------------------------------------------------------------------


def write_csv(
    rows: Iterable[Sequence[Any]], *, bom: bool = True, lineterminator: str = "\r\n"
) -> bytes:
    """Rows as CSV bytes: UTF-8 (with a byte-order mark unless `bom=False`, so Excel shows
    Vietnamese correctly), comma delimited, numbers as numbers, formula-like text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _csv_value(value: Any) -> Any:
    """None as an empty cell; text neutralised; numbers (and anything else) as str() has them."""
    return "" if value is None else neutralise(value)
