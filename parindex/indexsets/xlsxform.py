"""The XLSX form of an index set: what officials fill in by hand, holding the YAML's data exactly.

Three sheets with Vietnamese headers: the set's details, its bands, and its criteria (one row
per node, in document order, with its dotted code, level and parent code; rules in readable
columns such as "Đúng hạn=1; Chậm=0,5; Không ban hành=0" and "100%=1; 80%=0,5"). The sheet
names, headers and listed values are a stable file format, not interface text, so they are
fixed Vietnamese constants rather than translations. Reading turns the rows into the spec dict
and leaves every check of its content to the engine; only what the flat layout itself can get
wrong (headers, duplicate or unknown codes, a parent loop, unreadable rule text) is reported
here. Problems carry the sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from parindex.core.refusals import Problems
from parindex.documents import tables
from parindex.engine import Criterion, IndexSet, to_spec
from parindex.indexsets.problems import IndexSetRefused
from parindex.indexsets.ruletext import (
    RuleTextError,
    format_options,
    format_tiers,
    parse_number,
    parse_options,
    parse_tiers,
    spec_number,
)

DETAILS_SHEET = "Thông tin chung"
BANDS_SHEET = "Xếp loại"
CRITERIA_SHEET = "Tiêu chí"

DETAILS_HEADER = ["Thông tin", "Giá trị"]
DETAIL_ROWS = [
    ("code", "Mã bộ chỉ số"),
    ("name", "Tên bộ chỉ số"),
    ("unit_type", "Loại đơn vị"),
    ("valid_from", "Áp dụng từ năm"),
    ("legal_basis", "Căn cứ pháp lý"),
]
BANDS_HEADER = ["Mã", "Tên xếp loại", "Từ (%)"]
BAND_KEYS = ["code", "name", "min_percent"]

# (spec key, header) of the criteria sheet, in column order.
CRITERIA_COLUMNS = [
    ("code", "Mã"),
    ("level", "Cấp"),
    ("parent", "Mã cấp trên"),
    ("name", "Tên tiêu chí"),
    ("kind", "Loại"),
    ("max_points", "Điểm tối đa"),
    ("source", "Nguồn điểm"),
    ("not_applicable", "Không áp dụng"),
    ("rule/type", "Quy tắc chấm"),
    ("rule/step", "Bước điểm"),
    ("rule/options", "Các lựa chọn"),
    ("rule/tiers", "Các mức tỷ lệ"),
    ("rule/per_item", "Điểm trừ mỗi lần"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("guidance", "Hướng dẫn chấm"),
    ("owner", "Đơn vị phụ trách"),
    ("input", "Tính từ số liệu"),  # last: forms written before it existed still read
]
CRITERIA_HEADER = [header for _key, header in CRITERIA_COLUMNS]
COLUMN_OF = {key: index for index, (key, _header) in enumerate(CRITERIA_COLUMNS)}
WIDTHS = [10, 5, 11, 60, 12, 10, 14, 20, 16, 9, 45, 28, 10, 45, 45, 12, 30]

# Values written in the form for the spec's codes; reading accepts these or the codes.
KIND_LABELS = {"normal": "Thường", "bonus": "Điểm thưởng", "penalty": "Điểm trừ"}
SOURCE_LABELS = {"self": "Tự đánh giá", "survey": "Điều tra XHH", "computed": "Hệ thống"}
NA_LABELS = {"none": "Không", "exclude": "Loại khỏi điểm tối đa", "full": "Được điểm tối đa"}
RULE_LABELS = {
    "range": "Nhập điểm",
    "choice": "Lựa chọn",
    "percent_tiers": "Theo mức tỷ lệ",
    "proportional": "Tỷ lệ thuận",
    "deduction": "Trừ điểm",
}
INPUT_LABELS = {
    "tasks_on_time": "Nhiệm vụ hoàn thành đúng hạn",
    "tasks_done": "Nhiệm vụ đã hoàn thành",
    "reports_on_time": "Báo cáo gửi đúng hạn",
    "findings_remedied": "Tồn tại sau kiểm tra khắc phục đúng hạn",
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- writing ------------------------------------------------------------------------------------


def _criteria_rows(index_set: IndexSet) -> Iterator[list[Any]]:
    def visit(node: Criterion, spec: dict[str, Any], parent: str, depth: int) -> Iterator[list]:
        rule = spec.get("rule") or {}
        values: dict[str, Any] = {
            "code": node.code,
            "level": depth,
            "parent": parent,
            "name": node.name,
            "kind": KIND_LABELS[str(node.kind)] if depth == 1 else "",
            "max_points": spec_number(node.max_points),
            "source": SOURCE_LABELS[str(node.source)] if node.is_leaf else "",
            "not_applicable": NA_LABELS[str(node.not_applicable)] if node.is_leaf else "",
            "rule/type": RULE_LABELS[rule["type"]] if rule else "",
            "rule/step": rule.get("step", ""),
            "rule/options": format_options(rule["options"]) if "options" in rule else "",
            "rule/tiers": format_tiers(rule["tiers"]) if "tiers" in rule else "",
            "rule/per_item": rule.get("per_item", ""),
            "evidence": node.evidence,
            "guidance": node.guidance,
            "owner": node.owner,
            "input": INPUT_LABELS[str(node.input)] if node.input else "",
        }
        yield [values[key] for key, _header in CRITERIA_COLUMNS]
        for child, child_spec in zip(node.children, spec.get("children", []), strict=True):
            yield from visit(child, child_spec, node.code, depth + 1)

    spec = to_spec(index_set)
    for node, node_spec in zip(index_set.criteria, spec["criteria"], strict=True):
        yield from visit(node, node_spec, "", 1)


def _form_sheet(
    title: str,
    header: list[str],
    rows: list[list[Any]],
    widths: list[int],
    *,
    text_columns: tuple[int, ...] = (),
    choices: dict[int, list[str]] | None = None,
) -> tables.Sheet:
    """A sheet of the form: numbers shown as typed (General), codes kept as text."""
    formats = {column: "General" for column in range(len(header))}
    formats.update({column: "@" for column in text_columns})  # "1.10" is not the number 1.1
    return tables.Sheet(
        title,
        [header, *rows],
        number_formats=formats,
        widths=dict(enumerate(widths)),
        choices=choices or {},
        header_fill="DDE7F3",
        autofilter=False,
    )


def write_xlsx(index_set: IndexSet) -> bytes:
    """The XLSX form of an index set, by the one XLSX writer."""
    spec = to_spec(index_set)
    details = [[label, spec.get(key, "")] for key, label in DETAIL_ROWS]
    bands = [[band[key] for key in BAND_KEYS] for band in spec["bands"]]
    choices = {
        COLUMN_OF["kind"]: list(KIND_LABELS.values()),
        COLUMN_OF["source"]: list(SOURCE_LABELS.values()),
        COLUMN_OF["not_applicable"]: list(NA_LABELS.values()),
        COLUMN_OF["rule/type"]: list(RULE_LABELS.values()),
        COLUMN_OF["input"]: list(INPUT_LABELS.values()),
    }
    return tables.write_xlsx(
        [
            _form_sheet(DETAILS_SHEET, DETAILS_HEADER, details, [22, 100]),
            _form_sheet(BANDS_SHEET, BANDS_HEADER, bands, [10, 24, 10]),
            _form_sheet(
                CRITERIA_SHEET,
                CRITERIA_HEADER,
                list(_criteria_rows(index_set)),
                WIDTHS,
                text_columns=(COLUMN_OF["code"], COLUMN_OF["parent"]),
                choices=choices,
            ),
        ]
    )


# -- reading ------------------------------------------------------------------------------------


@dataclass
class XlsxLocator:
    """Maps the engine's problem paths back to sheets, rows and columns of the form."""

    node_rows: dict[str, int] = field(default_factory=dict)  # engine path → row number

    def __call__(self, path: str) -> str:
        parts = path.split("/") if path else []
        if not parts:
            return _("sheet %(sheet)s") % {"sheet": DETAILS_SHEET}
        if parts[0] == "bands":
            row = int(parts[1]) + 1 if len(parts) > 1 and parts[1].isdigit() else None
            column = _band_column(parts[2]) if len(parts) > 2 else ""
            return _where(BANDS_SHEET, row, column)
        if parts[0] != "criteria":
            labels = dict(DETAIL_ROWS)
            rows = {key: index for index, (key, _label) in enumerate(DETAIL_ROWS, start=2)}
            return _where(DETAILS_SHEET, rows.get(parts[0]), labels.get(parts[0], parts[0]))
        for end in range(len(parts), 1, -1):
            row = self.node_rows.get("/".join(parts[:end]))
            if row is not None:
                return _where(CRITERIA_SHEET, row, _criteria_column(parts[end:]))
        return _where(CRITERIA_SHEET, None, "")


