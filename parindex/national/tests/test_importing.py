"""Importing the Ministry's tables: names through the alias table, every problem listed with its
row, nothing saved on error, a year replaced only when confirmed, and every import audited."""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.national import services
from parindex.national.importing import (
    ProvinceResolver,
    parse_appraised,
    parse_tables,
)
from parindex.national.models import NationalScore, NationalTable, Province

pytestmark = pytest.mark.django_db

HEADER = "year,province,index_percent,area_1,area_2\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def problems_of(data: bytes) -> list[tuple[int, str, str]]:
    """(row, code, problem) of each problem of a refused national table."""
    with refuses("national_file.invalid") as failure:
        parse_tables(data)
    refused = failure.value
    rows = [int(re.findall(r"\d+", problem)[0]) for problem in refused.problems]
    return list(zip(rows, refused.codes, refused.problems, strict=True))


@pytest.mark.parametrize(
    ("spelling", "province"),
    [
        ("TP. Hồ Chí Minh", "TP. Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"),
        ("TP.HCM", "TP. Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"),
        ("Huế", "Huế"),
        ("Tỉnh Khánh Hoà", "Khánh Hòa"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Dak Lak", "Đắk Lắk"),
        ("HA TINH", "Hà Tĩnh"),
    ],
)
def test_alias_table_and_normalisation_resolve_spellings(spelling, province):
    assert ProvinceResolver().resolve(spelling).name == province


def test_an_added_alias_is_recognised_and_audited(par_officer):
    huế = Province.objects.get(name="Huế")
    assert ProvinceResolver().resolve("Cố đô Huế") is None
    services.add_alias(by=par_officer, alias="Cố đô Huế", province=huế)
    assert ProvinceResolver().resolve("cố đô huế") == huế
    assert AuditEntry.objects.filter(action="province_alias.added", actor=par_officer).exists()


def test_an_unknown_province_is_a_clear_error_on_its_row():
    ((row, code, problem),) = problems_of(
        csv("2022,Hà Tĩnh,85.95,80,90", "2022,Hà Tây,80.00,80,80")
    )
    assert (row, code) == (3, "national_file.unknown_province")
    assert "Hà Tây" in problem


def test_malformed_rows_are_all_listed_and_nothing_is_saved():
    data = csv(
        "2022,Hà Tĩnh,85.95,80,90",
        "2022,Quảng Ninh,abc,80,90",
        "2022,Nghệ An,101,80,90",
        "2022,Nghệ An,85.123,80,90",
        "20x2,Huế,85,80,90",
        "2022,Thừa Thiên Huế,,80,90",
        "2022,Hà Tĩnh,84,80,90",
        "2022,Cà Mau,84,80,90,77",
        "2022,,84,80,90",
    )
    problems = problems_of(data)
    assert [(row, code) for row, code, _problem in problems] == [
        (3, "national_file.not_a_number"),
        (4, "national_file.out_of_range"),
        (5, "national_file.too_many_decimals"),
        (5, "national_file.duplicate_row"),
        (6, "national_file.bad_year"),
        (7, "national_file.no_index"),
        (8, "national_file.duplicate_row"),
        (9, "national_file.too_many_cells"),
        (10, "national_file.no_province"),
    ]
    texts = [problem for _row, _code, problem in problems]
    assert "abc" in texts[0] and "101" in texts[1] and "85.123" in texts[2]
    assert re.search(r"\b4\b", texts[3].split(":", 1)[1])  # the earlier row
    assert "20x2" in texts[4] and re.search(r"\b2\b", texts[6].split(":", 1)[1])
    assert not NationalTable.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b",,\n", "ministry_file.empty"),
        ("year,province,index\n2022,Hà Tĩnh,85\n".encode(), "national_file.bad_header"),
        (b"year,province,index_percent,area_1,area_1\n", "national_file.duplicate_area"),
        (HEADER.encode(), "national_file.no_rows"),
    ],
    ids=["blank", "wrong-header", "duplicate-area", "no-rows"],
)
def test_malformed_files_are_refused(data, code):
    with refuses(code) as refused:
        parse_tables(data)
    assert len(refused.value.problems) == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        ("year,province,index_percent\n2022,Hà Tĩnh,85\n".encode("utf-16"), "not_a_table"),
        (
            "year,province,index_percent\n2022,Hà Tĩnh,85\n".encode("latin-1", "replace") + b"\xe0",
            "bad_encoding",
        ),
        (b"PK\x03\x04broken", "damaged"),
    ],
    ids=["empty", "utf16", "not-utf8", "broken-xlsx"],
)
def test_unreadable_files_are_refused_by_the_table_reader(data, code):
    with refuses("ministry_file.unreadable") as failure:
        parse_tables(data)
    assert failure.value.__cause__.code == code
    assert failure.value.problems == [failure.value.__cause__.message]


