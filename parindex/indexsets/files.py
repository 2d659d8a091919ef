"""Index-set files in and out: YAML or XLSX bytes to the engine's IndexSet, and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parindex import engine
from parindex.indexsets.problems import refused, yaml_location
from parindex.indexsets.xlsxform import XLSX_CONTENT_TYPE, read_xlsx, write_xlsx
from parindex.indexsets.yamlfile import dump_yaml, load_yaml

FORMATS = ("yaml", "xlsx")


def file_format(data: bytes, filename: str) -> str:
    """'xlsx' or 'yaml': by the file's extension, else by its content (a zip is a workbook)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return "xlsx" if data[:4] == b"PK\x03\x04" else "yaml"


def read_index_set_file(data: bytes, filename: str) -> engine.IndexSet:
    """The index set in a YAML or XLSX file; IndexSetRefused lists every problem, located."""
    locate: Callable[[str], str]
    if file_format(data, filename) == "xlsx":
        spec, locate = read_xlsx(data)
    else:
        spec, locate = load_yaml(data), yaml_location
    try:
        return engine.parse_index_set(spec)
    except engine.IndexSetInvalid as invalid:
        raise refused(invalid, locate) from None


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    filename: str
    content_type: str


def export_file(index_set: engine.IndexSet, file_format: str, version: int = 0) -> ExportedFile:
    """An index set as a downloadable YAML or XLSX file."""
    stem = index_set.code if not version else f"{index_set.code}-v{version}"
    if file_format == "xlsx":
        return ExportedFile(write_xlsx(index_set), f"{stem}.xlsx", XLSX_CONTENT_TYPE)
    return ExportedFile(
        dump_yaml(index_set).encode("utf-8"), f"{stem}.yaml", "application/yaml; charset=utf-8"
    )
