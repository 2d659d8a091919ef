"""The PDF writer renders the same blocks as the Word writer: header, body, closing, appendix."""

from __future__ import annotations

import io
from decimal import Decimal as D

from pypdf import PdfReader

from parindex.documents import pdf
from parindex.documents.blocks import (
    AdminDocument,
    Chart,
    Heading,
    Paragraph,
    QrCard,
    QrCards,
    Table,
)
from parindex.documents.tests.samples import decision


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_has_the_national_header_the_closing_and_then_the_appendix():
    pages = _pages(pdf.build_pdf(decision(rows=70)))
    first = pages[0]
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "TỈNH HÀ THANH",
        "Số:",
        "/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc công bố Chỉ số cải cách hành chính năm 2025",
        "Nơi nhận:",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    ):
        assert expected in first
    assert "PHỤ LỤC" not in first and pages[1].startswith("2")
    assert "PHỤ LỤC" in pages[1] and "Xã Minh Họa 70" in "".join(pages[1:])


def test_pdf_keeps_vietnamese_text_tables_charts_and_the_provisional_mark():
    data = pdf.build_pdf(
        AdminDocument(
            kind="BÁO CÁO",
            subject="Kết quả Chỉ số cải cách hành chính năm 2025",
            note="TẠM TÍNH",
            blocks=[
                Heading("I. KẾT QUẢ CHUNG"),
                Paragraph(runs=[("Sở Nội vụ ", "b"), ("đạt 85,95%, xếp thứ 1/20.", "")]),
                Table([["Đơn vị", "Chỉ số (%)"], ["Sở Tư pháp", D("92.1")]], numeric_columns={1}),
                Chart(["Sở Tư pháp"], [D("92.1")], caption="Biểu đồ 1"),
            ],
        )
    )
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    for expected in ("Kết quả Chỉ số cải cách hành chính", "TẠM TÍNH", "Sở Nội vụ đạt 85,95%"):
        assert expected in text
    assert "92,10" in text and "Biểu đồ 1" in text
    assert len(reader.pages[0].images) == 1, "the chart is the same PNG as in the DOCX"


def test_a_long_cell_wraps_inside_its_column():
    name = "Ủy ban nhân dân xã có một cái tên rất dài để xuống dòng trong ô của bảng xếp hạng"
    data = pdf.build_pdf(
        AdminDocument(kind="X", blocks=[Table([["Đơn vị"], [name]], widths_mm=[40])])
    )
    text = _pages(data)[0]
    assert "Ủy ban nhân dân xã" in text and "\n" in text.split("Ủy ban")[1]


def test_qr_cards_print_without_a_letterhead():
    data = pdf.build_pdf(
        AdminDocument(
            kind="PHIẾU MỜI",
            blocks=[QrCards([QrCard("https://example.invalid/s/abc", ("Sở Tư pháp", "Nhóm 1"))])],
        )
    )
    text = _pages(data)[0]
    assert "PHIẾU MỜI" in text and "Sở Tư pháp" in text
    assert "CỘNG HÒA" not in text