def test_a_merged_away_province_is_refused_after_the_merger():
    ((row, code, problem),) = problems_of(csv("2025,Hà Giang,85,80,90"))
    assert (row, code) == (2, "national_file.province_ended")
    assert "2025" in problem and "2024" in problem


def test_numbers_with_a_decimal_comma_or_percent_sign_are_read():
    text = "year;province;index_percent;area_1;area_2\n2022;Hà Tĩnh;85,95;80%;\n"
    parsed = parse_tables(text.encode())
    [row] = parsed.years[2022]
    assert (row.index_percent, row.areas) == (D("85.95"), {"1": D("80"), "2": None})


def test_xlsx_tables_are_read_like_csv():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["year", "province", "index_percent", "area_1"])
    sheet.append([2023, "Thừa Thiên Huế", 88.35, 90.1])
    sheet.append([2023, "Hà Tĩnh", 85.95000000000001, 86])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_tables(buffer.getvalue(), "bang.xlsx")
    rows = {row.province: row for row in parsed.years[2023]}
    assert rows["Huế"].index_percent == D("88.35")
    assert rows["Hà Tĩnh"].index_percent == D("85.95")


def test_reimporting_a_year_needs_confirmation_and_is_audited(par_officer):
    services.import_national_tables(
        by=par_officer, parsed=parse_tables(csv("2022,Hà Tĩnh,85.95,80,90"))
    )
    again = parse_tables(csv("2022,Hà Tĩnh,86.00,80,90", "2022,Huế,84,80,90"))
    with pytest.raises(
        services.NeedsConfirmation, check=lambda exception: exception.years == [2022]
    ):
        services.import_national_tables(by=par_officer, parsed=again)
    assert NationalScore.objects.get().index_percent == D("85.95")
    report = services.import_national_tables(
        by=par_officer, parsed=again, replace=True, reason="Bộ Nội vụ đính chính"
    )
    assert report.replaced == [2022]
    assert NationalScore.objects.count() == 2
    entry = AuditEntry.objects.get(action="national_table.replaced")
    assert entry.actor == par_officer and entry.reason == "Bộ Nội vụ đính chính"
    assert entry.old["provinces"] == 1 and entry.new["provinces"] == 2


def test_a_dry_run_saves_nothing():
    report = services.import_national_tables(
        by=None, parsed=parse_tables(csv("2022,Hà Tĩnh,85.95,80,90")), dry_run=True
    )
    assert report.created == [2022]
    assert not NationalTable.objects.exists()


def test_area_names_are_kept_when_a_year_is_replaced(par_officer):
    services.import_national_tables(by=None, parsed=parse_tables(csv("2022,Hà Tĩnh,85.95,80,90")))
    table = NationalTable.objects.get()
    assert table.areas.get(code="1").name == "Công tác chỉ đạo, điều hành cải cách hành chính"
    services.update_areas(
        by=par_officer,
        table=table,
        changes=[services.AreaChange("1", "Chỉ đạo, điều hành", D(8), "Sở Nội vụ")],
    )
    services.import_national_tables(
        by=None, parsed=parse_tables(csv("2022,Hà Tĩnh,85.90,80,90")), replace=True
    )
    area = table.areas.get(code="1")
    assert (area.name, area.max_points, area.lead) == ("Chỉ đạo, điều hành", D(8), "Sở Nội vụ")
    assert AuditEntry.objects.filter(action="national_table.areas_changed").exists()


def test_appraised_points_are_checked_row_by_row():
    data = (
        "criterion_code,criterion_name,max_points,points,owner\n"
        "1.1,Kế hoạch CCHC,2,1.5,SNV\n"
        "1.1,Trùng mã,1,1,SNV\n"
        "1.2,,1,2,\n"
        "1.3,Báo cáo,0,x,\n"
    ).encode()
    with refuses("ministry_file.invalid") as failure:
        parse_appraised(data)
    assert failure.value.codes == [
        "ministry_file.duplicate_code",  # row 3
        "ministry_file.no_name",  # row 4
        "ministry_file.points_out_of_range",
        "ministry_file.max_not_positive",  # row 5
        "ministry_file.points_not_a_number",
    ]


@pytest.mark.parametrize("typed", ["8_5", "1e2", "8 5", "inf"])
def test_typed_numbers_in_a_national_table_are_read_strictly(typed):
    ((row, code, problem),) = problems_of(csv(f"2022,Hà Tĩnh,{typed},80,90"))
    assert (row, code) == (2, "national_file.not_a_number")
    assert typed in problem
