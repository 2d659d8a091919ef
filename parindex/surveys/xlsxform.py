"""The XLSX form of a questionnaire: the same data as the YAML file, in four sheets.

"Thông tin chung" (code, name, index set, minimum), "Phương án trả lời" (the default scale, and
each question's own options with the question's code in the first column), "Nhóm đối tượng"
(groups and weights) and "Câu hỏi" (questions, their criterion and the groups asked, separated
by ";"). Sheet names and headers are a stable file format, fixed Vietnamese constants rather
than translations. The rows are turned into the YAML document and checked by the same reader;
problems name the sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from parindex.documents.tables import TableError, read_tables
from parindex.documents.xlsx import Sheet, write_xlsx
from parindex.surveys.spec import QuestionnaireRefused, QuestionnaireSpec, to_document

DETAILS_SHEET = "Thông tin chung"
OPTIONS_SHEET = "Phương án trả lời"
GROUPS_SHEET = "Nhóm đối tượng"
QUESTIONS_SHEET = "Câu hỏi"

DETAILS_HEADER = ["Thông tin", "Giá trị"]
DETAIL_ROWS = [
    ("code", "Mã phiếu"),
    ("name", "Tên phiếu"),
    ("index_set", "Bộ chỉ số"),
    ("min_responses", "Số trả lời tối thiểu"),
]
OPTION_COLUMNS = [
    ("question", "Câu hỏi"),
    ("code", "Mã"),
    ("label", "Phương án"),
    ("percent", "Tỷ lệ (%)"),
]
GROUP_COLUMNS = [("code", "Mã"), ("name", "Tên nhóm"), ("weight", "Trọng số")]
QUESTION_COLUMNS = [
    ("code", "Mã"),
    ("text", "Nội dung câu hỏi"),
    ("criterion", "Tiêu chí"),
    ("groups", "Nhóm được hỏi"),
]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _option_rows(question: str, options: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for option in options:
        yield [question, option["code"], option["label"], option.get("percent")]


def write_questionnaire_xlsx(spec: QuestionnaireSpec) -> bytes:
    """The XLSX form of a questionnaire."""
    document = to_document(spec)
    details = [DETAILS_HEADER, *([label, document[key]] for key, label in DETAIL_ROWS)]
    options = [[header for _key, header in OPTION_COLUMNS]]
    options += _option_rows("", document["options"])
    for question in document["questions"]:
        options += _option_rows(question["code"], question.get("options", []))
    groups = [[header for _key, header in GROUP_COLUMNS]]
    groups += [[group["code"], group["name"], group["weight"]] for group in document["groups"]]
    questions = [[header for _key, header in QUESTION_COLUMNS]]
    questions += [
        [q["code"], q["text"], q["criterion"], "; ".join(q["groups"])]
        for q in document["questions"]
    ]
    return write_xlsx(
        [
            Sheet(DETAILS_SHEET, details, widths={0: 24, 1: 90}),
            Sheet(OPTIONS_SHEET, options, widths={0: 10, 1: 8, 2: 40, 3: 10}),
            Sheet(GROUPS_SHEET, groups, widths={0: 10, 1: 40, 2: 10}),
            Sheet(QUESTIONS_SHEET, questions, widths={0: 8, 1: 90, 2: 10, 3: 20}),
        ]
    )


# -- reading -------------------------------------------------------------------------------------


class _Locator:
    """Maps the reader's paths back to a sheet, row and column of the form."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str | int, ...], tuple[str, int]] = {}

    def __call__(self, path: tuple[str | int, ...]) -> str:
        for end in range(len(path), 0, -1):
            found = self.rows.get(path[:end])
            if found is None:
                continue
            sheet, row = found
            rest = path[end:]
            column = _column_header(sheet, str(rest[-1])) if rest else ""
            return _where(sheet, row, column)
        if path and path[0] in dict(DETAIL_ROWS):
            return _where(DETAILS_SHEET, None, dict(DETAIL_ROWS)[str(path[0])])
        sheets = {"options": OPTIONS_SHEET, "groups": GROUPS_SHEET, "questions": QUESTIONS_SHEET}
        return _where(sheets.get(str(path[0]), DETAILS_SHEET) if path else DETAILS_SHEET, None, "")


def _column_header(sheet: str, key: str) -> str:
    columns = {
        OPTIONS_SHEET: OPTION_COLUMNS,
        GROUPS_SHEET: GROUP_COLUMNS,
        QUESTIONS_SHEET: QUESTION_COLUMNS,
    }.get(sheet, [])
    return dict(columns).get(key, "")


