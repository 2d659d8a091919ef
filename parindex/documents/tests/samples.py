"""A sample administrative document: a draft decision with a body, a closing and an appendix."""

from __future__ import annotations

from decimal import Decimal as D

from parindex.documents.blocks import (
    AdminDocument,
    Chart,
    Heading,
    Letterhead,
    Paragraph,
    Table,
    signature_for,
)

LONG = (
    "Các cơ quan, đơn vị phân tích các tiêu chí bị mất điểm, đề ra giải pháp khắc phục trong kế "
    "hoạch cải cách hành chính năm sau, báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp, "
    "báo cáo Ủy ban nhân dân tỉnh theo quy định."
)


def ranking(rows: int) -> list[list[str]]:
    header = ["Hạng", "Đơn vị", "Điểm đạt", "Tối đa", "Chỉ số (%)", "Xếp loại"]
    return [header] + [
        [str(i), f"Xã Minh Họa {i}", "85,50", "100,00", "85,50", "Khá"] for i in range(1, rows + 1)
    ]


def decision(rows: int = 70) -> AdminDocument:
    return AdminDocument(
        letterhead=Letterhead(
            parent_agency="",
            agency="ỦY BAN NHÂN DÂN\nTỈNH HÀ THANH",
            number="Số:      /QĐ-UBND",
            place="Hà Thanh",
        ),
        date=None,
        year=2026,
        kind="Quyết định",
        subject="Về việc công bố Chỉ số cải cách hành chính năm 2025",
        blocks=[
            Paragraph(
                "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ THANH", bold=True, align="center", indent=False
            ),
            Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương;", italic=True),
            Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
            Paragraph(
                runs=[("Điều 1. ", "b"), ("Công bố Chỉ số cải cách hành chính năm 2025.", "")]
            ),
            Paragraph(runs=[("Điều 2. ", "b"), (LONG, "")]),
            Heading("1. Sở, ban, ngành", level=2),
            Chart(
                labels=["Sở Tư pháp", "Sở Nội vụ"],
                values=[D("92.10"), D("85.95")],
                caption="Biểu đồ 1. Chỉ số CCHC năm 2025",
                width_mm=110,
            ),
        ],
        recipients=["Như Điều 3;", "Bộ Nội vụ;", "Lưu: VT."],
        signature=signature_for(head="Chủ tịch", signer="Phó Chủ tịch", name="Nguyễn Văn An"),
        appendix=[
            Paragraph("PHỤ LỤC", bold=True, align="center", indent=False),
            Table(
                rows=ranking(rows),
                numeric_columns={0, 2, 3, 4},
                widths_mm=[15, 70, 20, 20, 20, 20],
            ),
        ],
    )
