"""The administrative-document builder (Decree 30/2020/NĐ-CP), read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from parindex.documents.blocks import (
    AdminDocument,
    Heading,
    Image,
    Letterhead,
    Paragraph,
    Signature,
    Table,
    date_line,
    place_date_line,
    recipient_lines,
    signature_for,
)
from parindex.documents.charts import Series, bar_chart_png
from parindex.documents.docx import build_docx
from parindex.documents.tests.samples import decision


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
        ],
        recipients=["Như trên;", "Lưu: VT, CCHC."],
        signature=Signature(title="Phó Giám đốc", name="Lê Minh Đạo", authority="KT. Giám đốc"),
        appendix=[Heading("PHỤ LỤC")],
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
    assert title.runs[0].font.size.pt == 14
    for paragraph in document.paragraphs:
        if paragraph.text in ("BÁO CÁO", "Kết quả Chỉ số cải cách hành chính năm 2025"):
            continue  # the kind and the subject are 14 pt
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
    assert all(cell.paragraphs[0].style.font.bold for cell in header.cells)
    row = table.rows[1]
    assert [cell.text for cell in row.cells] == ["1", "Sở Tư pháp", "92,10"]
    number = row.cells[2].paragraphs[0].style
    assert number.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert number.font.name == "Times New Roman" and number.font.size.pt == 11
    widths = [col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == 3 and len(set(widths)) == 1, "fixed column widths in the grid"


def test_charts_are_embedded_and_the_closing_has_recipients_and_signature(document):
    assert len(document.inline_shapes) == 1
    assert any(p.text == "Biểu đồ 1" for p in document.paragraphs)
    left, right = document.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, CCHC."]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert [p.text for p in right.paragraphs if p.text] == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Minh Đạo",
    ]


def _body_order(document):
    """The body's paragraph texts, with "<closing>" where the closing table stands."""
    texts = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            texts.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl") and "Nơi nhận:" in "".join(
            t.text or "" for t in element.iter(qn("w:t"))
        ):
            texts.append("<closing>")
    return texts


def test_the_appendix_follows_the_signature_on_a_new_page(document):
    order = _body_order(document)
    assert order.index("<closing>") < order.index("PHỤ LỤC")
    breaks = document.element.body.findall(f".//{qn('w:br')}")
    assert [b.get(qn("w:type")) for b in breaks] == ["page"]


def test_a_national_scale_table_is_written_whole():
    spec = decision(rows=3500)
    document = Document(io.BytesIO(build_docx(spec)))
    table = document.tables[-1]
    assert len(table.rows) == 3501
    assert [c.text for c in table.rows[3500].cells] == [
        "3500",
        "Xã Minh Họa 3500",
        "85,50",
        "100,00",
        "85,50",
        "Khá",
    ]
    assert "<closing>" in _body_order(document)


def test_pages_are_numbered_at_the_top_from_the_second_page(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.header._element.find(f".//{qn('w:fldSimple')}").get(qn("w:instr")) == "PAGE"
    assert not section.first_page_header.paragraphs[0].text


@pytest.mark.parametrize(
    ("head", "signer", "on_behalf_of", "lines"),
    [
        ("Chủ tịch", "Chủ tịch", "", ["CHỦ TỊCH"]),
        ("Chủ tịch", "Phó Chủ tịch", "", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("Chủ tịch", "Chủ tịch", "Ủy ban nhân dân", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        (
            "Chủ tịch",
            "Phó Chủ tịch",
            "Ủy ban nhân dân",
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ),
        ("Giám đốc", "", "", ["GIÁM ĐỐC"]),
    ],
)
def test_who_signs_follows_the_decree(head, signer, on_behalf_of, lines):
    signature = signature_for(head=head, signer=signer, on_behalf_of=on_behalf_of, name="A")
    assert [*signature.authority.splitlines(), signature.title] == lines


def test_recipients_end_with_semicolons_and_a_full_stop():
    assert recipient_lines(["Như Điều 3", "Bộ Nội vụ;", "Lưu: VT."]) == [
        "- Như Điều 3;",
        "- Bộ Nội vụ;",
        "- Lưu: VT.",
    ]


def test_a_draft_leaves_the_day_and_month_blank():
    line = date_line("Hà Thanh", None, 2026)
    assert line.startswith("Hà Thanh, ngày") and line.endswith("năm 2026")
    assert line.split() == ["Hà", "Thanh,", "ngày", "tháng", "năm", "2026"]