def _where(sheet: str, row: int | None, column: str) -> str:
    parts = [_("sheet %(sheet)s") % {"sheet": sheet}]
    if row is not None:
        parts.append(_("row %(row)d") % {"row": row})
    if column:
        parts.append(_("column %(column)s") % {"column": column})
    return ", ".join(parts)


def _sheet(tables: dict[str, Any], name: str, columns: list[tuple[str, str]]) -> list[Any]:
    """The rows of a sheet whose header is as the form writes it."""
    table = tables.get(name)
    if table is None:
        raise QuestionnaireRefused(
            [
                _(
                    "The workbook has no sheet “%(sheet)s”; download a questionnaire to get the "
                    "form."
                )
                % {"sheet": name}
            ],
            code="questionnaire_form.no_sheet",
        )
    expected = [header for _key, header in columns]
    if [cell.strip() for cell in table.header[: len(expected)]] != expected:
        raise QuestionnaireRefused(
            [
                _("Sheet %(sheet)s: the first row must be %(header)s.")
                % {"sheet": name, "header": ", ".join(expected)}
            ],
            code="questionnaire_form.bad_header",
        )
    return [row for row in table.rows if any(cell.strip() for cell in row.cells)]


def read_questionnaire_xlsx(data: bytes, filename: str = "") -> tuple[dict[str, Any], _Locator]:
    """The YAML-shaped document in the XLSX form, and a locator for the reader's problems."""
    try:
        tables = {table.name: table for table in read_tables(data, filename)}
    except TableError as error:
        raise QuestionnaireRefused([str(error)], code="questionnaire_file.unreadable") from None
    locate = _Locator()
    document: dict[str, Any] = {}
    labels = {label: key for key, label in DETAIL_ROWS}
    for row in _sheet(tables, DETAILS_SHEET, [("", DETAILS_HEADER[0]), ("", DETAILS_HEADER[1])]):
        key = labels.get(row.cells[0].strip())
        if key is None:
            raise QuestionnaireRefused(
                [
                    _("%(where)s: “%(label)s” is not one of %(labels)s.")
                    % {
                        "where": _where(DETAILS_SHEET, row.number, DETAILS_HEADER[0]),
                        "label": row.cells[0],
                        "labels": ", ".join(labels),
                    }
                ],
                code="questionnaire_form.unknown_detail",
            )
        value: Any = row.cells[1].strip()
        if key == "min_responses" and value.isdigit():
            value = int(value)
        document[key] = value or None
        locate.rows[(key,)] = (DETAILS_SHEET, row.number)
    document["options"] = []
    own: dict[str, list[dict[str, Any]]] = {}
    own_rows: dict[str, list[int]] = {}
    for row in _sheet(tables, OPTIONS_SHEET, OPTION_COLUMNS):
        question, code, label, percent = (cell.strip() for cell in row.cells[:4])
        option: dict[str, Any] = {"code": code, "label": label}
        if percent:
            option["percent"] = percent
        if question:
            own.setdefault(question, []).append(option)
            own_rows.setdefault(question, []).append(row.number)
        else:
            document["options"].append(option)
            locate.rows[("options", len(document["options"]))] = (OPTIONS_SHEET, row.number)
    document["groups"] = []
    for row in _sheet(tables, GROUPS_SHEET, GROUP_COLUMNS):
        code, name, weight = (cell.strip() for cell in row.cells[:3])
        document["groups"].append({"code": code, "name": name, "weight": weight or None})
        locate.rows[("groups", len(document["groups"]))] = (GROUPS_SHEET, row.number)
    document["questions"] = []
    for row in _sheet(tables, QUESTIONS_SHEET, QUESTION_COLUMNS):
        code, text, criterion, asked = (cell.strip() for cell in row.cells[:4])
        question_doc: dict[str, Any] = {
            "code": code,
            "text": text,
            "criterion": criterion,
            "groups": [group.strip() for group in asked.split(";") if group.strip()],
        }
        if code in own:
            question_doc["options"] = own.pop(code)
            for position, number in enumerate(own_rows[code], start=1):
                locate.rows[("questions", code, "options", position)] = (OPTIONS_SHEET, number)
        document["questions"].append(question_doc)
        locate.rows[("questions", len(document["questions"]))] = (QUESTIONS_SHEET, row.number)
        if code:
            locate.rows[("questions", code)] = (QUESTIONS_SHEET, row.number)
    if own:
        raise QuestionnaireRefused(
            [
                _("Sheet %(sheet)s, row %(row)d: there is no question “%(code)s”.")
                % {"sheet": OPTIONS_SHEET, "row": own_rows[code][0], "code": code}
                for code in own
            ],
            code="questionnaire_form.unknown_question",
        )
    return document, locate