def _band_column(key: str) -> str:
    return dict(zip(BAND_KEYS, BANDS_HEADER, strict=True)).get(key, key)


def _criteria_column(rest: list[str]) -> str:
    if not rest:
        return ""
    key = "/".join(rest[:2]) if rest[0] == "rule" and len(rest) > 1 else rest[0]
    if key == "rule":
        key = "rule/type"
    if key == "children":
        return ""
    index = COLUMN_OF.get(key)
    return CRITERIA_HEADER[index] if index is not None else key


def _where(sheet: str, row: int | None, column: str) -> str:
    if row and column:
        return _("sheet %(sheet)s, row %(row)d, column %(column)s") % {
            "sheet": sheet,
            "row": row,
            "column": column,
        }
    if row:
        return _("sheet %(sheet)s, row %(row)d") % {"sheet": sheet, "row": row}
    return _("sheet %(sheet)s") % {"sheet": sheet}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _number_or_raw(value: Any) -> Any:
    """A number cell as the spec holds numbers; unreadable text is passed on for the engine."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return spec_number(parse_number(value))
    except RuleTextError:
        return value


def _choice(value: Any, labels: dict[str, str]) -> Any:
    """A listed value (its Vietnamese label or its code) as the spec's code; else as typed."""
    text = _text(value)
    if not text:
        return None
    for code, label in labels.items():
        if text.casefold() in (code.casefold(), label.casefold()):
            return code
    return text


