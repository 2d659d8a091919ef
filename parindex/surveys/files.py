"""Questionnaire files in and out: YAML or XLSX bytes to the checked spec, and back."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.surveys.spec import QuestionnaireSpec, location, parse_questionnaire
from parindex.surveys.xlsxform import (
    XLSX_CONTENT_TYPE,
    read_questionnaire_xlsx,
    write_questionnaire_xlsx,
)
from parindex.surveys.yamlform import dump_questionnaire, load_questionnaire_yaml

FORMATS = ("yaml", "xlsx")


def is_workbook(data: bytes, filename: str) -> bool:
    """Whether a file is the XLSX form: by its name, else by its content (a ZIP)."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        return False
    return name.endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def read_questionnaire_file(data: bytes, filename: str) -> QuestionnaireSpec:
    """The questionnaire in a YAML or XLSX file; QuestionnaireRefused lists every problem."""
    if is_workbook(data, filename):
        document, locate = read_questionnaire_xlsx(data, filename)
        return parse_questionnaire(document, locate)
    return parse_questionnaire(load_questionnaire_yaml(data), location)


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    filename: str
    content_type: str


def export_questionnaire(spec: QuestionnaireSpec, file_format: str, version: int) -> ExportedFile:
    """A questionnaire as a downloadable YAML or XLSX file."""
    stem = f"{spec.code}-v{version}"
    if file_format == "xlsx":
        return ExportedFile(write_questionnaire_xlsx(spec), f"{stem}.xlsx", XLSX_CONTENT_TYPE)
    return ExportedFile(
        dump_questionnaire(spec).encode("utf-8"), f"{stem}.yaml", "application/yaml; charset=utf-8"
    )
