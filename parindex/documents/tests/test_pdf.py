"""The PDF writer: Vietnamese text survives, tables and charts carry their numbers."""

from __future__ import annotations

import io

from pypdf import PdfReader

from parindex.documents import pdf


def test_pdf_keeps_vietnamese_text_tables_and_chart_numbers():
    data = pdf.build_pdf(
        pdf.PdfDocument(
            title="BÁO CÁO",
            subtitle="Kết quả Chỉ số cải cách hành chính năm 2025",
            note="TẠM TÍNH",
            blocks=[
                pdf.Heading("I. KẾT QUẢ CHUNG"),
                pdf.Paragraph("Sở Nội vụ đạt 85,95%, xếp thứ 1/20."),
                pdf.Table([["Đơn vị", "Chỉ số (%)"], ["Sở Tư pháp", "92,10"]], {1}),
                pdf.Bars(["Sở Tư pháp"], [92.1], ["92,10"], caption="Biểu đồ 1"),
                pdf.PageBreak(),
                pdf.Heading("PHỤ LỤC"),
            ],
        )
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    for expected in ("Kết quả Chỉ số cải cách hành chính", "TẠM TÍNH", "Sở Nội vụ đạt 85,95%"):
        assert expected in text
    assert text.count("92,10") == 2
    assert "PHỤ LỤC" in reader.pages[1].extract_text()
