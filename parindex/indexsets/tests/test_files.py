"""YAML and XLSX files: exact round trips of the samples, and malformed files refused whole."""

from __future__ import annotations

import io

import openpyxl
import pytest
import yaml

from parindex.conftest import refuses
from parindex.indexsets import files, queries, yamlfile
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.problems import IndexSetRefused
from parindex.indexsets.tests.factories import (
    SAMPLE_NAMES,
    SMALL_YAML,
    sample_bytes,
    sample_set,
    small_set,
)
from parindex.indexsets.xlsxform import CRITERIA_HEADER, CRITERIA_SHEET, write_xlsx

pytestmark = pytest.mark.django_db


def _xlsx_of(text: str) -> openpyxl.Workbook:
    source = files.read_index_set_file(text.encode(), "x.yaml")
    return openpyxl.load_workbook(io.BytesIO(write_xlsx(source)))


def _saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refusal(data: bytes, name: str, code: str) -> IndexSetRefused:
    with refuses(code, IndexSetRefused) as refused:
        files.read_index_set_file(data, name)
    assert isinstance(refused.value, IndexSetRefused)
    return refused.value


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_yaml_import_then_export_gives_the_sample_back_byte_for_byte(name):
    index_set = sample_set(name)
    exported = files.export_file(queries.engine_index_set(index_set), "yaml")
    assert exported.content == sample_bytes(name)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_xlsx_export_then_import_then_yaml_export_gives_the_sample_back(name):
    index_set = sample_set(name)
    workbook = files.export_file(queries.engine_index_set(index_set), "xlsx").content
    again = files.read_index_set_file(workbook, f"{index_set.code}.xlsx")
    assert files.export_file(again, "yaml").content == sample_bytes(name)


def test_index_set_xlsx_form_neutralises_formula_text_and_reads_it_back():
    """Issue 10, finding 4: one writer, one guard; the form's reader takes the guard off."""
    text = SMALL_YAML.replace("name: Ban hành kế hoạch", 'name: "=HYPERLINK(1)"')
    source = files.read_index_set_file(text.encode(), "x.yaml")
    data = write_xlsx(source)
    sheet = openpyxl.load_workbook(io.BytesIO(data))[CRITERIA_SHEET]
    cell = sheet.cell(row=3, column=CRITERIA_HEADER.index("Tên tiêu chí") + 1)
    assert (cell.value, cell.data_type) == ("'=HYPERLINK(1)", "s")
    assert sheet["A3"].number_format == "@"
    again = files.read_index_set_file(data, "x.xlsx")
    assert again.criteria[0].children[0].name == "=HYPERLINK(1)"


def test_xlsx_form_has_vietnamese_headers_and_readable_rules():
    index_set = sample_set("so-2024.yaml")
    content = files.export_file(queries.engine_index_set(index_set), "xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Thông tin chung", "Xếp loại", "Tiêu chí"]
    sheet = book[CRITERIA_SHEET]
    assert [cell.value for cell in sheet[1]] == CRITERIA_HEADER
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    leaf = dict(zip(CRITERIA_HEADER, rows["1.1.1"], strict=True))
    assert leaf["Cấp"] == 3 and leaf["Mã cấp trên"] == "1.1"
    assert leaf["Quy tắc chấm"] == "Lựa chọn"
    assert leaf["Các lựa chọn"] == "Ban hành đúng hạn=0,5; Ban hành chậm=0,25; Không ban hành=0"
    tiers = dict(zip(CRITERIA_HEADER, rows["1.1.3"], strict=True))
    assert tiers["Các mức tỷ lệ"] == "100%=2; 80%=1"
    area = dict(zip(CRITERIA_HEADER, rows["1"], strict=True))
    assert area["Điểm tối đa"] == 12 and area["Đơn vị phụ trách"] == "SNV"
    assert [c.value for c in book["Xếp loại"][2]] == ["TOT", "Tốt", 90]