class _Reading(Problems):
    """Every problem of a workbook, each with its code, before any is reported."""

    def problem(self, sheet: str, row: int | None, column: str, message: str, *, code: str) -> None:
        self.add(f"{_where(sheet, row, column)}: {message}", code=code)

    def refused(self) -> IndexSetRefused:
        return IndexSetRefused(self.texts, code="index_set_form.invalid", codes=self.codes)


def _open(data: bytes) -> dict[str, tables.Table]:
    """The workbook's sheets by name, read by the one table module under its limits."""
    if not data.startswith(tables.ZIP_MAGIC):
        raise IndexSetRefused(
            [_("The file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again.")],
            code="index_set_file.not_xlsx",
        )
    try:
        return {table.name: table for table in tables.read_tables(data)}
    except tables.TableError as error:
        raise IndexSetRefused([error.message], code="index_set_file.unreadable") from error


def _sheet_rows(
    book: dict[str, tables.Table],
    name: str,
    header: list[str],
    reading: _Reading,
    optional: int = 0,
) -> list[tables.Row] | None:
    """The rows under a sheet's header; the last `optional` header cells may be missing."""
    if name not in book:
        reading.add(
            _("The workbook has no sheet named %(sheet)s (expected sheets: %(sheets)s).")
            % {"sheet": name, "sheets": ", ".join((DETAILS_SHEET, BANDS_SHEET, CRITERIA_SHEET))},
            code="index_set_form.no_sheet",
        )
        return None
    found = book[name].header
    shapes = [header[: len(header) - dropped] for dropped in range(optional + 1)]
    if [cell.casefold() for cell in found] not in [
        [cell.casefold() for cell in shape] for shape in shapes
    ]:
        reading.add(
            _("Sheet %(sheet)s: the first row must hold the headers %(expected)s; found %(found)s.")
            % {
                "sheet": name,
                "expected": " | ".join(header),
                "found": " | ".join(found) or _("nothing"),
            },
            code="index_set_form.bad_header",
        )
        return None
    return book[name].rows


