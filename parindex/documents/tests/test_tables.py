"""The one table module: one cell-to-text rule, delimiters, limits, hostile files, the writers."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from parindex.documents.tables import (
    Limits,
    TableError,
    excel_date,
    is_date_format,
    iter_rows,
    number_text,
    read_lines,
    read_table,
    read_tables,
    read_upload,
    write_csv,
    write_xlsx,
)
from parindex.documents.tests import hostile
from parindex.documents.xlsx import Sheet


def workbook(*sheets: tuple[str, list[list]], date1904: bool = False) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if date1904:
        book.epoch = dt.datetime(1904, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells_of(data: bytes, filename: str = "") -> list[list[str]]:
    table = read_table(data, filename)
    return [table.header, *(row.cells for row in table.rows)]


# -- one cell-to-text rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Sở Tư pháp  ", "Sở Tư pháp"),
        (12, "12"),
        (12.0, "12"),
        (0.5, "0.5"),
        (85.95, "85.95"),
        (1e-5, "0.00001"),
        (1e20, "100000000000000000000"),
        (-3.25, "-3.25"),
        (dt.date(2026, 11, 29), "2026-11-29"),
        (dt.datetime(2026, 1, 2, 8, 30), "2026-01-02T08:30:00"),
        (True, "TRUE"),
        (False, "FALSE"),
        ("'=1+1", "=1+1"),  # the writers' formula guard is taken off again
        ("'plain", "'plain"),
    ],
    ids=[
        "text-stripped",
        "int",
        "integral-float",
        "half",
        "two-decimals",
        "small-no-exponent",
        "large-no-exponent",
        "negative",
        "date",
        "datetime",
        "true",
        "false",
        "guard-undone",
        "apostrophe-kept",
    ],
)
def test_xlsx_cell_reads_as_one_text(value, expected):
    data = workbook(("Sheet", [["value"], [value]]))
    assert read_table(data).rows[0].cells == [expected]


def test_csv_cells_are_text_as_typed_and_stripped():
    data = b"code,points\n 01 , 12.0 \n"
    assert cells_of(data) == [["code", "points"], ["01", "12.0"]]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("dd/mm/yyyy", True),
        ("[$-42A]d mmmm yyyy;@", True),
        ("h:mm:ss", True),
        ("#,##0.00", False),
        ('0.00 "days"', False),
        ("[Red]#,##0", False),
        ("General", False),
        ("0.00E+00", False),
    ],
)
def test_date_formats_are_told_from_number_formats(code, expected):
    assert is_date_format(code) is expected


@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (46355, False, "2026-11-29"),
        (46355.5, False, "2026-11-29T12:00:00"),
        (1, False, "1900-01-01"),
        (61, False, "1900-03-01"),
        (0.25, False, "06:00:00"),
        (0, True, "1904-01-01"),
        (-1, False, None),
        (3e6, False, None),
    ],
)
def test_excel_serial_numbers_become_iso_dates(serial, date1904, expected):
    assert excel_date(serial, date1904=date1904) == expected


def test_a_1904_workbook_dates_count_from_1904():
    data = workbook(("Sheet", [["day"], [dt.date(2026, 11, 29)]]), date1904=True)
    assert read_table(data).rows[0].cells == ["2026-11-29"]


def _handmade_cells(cells_xml: str, strings: bytes = b"") -> list[str]:
    sheet = (
        hostile.SHEET_HEAD
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>'
        + f'<row r="2">{cells_xml}</row></sheetData></worksheet>'.encode()
    )
    parts = {}
    if strings:
        parts["xl/sharedStrings.xml"] = strings
        parts["xl/_rels/workbook.xml.rels"] = hostile.WORKBOOK_RELS.replace(
            b"</Relationships>",
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    return read_table(hostile.xlsx(sheet, parts)).rows[0].cells


def test_a_formula_is_never_evaluated_its_cached_value_is_read():
    cells = '<c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
    cells += '<c r="C2"><f>HYPERLINK("http://x")</f></c><c r="D2" t="e"><v>#N/A</v></c>'
    assert _handmade_cells(cells) == ["2", "ab", "", "#N/A"]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("85.950000000000003", "85.95"), ("0.30000000000000004", "0.30000000000000004")],
    ids=["seventeen-digits-excel-writes", "float-noise-kept-exact"],
)
def test_a_stored_number_reads_as_its_shortest_exact_decimal(stored, expected):
    assert _handmade_cells(f'<c r="A2"><v>{stored}</v></c>') == [expected]


def test_shared_strings_join_rich_runs_and_leave_out_phonetic_guides():
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>S\xe1\xbb\x9f </t></si>"
        b"<si><r><t>T\xc6\xb0 </t></r><r><t>ph\xc3\xa1p</t></r><rPh><t>x</t></rPh></si></sst>"
    )
    cells = '<c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
    assert _handmade_cells(cells, strings) == ["Sở", "Tư pháp"]


def test_cells_without_references_and_prefixed_names_are_read_in_order():
    sheet = (
        b'<?xml version="1.0"?><x:worksheet '
        b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>1</x:v></x:c>'
        b"</x:row></x:sheetData></x:worksheet>"
    )
    assert read_table(hostile.xlsx(sheet)).header == ["a", "1"]


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
        '<row r="2"><c r="A2"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
        '<row r="0"><c r="A1"><v>1</v></c></row>',
        '<row r="2"><c r="1A"><v>1</v></c></row>',
    ],
    ids=["backwards", "twice", "row-zero", "bad-reference"],
)
def test_rows_out_of_order_or_bad_references_are_a_damaged_file(rows):
    sheet = hostile.SHEET_HEAD + f"<sheetData>{rows}</sheetData></worksheet>".encode()
    with pytest.raises(TableError, check=lambda exception: exception.code == "damaged") as error:
        read_table(hostile.xlsx(sheet), "x.xlsx")
    assert (error.value.code, error.value.params) == ("damaged", {"name": "x.xlsx"})


def test_a_shared_string_index_out_of_range_is_a_damaged_file():
    with pytest.raises(TableError, check=lambda exception: exception.code == "damaged"):
        _handmade_cells('<c r="A2" t="s"><v>7</v></c>')


# -- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_csv_delimiter_is_sniffed_from_the_header(delimiter, bom):
    text = delimiter.join(["code", "name", "points"]) + "\r\n"
    text += delimiter.join(["A", '"Sở Tư pháp, Hà Nội"', '"0,5"']) + "\r\n"
    data = text.encode("utf-8-sig" if bom else "utf-8")
    assert cells_of(data, "units.csv") == [
        ["code", "name", "points"],
        ["A", "Sở Tư pháp, Hà Nội", "0,5"],
    ]


def test_empty_rows_are_skipped_keeping_row_numbers_and_rows_are_padded():
    data = b"code,name,type\n\nA,x\n,,\nB,y,z,\n\n\n"
    table = read_table(data)
    assert table.header == ["code", "name", "type"]
    assert [(row.number, row.cells) for row in table.rows] == [
        (3, ["A", "x", ""]),
        (5, ["B", "y", "z"]),
    ]


def test_a_quoted_line_break_stays_inside_its_cell():
    table = read_table(b'code,note\nA,"two\nlines"\nB,x\n')
    assert [row.cells for row in table.rows] == [["A", "two\nlines"], ["B", "x"]]
    assert [row.number for row in table.rows] == [2, 3]


def test_xlsx_rows_keep_their_sheet_numbers_and_trailing_empties_are_dropped():
    data = workbook(("Sheet", [["code", "name", None], [], ["A", "x", None], [None], []]))
    table = read_table(data)
    assert table.header == ["code", "name"]
    assert [(row.number, row.cells) for row in table.rows] == [(3, ["A", "x"])]


def test_read_lines_keeps_rows_at_their_places_for_positional_importers():
    assert read_lines(b"code,name\n\nA\n,,\nB,y\n") == [
        ["code", "name"],
        [],
        ["A", ""],
        [],
        ["B", "y"],
    ]


def test_read_lines_refuses_a_far_row_instead_of_padding_up_to_it():
    sheet = hostile.sheet_xml([["code"]]).replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
    )
    with pytest.raises(
        TableError, check=lambda exception: exception.code == "too_many_rows"
    ) as error:
        read_lines(hostile.xlsx(sheet))
    assert (error.value.code, error.value.params) == ("too_many_rows", {"limit": 100_000})


def test_number_columns_tell_a_typed_number_from_text():
    data = workbook(("Sheet", [["code", "n"], ["1.10", 1.1]]))
    row = read_table(data).rows[0]
    assert row.cells == ["1.10", "1.1"]
    assert row.number_columns == frozenset({1})


# -- judged by content --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "units.csv", "empty"),
        (b"  \r\n", "units.csv", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "units.xls", "old_excel"),
        (b"code,name\n", "units.xlsx", "not_xlsx"),
        (b"%PDF-1.4\n", "units.pdf", "not_a_table"),
        (b"code\0name", "units.csv", "not_a_table"),
        ("tên,đơn\n".encode("cp1258"), "units.csv", "bad_encoding"),
        ("mã,tên\n".encode("utf-16"), "units.csv", "not_a_table"),
        (b"PK\x03\x04 not really a zip", "units.xlsx", "damaged"),
    ],
    ids=["empty", "blank", "xls", "csv-named-xlsx", "pdf", "nul", "cp1258", "utf16", "bad-zip"],
)
def test_files_that_are_not_tables_are_refused_by_code(data, filename, code):
    with pytest.raises(TableError, check=lambda exception: exception.code == code) as error:
        read_table(data, filename)
    assert error.value.params.get("name", filename) == filename


def test_a_workbook_is_judged_by_content_not_by_its_name():
    data = workbook(("Sheet", [["code"], ["A"]]))
    assert cells_of(data, "units.csv") == [["code"], ["A"]]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(TableError, check=lambda exception: exception.code == "not_a_table"):
        read_table(buffer.getvalue(), "units.xlsx")


def test_read_tables_gives_every_sheet_and_iter_rows_the_first_header_first():
    data = workbook(("Một", [["a", "b"], [1]]), ("Hai", [["c"], [2], [3]]))
    assert [(t.name, t.header, len(t.rows)) for t in read_tables(data)] == [
        ("Một", ["a", "b"], 1),
        ("Hai", ["c"], 2),
    ]
    assert [row.cells for row in iter_rows(data)] == [["a", "b"], ["1", ""]]


# -- limits -------------------------------------------------------------------------------------

SMALL = Limits(max_rows=3, max_columns=3, max_cells=20, max_members=8)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([["a"]] * 5, "too_many_rows"),
        ([["a", "b", "c", "d"]], "too_many_columns"),
        ([["a", "", "", ""]] * 3 + [[""] * 20], "too_many_cells"),
    ],
    ids=["rows", "columns", "cells"],
)
def test_limits_on_what_is_actually_read(form, rows, code):
    if form == "csv":
        data = "\n".join(",".join(row) for row in rows).encode()
    else:
        data = hostile.xlsx(hostile.sheet_xml(rows))
    with pytest.raises(TableError, check=lambda exception: exception.code == code):
        read_table(data, limits=SMALL)


def test_an_empty_styled_cell_far_right_does_not_count_as_a_column():
    sheet = hostile.sheet_xml([["a", "b"]]).replace(b"</row>", b'<c r="XFD1" s="1"/></row>')
    assert read_table(hostile.xlsx(sheet), limits=SMALL).header == ["a", "b"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(TableError, check=lambda exception: exception.code == "too_large"):
        read_table(b"a,b\n" * 100, limits=Limits(max_bytes=100))


def test_a_workbook_with_too_many_members_is_refused_from_its_directory():
    extra = {f"xl/media/{n}.bin": b"x" for n in range(10)}
    with pytest.raises(TableError, check=lambda exception: exception.code == "too_many_members"):
        read_table(hostile.xlsx(hostile.sheet_xml([["a"]]), extra), limits=SMALL)


def test_a_cell_longer_than_excel_allows_is_refused():
    with pytest.raises(TableError, check=lambda exception: exception.code == "cell_too_long"):
        read_table(hostile.xlsx(hostile.sheet_xml([["a" * 40_000]])))


def test_read_upload_reads_no_more_than_the_limit():
    upload = io.BytesIO(b"x" * 1000)
    with pytest.raises(TableError, check=lambda exception: exception.code == "too_large"):
        read_upload(upload, limits=Limits(max_bytes=100))
    assert upload.tell() == 101


def test_the_refusal_names_the_limit_in_vietnamese():
    with (
        translation.override("vi"),
        pytest.raises(
            TableError, check=lambda exception: exception.code == "too_many_rows"
        ) as error,
    ):
        read_table(b"a\n" * 10, limits=Limits(max_rows=3))
    assert error.value.params == {"limit": 3}
    assert error.value.message == "Bảng có hơn 3 dòng, vượt quá giới hạn cho một tệp."


def test_large_limits_are_shown_with_vietnamese_thousands_separators():
    with translation.override("vi"):
        message = TableError("too_many_cells", limit=1_000_000).message
    assert "1.000.000 ô" in message


# -- hostile files (issue 10, findings 3 and 8) ---------------------------------------------------

HOSTILE_CODES = {
    "member_bomb": "zip_bomb",
    "content_types_bomb": "zip_bomb",
    "far_dimension": "too_many_columns",
    "huge_sheet": "zip_bomb",
    "lying_sheet": "damaged",
    "billion_laughs": "xml_forbidden",
    "xxe_strings": "xml_forbidden",
}


@pytest.mark.parametrize("name", list(HOSTILE_CODES))
def test_hostile_file_is_refused_by_code(name):
    with pytest.raises(TableError, check=lambda exception: exception.code == HOSTILE_CODES[name]):
        read_table(hostile.HOSTILE[name](), "hostile.xlsx")


def test_far_declared_dimension_allocates_nothing_for_the_empty_grid():
    """Finding 3b: the declared A1:XFD1048576 is ignored; a far row is read as one row."""
    sheet = hostile.sheet_xml([["code", "name"]], dimension="A1:XFD1048576")
    sheet = sheet.replace(
        b"</sheetData>", b'<row r="1048576"><c r="B1048576"><v>1</v></c></row></sheetData>'
    )
    table = read_table(hostile.xlsx(sheet))
    assert [(row.number, row.cells) for row in table.rows] == [(1048576, ["", "1"])]


def test_hostile_files_are_refused_fast_in_a_few_hundred_mb(tmp_path):
    """Findings 3a-3c and 8, in a child process capped at 1 GiB of address space."""
    paths = []
    for name in HOSTILE_CODES:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(hostile.HOSTILE[name]())
        paths.append(path)
    outcomes = hostile.read_in_child(paths, "parindex.documents.tables.read_table")
    assert [(o["outcome"], o["code"]) for o in outcomes] == [
        ("TableError", code) for code in HOSTILE_CODES.values()
    ]
    assert all(o["seconds"] < 2 for o in outcomes), outcomes
    assert max(o["max_rss_mb"] for o in outcomes) < 300, outcomes
    assert "64 MB" in outcomes[0]["message"]  # names the limit, in Vietnamese
    assert "Tệp" in outcomes[0]["message"]


# -- writers ------------------------------------------------------------------------------------


def test_write_csv_neutralises_formula_text_and_keeps_numbers():
    rows = [['=HYPERLINK("http://x")', D("85.95")], ["+1", -2], ["@a", 3], ["\tx", 1.5]]
    rows += [["-", None], ["Sở", 7]]
    assert write_csv(rows, bom=False, lineterminator="\n").decode() == (
        '"\'=HYPERLINK(""http://x"")",85.95\n\'+1,-2\n\'@a,3\n\'\tx,1.5\n\'-,\nSở,7\n'
    )


def test_write_csv_is_utf8_with_a_byte_order_mark_unless_asked():
    assert write_csv([["Sở"]]) == "\ufeffSở\r\n".encode()
    assert write_csv([["Sở"]], bom=False, lineterminator="\n") == "Sở\n".encode()


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_what_the_writers_produce_reads_back_unchanged(writer):
    rows = [["code", "name", "points"], ["=A1", "-Sở", D("0.5")], ["B", "@x", 12]]
    data = write_csv(rows) if writer == "csv" else write_xlsx([Sheet("Sheet", rows)])
    assert cells_of(data) == [["code", "name", "points"], ["=A1", "-Sở", "0.5"], ["B", "@x", "12"]]


def test_write_xlsx_neutralises_formula_text():
    data = write_xlsx([Sheet("S", [["a"], ['=HYPERLINK("http://x")']])])
    cell = load_workbook(io.BytesIO(data))["S"]["A2"]
    assert cell.value == '\'=HYPERLINK("http://x")'
    assert cell.data_type == "s"


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_is_the_exact_float_without_exponent(number):
    text = number_text(number)
    assert float(text) == number or (number == 0 and float(text) == 0)
    assert "e" not in text.lower()
    if math.isfinite(number) and number.is_integer():
        assert "." not in text


def test_streamed_workbook_keeps_header_filter_widths_choices_and_print_setup():
    from openpyxl import load_workbook

    rows = [["code", "tên", "điểm", "ngày"], ["#N/A", "Sở Nội vụ", D("85.95"), 7]]
    rows += [[f"U{i}", "x" * 80, i, None] for i in range(300)]  # past the width sample
    sheet = Sheet("Kết quả", rows, number_formats={3: "0"}, choices={0: ["A", "B"]}, printable=True)
    workbook = load_workbook(io.BytesIO(write_xlsx([sheet, Sheet("Trống", [])])))
    first = workbook["Kết quả"]
    assert first["A1"].font.bold and first.freeze_panes == "A2"
    assert first.auto_filter.ref == "A1:D302"
    assert first["A2"].value == "#N/A" and first["A2"].data_type == "s"  # text, not an error
    assert first["C2"].value == 85.95 and first["C2"].number_format == "#,##0.00"
    assert first["D2"].number_format == "0"
    assert first.column_dimensions["B"].width == 60  # measured on the sample, capped
    assert str(first.data_validations.dataValidation[0].sqref) == "A2:A501"
    assert first.page_setup.orientation == "landscape" and first.print_title_rows == "$1:$1"
    assert workbook["Trống"].max_row == 1