def test_a_text_file_named_xlsx_is_refused_in_vietnamese():
    refused = _refusal(
        b"code: X\nname: not a workbook\n", "bo-chi-so.xlsx", "index_set_file.not_xlsx"
    )
    assert len(refused.problems) == 1


def test_wrong_headers_are_refused_with_the_expected_ones():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["D1"] = "Tên"
    refused = _refusal(_saved(book), "x.xlsx", "index_set_form.invalid")
    assert refused.codes == ["index_set_form.bad_header"]
    assert CRITERIA_SHEET in refused.problems[0] and CRITERIA_HEADER[3] in refused.problems[0]


def test_duplicate_codes_in_xlsx_name_both_rows():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["A4"] = "1.1"  # the row of 1.2 now repeats 1.1
    refused = _refusal(_saved(book), "x.xlsx", "index_set_form.invalid")
    assert refused.codes == ["index_set_form.duplicate_code"]
    assert all(part in refused.problems[0] for part in (CRITERIA_SHEET, " 4", "1.1", " 3"))


def test_duplicate_codes_in_yaml_are_reported_with_their_path():
    text = SMALL_YAML.replace('code: "2.1"', 'code: "1.1"')
    refused = _refusal(text.encode(), "x.yaml", "index_set.invalid")
    assert refused.codes == ["duplicate_code"]
    assert refused.problems[0].startswith("criteria › 2 › 1.1: ")
    assert "criteria/1/1.1" in refused.problems[0]


def test_max_mismatch_in_xlsx_points_to_the_row_and_column():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["F2"] = 4  # area 1 states 4, its children give 3
    refused = _refusal(_saved(book), "x.xlsx", "index_set.invalid")
    assert refused.codes == ["max_mismatch"]
    assert all(part in refused.problems[0] for part in (CRITERIA_SHEET, " 2", "Điểm tối đa"))


def test_bad_rules_in_xlsx_are_all_reported():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["K3"] = "Đúng hạn: 1; Chậm=0,5"  # no '='
    book[CRITERIA_SHEET]["L4"] = "80%=1; 100%=2"  # tiers not descending
    refused = _refusal(_saved(book), "x.xlsx", "index_set_form.invalid")
    assert refused.codes == ["index_set_form.rule_text"]
    assert all(part in refused.problems[0] for part in (CRITERIA_SHEET, " 3", "Các lựa chọn"))
    book[CRITERIA_SHEET]["K3"] = "Đúng hạn=1; Chậm=0,5"
    refused = _refusal(_saved(book), "x.xlsx", "index_set.invalid")
    assert "tiers_not_descending" in refused.codes
    assert any(" 4" in p and "Các mức tỷ lệ" in p for p in refused.problems)


def test_bad_rules_in_yaml_are_reported_with_their_path():
    text = SMALL_YAML.replace("{label: Đúng hạn, points: 1}", "{label: Đúng hạn, points: 1.5}")
    refused = _refusal(text.encode(), "x.yaml", "index_set.invalid")
    assert refused.codes == ["points_above_max"]
    assert refused.problems[0].startswith("criteria › 1 › 1.1 › rule › options › 1 › points: ")
    assert "1,5" in refused.problems[0]


def test_yaml_syntax_errors_say_where():
    refused = _refusal(b"code: X\nname: [unclosed\n", "x.yaml", "index_set_file.yaml_syntax")
    assert " 3, " in refused.problems[0]  # line 3, column …


def test_a_refused_import_changes_nothing(django_user_model):
    small_set()
    before = (IndexSet.objects.count(), Criterion.objects.count())
    text = SMALL_YAML.replace("max_points: 3", "max_points: 5")
    with refuses("index_set.invalid"):
        files.read_index_set_file(text.encode(), "x.yaml")
    assert (IndexSet.objects.count(), Criterion.objects.count()) == before


