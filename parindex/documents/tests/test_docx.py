"""The administrative-document builder (Decree 30/2020/NĐ-CP), read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from parindex.documents.charts import Series, bar_chart_png
from parindex.documents.docx import (
    AdminDocument,
    Heading,
    Image,
    Letterhead,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    build_docx,
    place_date_line,
)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 11, 29), "Hà Thanh, ngày 29 tháng 11 năm 2026"),
        (dt.date(2026, 1, 5), "Hà Thanh, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 10), "Hà Thanh, ngày 10 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Hà Thanh, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_place_date_line_pads_days_below_ten_and_january_february(date, expected):
    assert place_date_line("Hà Thanh", date) == expected


@pytest.fixture
def document():
    png = bar_chart_png(
        categories=["2022", "2023"], series=[Series("Tỉnh", [D("85.95"), D("88.35")])]
    )
    spec = AdminDocument(
        letterhead=Letterhead(
            parent_agency="UBND tỉnh Hà Thanh",
            agency="Sở Nội vụ",
            number="Số:   /BC-SNV",
            place="Hà Thanh",
        ),
        date=dt.date(2026, 11, 29),
        kind="Báo cáo",
        subject="Kết quả Chỉ số cải cách hành chính năm 2025",
        blocks=[
            Heading("I. KẾT QUẢ CHUNG"),
            Paragraph("Chỉ số năm 2025 đạt 89,72%."),
            Paragraph(runs=[("Đậm ", "b"), ("nghiêng", "i")]),
            Table(
                rows=[["STT", "Đơn vị", "Chỉ số (%)"], [1, "Sở Tư pháp", D("92.1")]],
                numeric_columns={0, 2},
            ),
            Image(png, width_mm=120, caption="Biểu đồ 1"),
            PageBreak(),
            Heading("PHỤ LỤC"),
        ],
        recipients=["Như trên;", "Lưu: VT, CCHC."],
        signature=Signature(title="Giám đốc", name="Lê Minh Đạo", authority="KT. Giám đốc"),
    )
    return Document(io.BytesIO(build_docx(spec)))


def test_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]


def test_header_has_agency_left_and_national_title_right(document):
    left, right = document.tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text.strip()]
    assert lines == ["UBND TỈNH HÀ THANH", "SỞ NỘI VỤ", "Số:   /BC-SNV"]
    assert left.paragraphs[1].runs[0].bold
    right_lines = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in right_lines] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Thanh, ngày 29 tháng 11 năm 2026",
    ]
    assert right_lines[0].runs[0].bold and right_lines[1].runs[0].bold
    assert right_lines[2].runs[0].italic


def test_title_is_bold_capitals_and_body_is_times_new_roman(document):
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                assert run.font.name == "Times New Roman"
                fonts = run._element.rPr.find(qn("w:rFonts"))
                assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
                assert 13 <= run.font.size.pt <= 14
    body = next(p for p in document.paragraphs if p.text.startswith("Chỉ số năm 2025"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and body.paragraph_format.first_line_indent
    mixed = next(p for p in document.paragraphs if p.text == "Đậm nghiêng")
    assert mixed.runs[0].bold and mixed.runs[1].italic


def test_tables_have_a_repeated_bold_header_and_right_aligned_numbers(document):
    table = document.tables[1]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(cell.paragraphs[0].runs[0].bold for cell in header.cells)
    row = table.rows[1]
    assert [cell.text for cell in row.cells] == ["1", "Sở Tư pháp", "92,10"]
    assert row.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_charts_are_embedded_and_the_closing_has_recipients_and_signature(document):
    assert len(document.inline_shapes) == 1
    assert any(p.text == "Biểu đồ 1" for p in document.paragraphs)
    left, right = document.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, CCHC."]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert [p.text for p in right.paragraphs if p.text] == [
        "KT. GIÁM ĐỐC",
        "GIÁM ĐỐC",
        "Lê Minh Đạo",
    ]
