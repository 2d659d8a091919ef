"""The shared XLSX writer: bold frozen header, numbers kept as numbers, no formula injection."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from parindex.documents.xlsx import Sheet, neutralise, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Sở Tư pháp", "Sở Tư pháp"),
        (-5, -5),
        (D("85.95"), D("85.95")),
    ],
)
def test_text_that_would_run_as_a_formula_is_neutralised(value, expected):
    assert neutralise(value) == expected


def test_workbook_has_bold_frozen_header_and_typed_cells():
    rows = [
        ["Mã", "Đơn vị", "Chỉ số (%)", "Ngày"],
        ["=cmd|' /C calc'!A0", "Sở Tư pháp", D("92.10"), dt.date(2026, 1, 5)],
        [2, "Sở Tài chính", D("88"), None],
    ]
    data = write_xlsx([Sheet("Kết quả", rows, number_formats={2: "0.00"}, widths={1: 40})])
    sheet = load_workbook(io.BytesIO(data))["Kết quả"]
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 92.1 and sheet["C2"].number_format == "0.00"
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["B"].width == 40


def test_several_sheets_and_long_titles():
    data = write_xlsx([Sheet("A" * 40, [["x"]]), Sheet("Hai", [["y"], [1]])])
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["A" * 31, "Hai"]