def test_codes_typed_as_numbers_in_xlsx_are_refused():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["A3"] = 1.1
    book[CRITERIA_SHEET]["A3"].number_format = "General"
    refused = _refusal(_saved(book), "x.xlsx", "index_set_form.invalid")
    assert refused.codes == ["index_set_form.code_typed_as_number"]
    assert "1.10" in refused.problems[0] and " 3" in refused.problems[0]


def test_yaml_export_states_branch_maxima_before_children():
    index_set = small_set()
    text = files.export_file(queries.engine_index_set(index_set), "yaml").content.decode()
    assert yaml.safe_load(text) == yaml.safe_load(SMALL_YAML)
    assert text == SMALL_YAML


def test_an_unknown_parent_code_in_xlsx_is_refused():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET]["C3"] = "9"
    refused = _refusal(_saved(book), "x.xlsx", "index_set_form.invalid")
    assert refused.codes[0] == "index_set_form.unknown_parent"
    assert all(part in refused.problems[0] for part in (CRITERIA_SHEET, " 3", "Mã cấp trên", "9"))


COMPUTED_YAML = SMALL_YAML.replace(
    "        rule: {type: percent_tiers",
    "        source: computed\n        input: tasks_on_time\n        rule: {type: percent_tiers",
)


def test_a_computed_criterion_keeps_its_input_through_the_database_and_both_files():
    index_set = small_set(text=COMPUTED_YAML)
    assert Criterion.objects.get(index_set=index_set, code="1.2").input == "tasks_on_time"
    source = queries.engine_index_set(index_set)
    assert source.criterion("1.2").input == "tasks_on_time"
    workbook = files.export_file(source, "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))[CRITERIA_SHEET]
    assert [cell.value for cell in sheet[1]][-1] == "Tính từ số liệu"
    again = files.read_index_set_file(workbook, "x.xlsx")
    assert again.criterion("1.2").input == "tasks_on_time"
    assert files.export_file(again, "yaml").content == files.export_file(source, "yaml").content


def test_an_xlsx_form_written_before_the_input_column_still_reads():
    book = _xlsx_of(SMALL_YAML)
    book[CRITERIA_SHEET].delete_cols(len(CRITERIA_HEADER))
    again = files.read_index_set_file(_saved(book), "old.xlsx")
    assert again.criterion("1.2").input is None


def test_changing_only_the_input_makes_a_new_version():
    first = small_set(text=COMPUTED_YAML)
    second = small_set(text=COMPUTED_YAML.replace("tasks_on_time", "tasks_done"))
    assert second.version == first.version + 1


def test_yaml_aliases_within_the_budget_still_load():
    text = "shared: &s {min_percent: 50}\nbands: [*s, *s]\n"
    assert yamlfile.load_yaml(text.encode())["bands"] == [{"min_percent": 50}] * 2


@pytest.mark.parametrize(
    "content",
    [b"a: &a [x, x, x]\nb: [*a, *a, *a]\n", b"a: &a [1, *a]\n"],
    ids=["thirteen-nodes-once-expanded", "self-reference"],
)
def test_yaml_node_budget_counts_expanded_aliases(monkeypatch, content):
    """Issue 10, finding 3d: the budget counts nodes as if every alias were expanded."""
    monkeypatch.setattr(yamlfile, "NODE_BUDGET", 12)  # 11 nodes as written, 20 expanded
    with refuses("index_set_file.too_many_values") as refused:
        yamlfile.load_yaml(content)
    assert "12" in refused.value.problems[0]


def test_yaml_larger_than_a_megabyte_is_refused_before_parsing():
    with refuses("index_set_file.too_large") as refused:
        yamlfile.load_yaml(b"# " + b"x" * (yamlfile.YAML_MAX_BYTES))
    assert "1 MB" in refused.value.problems[0]


def test_yaml_nested_deeply_in_block_style_is_refused():
    """Block nesting has no brackets to count: the composer's recursion limit stops it."""
    with refuses("index_set_file.too_deep"):
        yamlfile.load_yaml(b"- " * 100_000 + b"x\n")