def read_xlsx(data: bytes) -> tuple[dict[str, Any], XlsxLocator]:
    """The spec dict in an XLSX form and where each of its parts came from (for problems)."""
    book = _open(data)
    reading = _Reading()
    details_rows = _sheet_rows(book, DETAILS_SHEET, DETAILS_HEADER, reading)
    band_rows = _sheet_rows(book, BANDS_SHEET, BANDS_HEADER, reading)
    criteria_rows = _sheet_rows(book, CRITERIA_SHEET, CRITERIA_HEADER, reading, optional=1)
    if details_rows is None or band_rows is None or criteria_rows is None:
        raise reading.refused()
    spec = _details(details_rows, reading)
    spec["bands"] = _bands(band_rows)
    locator = XlsxLocator()
    spec["criteria"] = _criteria(criteria_rows, reading, locator)
    if reading:
        raise reading.refused()
    return spec, locator


def _details(rows: list[tables.Row], reading: _Reading) -> dict[str, Any]:
    by_label = {label.casefold(): key for key, label in DETAIL_ROWS}
    spec: dict[str, Any] = {}
    for row in rows:
        number = row.number
        label = _text(row.cells[0] if row.cells else None)
        value = row.cells[1] if len(row.cells) > 1 else None
        if not label and value in (None, ""):
            continue
        key = by_label.get(label.casefold())
        if key is None:
            reading.problem(
                DETAILS_SHEET,
                number,
                DETAILS_HEADER[0],
                _("unknown detail %(label)s (expected: %(labels)s).")
                % {"label": label, "labels": ", ".join(label for _k, label in DETAIL_ROWS)},
                code="index_set_form.unknown_detail",
            )
            continue
        if key == "valid_from":
            text = _text(value)
            spec[key] = int(text) if text.isdigit() else (value if value != "" else None)
        elif value not in (None, ""):
            spec[key] = _text(value) if key in ("code", "unit_type") else str(value)
    return spec


def _bands(rows: list[tables.Row]) -> list[dict[str, Any]]:
    bands = []
    for row in rows:
        cells: list[Any] = row.cells + [None] * (3 - len(row.cells))
        if all(cell in (None, "") for cell in cells[:3]):
            continue
        band: dict[str, Any] = {
            "code": _text(cells[0]) or None,
            "name": _text(cells[1]) or None,
            "min_percent": _number_or_raw(cells[2]),
        }
        bands.append({key: value for key, value in band.items() if value is not None})
    return bands


@dataclass
class _Row:
    number: int
    code: str
    parent: str
    level: Any
    spec: dict[str, Any]
    children: list[_Row] = field(default_factory=list)


