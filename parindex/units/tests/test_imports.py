"""Importing units from CSV or XLSX: all or nothing, every problem listed in Vietnamese with its
row; files judged by their content; the export reads back through the import unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from openpyxl.worksheet.worksheet import Worksheet

from parindex.cli import translate
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.documents import tables
from parindex.units import exports, services
from parindex.units.models import PeerGroup, Unit
from parindex.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db

HEADER = "code,name,unit_type,parent_code,peer_group\n"


def rows_of(text: str) -> list[list[str]]:
    return services.read_rows("units.csv", text.encode("utf-8"))


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_creates_units_parents_first_whatever_the_row_order(admin):
    text = HEADER + (
        "P-THANHSEN,UBND phường Thành Sen,XA,HT,PHUONG\n"
        "SNV,Sở Nội vụ,SO,HT,\n"
        "HT,Tỉnh Hà Thanh,TINH,,\n"
    )
    plan = services.import_units(by=admin, rows=rows_of(text))
    assert [row.code for row in plan.created] == ["P-THANHSEN", "SNV", "HT"]
    assert plan.new_peer_groups == ["PHUONG"]
    ward = Unit.objects.get(code="P-THANHSEN")
    assert (ward.parent.code, ward.peer_group.code, ward.unit_type.code) == ("HT", "PHUONG", "XA")
    assert AuditEntry.objects.filter(action="unit.created").count() == 3
    assert AuditEntry.objects.filter(action="peer_group.created").count() == 1


def test_import_updates_existing_units_and_counts_unchanged_ones(admin):
    province = make_unit("HT", "TINH", name="Tỉnh Hà Thanh")
    make_unit("SNV", "SO", name="Sở Nội vụ", parent=province)
    make_unit("STP", "SO", name="Sở Tư pháp cũ", parent=province)
    text = HEADER + "HT,Tỉnh Hà Thanh,TINH,,\nSNV,Sở Nội vụ,SO,HT,\nSTP,Sở Tư pháp,SO,HT,\n"
    plan = services.import_units(by=admin, rows=rows_of(text))
    assert [row.code for row in plan.unchanged] == ["HT", "SNV"]
    assert [(row.code, changes) for row, changes in plan.updated] == [
        ("STP", {"name": ("Sở Tư pháp cũ", "Sở Tư pháp")})
    ]
    assert Unit.objects.get(code="STP").name == "Sở Tư pháp"
    assert AuditEntry.objects.get(action="unit.updated").old == {"name": "Sở Tư pháp cũ"}


def test_a_dry_run_checks_everything_and_saves_nothing(admin):
    plan = services.import_units(by=admin, rows=rows_of(HEADER + "HT,Tỉnh,TINH,,X\n"), dry_run=True)
    assert len(plan.created) == 1
    assert not Unit.objects.exists() and not PeerGroup.objects.exists()


def test_every_problem_is_listed_with_its_row_and_nothing_is_saved(admin):
    make_unit("CU", "XA", active_to=dt.date(2025, 7, 1))
    text = HEADER + (
        "HT,Tỉnh Hà Thanh,TINH,,\n"
        ",Không mã,SO,HT,\n"
        "SỞ-1,Mã có dấu,SO,HT,\n"
        "S2,,SO,HT,\n"
        "S3,Loại lạ,PHONG,HT,\n"
        "S4,Cấp trên lạ,SO,KHONGCO,\n"
        "S5,Tự trực thuộc,SO,S5,\n"
        "HT,Trùng mã,TINH,,\n"
        "A,Vòng A,SO,B,\n"
        "B,Vòng B,SO,A,\n"
        "S6,Quá cột,SO,HT,,thừa\n"
        "CU,Đã kết thúc,XA,HT,\n"
        "S7,Cấp trên đã kết thúc,XA,CU,\n"
        "S8,Nhóm sai,XA,HT,nhóm 1\n"
    )
    with refuses("units_file.invalid") as refused:
        services.import_units(by=admin, rows=rows_of(text))
    assert refused.value.codes == [
        "unit.code_invalid",  # row 3
        "unit.code_invalid",
        "unit.no_name",
        "unit.unknown_type",
        "unit.unknown_parent",
        "unit.under_itself",
        "units_file.duplicate_code",
        "unit.parent_loop",
        "unit.parent_loop",
        "units_file.column_count",
        "unit.ended",
        "unit.parent_ended",
        "peer_group.code_invalid",  # row 15
    ]
    assert list(Unit.objects.values_list("code", flat=True)) == ["CU"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (",,\n", "units_file.bad_header"),
        ("ma,ten\n", "units_file.bad_header"),
        (HEADER, "units_file.no_rows"),
    ],
    ids=["blank-lines", "wrong-header", "header-only"],
)
def test_a_file_without_units_is_refused(admin, text, expected):
    with refuses(expected):
        services.import_units(by=admin, rows=rows_of(text))


def test_an_empty_file_is_refused_when_read():
    with refuses("units_file.unreadable") as refused:
        rows_of("")
    assert refused.value.__cause__.code == "empty"


def test_xlsx_rows_are_read_as_text_even_when_typed_as_numbers(admin):
    raw = xlsx_bytes(
        [
            ["code", "name", "unit_type", "parent_code", "peer_group"],
            ["HT", "Tỉnh Hà Thanh", "TINH", None, None],
            [10001, "UBND xã Một", "XA", "HT", None],
        ]
    )
    rows = services.read_rows("units.xlsx", raw)
    assert rows[2][:4] == ["10001", "UBND xã Một", "XA", "HT"]
    services.import_units(by=admin, rows=rows)
    assert Unit.objects.get(code="10001").parent.code == "HT"


@pytest.mark.parametrize(
    ("filename", "raw", "code"),
    [
        ("units.xlsx", b"code,name\n", "not_xlsx"),
        ("units.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("units.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_excel"),
        ("units.csv", "code,name\nHT,Hà\n".encode("latin-1"), "bad_encoding"),
        ("units.pdf", b"%PDF-1.4", "not_a_table"),
        ("units.csv", b"a\x00b", "not_a_table"),
    ],
    ids=["text-named-xlsx", "broken-zip", "old-xls", "not-utf8", "pdf", "binary-csv"],
)
def test_disguised_files_get_a_clear_message(filename, raw, code):
    with refuses("units_file.unreadable") as refused:
        services.read_rows(filename, raw)
    assert refused.value.__cause__.code == code
    assert refused.value.problems == [refused.value.__cause__.message]
    assert refused.value.problems[0].startswith(filename)


def test_csv_and_xlsx_exports_read_back_through_the_import_unchanged(admin):
    province = make_unit("HT", "TINH", name="Tỉnh Hà Thanh")
    make_unit("SNV", "SO", name="Sở Nội vụ, Hà Thanh", parent=province)
    units = Unit.objects.select_related("unit_type", "parent", "peer_group").order_by("code")
    rows = list(exports.unit_rows(units))
    csv_bytes = tables.write_csv(rows)
    assert list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))) == rows
    workbook = openpyxl.load_workbook(io.BytesIO(exports.units_xlsx(rows, "Đơn vị")))
    sheet = workbook.active
    assert [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)] == rows
    for name, raw in (("units.csv", csv_bytes), ("units.xlsx", exports.units_xlsx(rows, "x"))):
        plan = services.import_units(by=admin, rows=services.read_rows(name, raw), dry_run=True)
        assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 2)
    # The XLSX people download has Vietnamese headers; the import reads it back too.
    vietnamese = exports.units_xlsx(list(exports.unit_rows(units, vietnamese=True)), "Đơn vị")
    plan = services.import_units(
        by=admin, rows=services.read_rows("units.xlsx", vietnamese), dry_run=True
    )
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 2)


def test_the_command_imports_and_its_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "HT,Tỉnh Hà Thanh,TINH,,\nSNV,Sở Nội vụ,SO,HT,\n", encoding="utf-8")
    call_command("import_units", str(path), "--dry-run")
    assert not Unit.objects.exists()
    assert "2" in capsys.readouterr().out
    # `parindex units import FILE` runs this command (main() would close the test's connection).
    assert translate(["units", "import", str(path)]) == ["import_units", str(path)]
    call_command("import_units", str(path))
    assert Unit.objects.count() == 2


def test_the_command_lists_the_problems_and_fails(tmp_path, capsys):
    path = tmp_path / "units.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(
        CommandError, check=lambda error: error.__cause__.code == "units_file.unreadable"
    ):
        call_command("import_units", str(path))
    assert "không phải là tệp Excel" in capsys.readouterr().err


def test_a_semicolon_csv_from_excel_set_to_vietnamese_is_imported(admin):
    text = "code;name;unit_type;parent_code;peer_group\r\nHT;Tỉnh Hà Thanh, Việt Nam;TINH;;\r\n"
    plan = services.import_units(by=admin, rows=rows_of(text))
    assert [(row.code, row.name) for row in plan.created] == [("HT", "Tỉnh Hà Thanh, Việt Nam")]