def _criteria(
    rows: list[tables.Row], reading: _Reading, locator: XlsxLocator
) -> list[dict[str, Any]]:
    parsed: list[_Row] = []
    first_row: dict[str, int] = {}
    for raw in rows:
        number = raw.number
        cells: list[Any] = raw.cells + [None] * (len(CRITERIA_COLUMNS) - len(raw.cells))
        values = {key: cells[index] for key, index in COLUMN_OF.items()}
        if all(value in (None, "") for value in values.values()):
            continue
        code = _code(raw, "code", reading)
        parent = _code(raw, "parent", reading) or ""
        if code is None:
            continue
        if not code:
            reading.problem(
                CRITERIA_SHEET,
                number,
                CRITERIA_HEADER[0],
                _("the code is empty."),
                code="index_set_form.no_code",
            )
            continue
        if code in first_row:
            reading.problem(
                CRITERIA_SHEET,
                number,
                CRITERIA_HEADER[0],
                _("the code %(code)s is already used in row %(row)d.")
                % {"code": code, "row": first_row[code]},
                code="index_set_form.duplicate_code",
            )
            continue
        first_row[code] = number
        parsed.append(
            _Row(number, code, parent, values["level"], _node_spec(values, number, reading))
        )
    by_code = {row.code: row for row in parsed}
    top: list[_Row] = []
    for row in parsed:
        if not row.parent:
            top.append(row)
        elif row.parent not in by_code:
            reading.problem(
                CRITERIA_SHEET,
                row.number,
                CRITERIA_HEADER[2],
                _("there is no row with the parent code %(code)s.") % {"code": row.parent},
                code="index_set_form.unknown_parent",
            )
        else:
            by_code[row.parent].children.append(row)
    reached: set[str] = set()

    def build(row: _Row, depth: int, keys: list[str], position: int) -> dict[str, Any]:
        reached.add(row.code)
        row_keys = [f"{key}/{row.code}" for key in keys] + [f"{key}/#{position}" for key in keys]
        for key in row_keys:
            locator.node_rows.setdefault(key, row.number)
        level = _text(row.level)
        if level and level != str(depth):
            reading.problem(
                CRITERIA_SHEET,
                row.number,
                CRITERIA_HEADER[1],
                _("the level is %(level)s but the parent code puts the row at level %(depth)d.")
                % {"level": level, "depth": depth},
                code="index_set_form.wrong_level",
            )
        spec = dict(row.spec)
        if row.children:
            spec["children"] = [
                build(child, depth + 1, row_keys, index)
                for index, child in enumerate(row.children, start=1)
            ]
        return spec

    criteria = [build(row, 1, ["criteria"], index) for index, row in enumerate(top, start=1)]
    for row in parsed:
        if row.code not in reached and row.parent in by_code:
            reading.problem(
                CRITERIA_SHEET,
                row.number,
                CRITERIA_HEADER[2],
                _("the parent codes form a loop: %(code)s is under itself.") % {"code": row.code},
                code="index_set_form.parent_loop",
            )
    return criteria


def _code(row: tables.Row, key: str, reading: _Reading) -> str | None:
    column = COLUMN_OF[key]
    value = row.cells[column] if column < len(row.cells) else ""
    if column in row.number_columns and "." in value:
        reading.problem(
            CRITERIA_SHEET,
            row.number,
            CRITERIA_HEADER[column],
            _(
                "the code %(value)s was typed as a number; format the column as Text and type "
                "it again (1.10 and 1.1 are different codes)."
            )
            % {"value": value},
            code="index_set_form.code_typed_as_number",
        )
        return None
    return _text(value)


def _node_spec(values: dict[str, Any], number: int, reading: _Reading) -> dict[str, Any]:
    spec: dict[str, Any] = {"code": _text(values["code"]), "name": _text(values["name"]) or None}
    spec["kind"] = _choice(values["kind"], KIND_LABELS)
    if spec["kind"] == "normal":
        spec["kind"] = None  # the default, left out as the canonical form does
    spec["max_points"] = _number_or_raw(values["max_points"])
    spec["source"] = _choice(values["source"], SOURCE_LABELS)
    spec["rule"] = _rule(values, number, reading)
    spec["not_applicable"] = _choice(values["not_applicable"], NA_LABELS)
    spec["input"] = _choice(values["input"], INPUT_LABELS)
    for key in ("owner", "evidence", "guidance"):
        spec[key] = _text(values[key]) or None
    return {key: value for key, value in spec.items() if value is not None}


def _rule(values: dict[str, Any], number: int, reading: _Reading) -> dict[str, Any] | None:
    rule_type = _choice(values["rule/type"], RULE_LABELS)
    params = {
        key.removeprefix("rule/"): values[key]
        for key in ("rule/step", "rule/options", "rule/tiers", "rule/per_item")
        if values[key] not in (None, "")
    }
    if rule_type is None and not params:
        return None
    rule: dict[str, Any] = {"type": rule_type} if rule_type is not None else {}
    for key, value in params.items():
        try:
            if key == "options":
                rule[key] = parse_options(_text(value))
            elif key == "tiers":
                rule[key] = parse_tiers(_text(value))
            else:
                rule[key] = _number_or_raw(value)
        except RuleTextError as error:
            reading.problem(
                CRITERIA_SHEET,
                number,
                CRITERIA_HEADER[COLUMN_OF[f"rule/{key}"]],
                str(error),
                code="index_set_form.rule_text",
            )
    return rule
