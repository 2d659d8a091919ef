"""One vocabulary of document blocks: both writers (`docx.py`, `pdf.py`) render the same spec.

Callers describe a document with these plain dataclasses and hand it to `docx.build_docx` or
`pdf.build_pdf`; the writers know the format of Decree 30/2020/NĐ-CP, callers only supply text,
rows and chart data (docs/style.md §6: exporters yield rows, writers turn rows into files)::

    from parindex.documents.blocks import (
        AdminDocument, Chart, Heading, Letterhead, Paragraph, Signature, Table,
    )

    spec = AdminDocument(
        letterhead=Letterhead(parent_agency="UBND TỈNH HÀ THANH", agency="SỞ NỘI VỤ",
                              number="Số:      /BC-SNV", place="Hà Thanh"),
        date=dt.date(2026, 11, 29),
        kind="Báo cáo",                                 # printed in bold capitals
        subject="Kết quả Chỉ số CCHC năm 2025",         # trích yếu, bold, under the kind
        blocks=[Heading("I. KẾT QUẢ CHUNG"), Paragraph("Chỉ số … đạt 89,72%…"),
                Table(rows=[["STT", "Đơn vị", "Chỉ số (%)"], ["1", "Sở Tư pháp", "92,10"]],
                      numeric_columns={0, 2}, widths_mm=[15, 110, 40]),
                Chart(labels=["Sở Tư pháp"], values=[Decimal("92.10")], caption="Biểu đồ 1")],
        recipients=["Như trên;", "Lưu: VT, CCHC."],
        signature=Signature(title="GIÁM ĐỐC", name="Lê Minh Đạo"),
        appendix=[Heading("PHỤ LỤC"), Table(...)],     # after the signature, on a new page
    )
    docx.build_docx(spec), pdf.build_pdf(spec)

The format (Decree 30/2020/NĐ-CP, Appendix I) is described in docs/formats.md ("Documents").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.documents.formatting import format_number

FONT = "Times New Roman"
BODY_PT = 13
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
# Decree 30/2020, Appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
# The header: the issuing agency on the left, the national title and motto on the right. The
# right column is wide enough for the national title in 12 pt bold capitals on one line.
HEADER_LEFT_SHARE = 0.40


@dataclass(frozen=True)
class Letterhead:
    """The issuing agency (left of the header) and where the document is issued.

    `parent_agency` (upright capitals) is the agency above the issuer, if any ("UBND TỈNH HÀ
    THANH" above "SỞ NỘI VỤ"); `agency` is printed in bold capitals, a new line where it has one
    ("ỦY BAN NHÂN DÂN\\nTỈNH HÀ THANH").
    """

    parent_agency: str
    agency: str
    number: str = "Số:      /BC-SNV"
    place: str = ""


@dataclass(frozen=True)
class Signature:
    """The signature block: authority line ("KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"), the signer's
    title, a note (e.g. "(Đã ký)"), the signer's name."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = ""


def signature_for(*, head: str, signer: str, name: str = "", on_behalf_of: str = "") -> Signature:
    """The signature block by the decree's rules on who signs (Decree 30/2020, Article 13).

    `head` is the title of the one who issues the document ("Chủ tịch", "Giám đốc"); `signer`
    the title of the one who signs. The head signs in their own title; a deputy signs for the
    head: "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH". `on_behalf_of` names a collective body the head
    signs for ("ỦY BAN NHÂN DÂN": "TM. ỦY BAN NHÂN DÂN"), used only for that body's own
    documents, never for a document the head issues in their own name.
    """
    head_upper, signer_upper = head.strip().upper(), (signer.strip() or head).upper()
    lines = [f"TM. {on_behalf_of.strip().upper()}"] if on_behalf_of.strip() else []
    if signer_upper != head_upper:
        lines.append(f"KT. {head_upper}")
    return Signature(title=signer_upper, name=name, authority="\n".join(lines))


@dataclass(frozen=True)
class Heading:
    """A section heading, bold; level 1 in capitals as written ("I. KẾT QUẢ"), level 2 normal."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified, first line indented; `runs` mixes bold or italic parts."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify | center | left | right
    indent: bool = True
    runs: Sequence[tuple[str, str]] = ()  # (text, "" | "b" | "i" | "bi")

    def parts(self) -> list[tuple[str, str]]:
        """The runs, or the text in the paragraph's own style."""
        style = ("b" if self.bold else "") + ("i" if self.italic else "")
        return list(self.runs) or [(self.text, style)]


@dataclass(frozen=True)
class Table:
    """A table from plain rows, the first `header_rows` rows in bold and repeated on each page."""

    rows: Sequence[Sequence[Any]]
    header_rows: int = 1
    numeric_columns: frozenset[int] | set[int] = frozenset()
    widths_mm: Sequence[float] | None = None
    font_pt: float = 11
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: one labelled bar per value, its value written beside it; drawn
    by `charts.bar_chart_png` for both writers."""

    labels: Sequence[str]
    values: Sequence[Decimal | float | int | None]
    caption: str = ""
    series_label: str = ""
    limits: tuple[float, float] = (0, 105)
    width_mm: float = 160


@dataclass(frozen=True)
class Image:
    """A PNG image (a chart drawn by the caller), centred, with an italic caption below."""

    png: bytes
    width_mm: float = 150
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class QrCard:
    """A cut-out card: a QR code of `url`, then lines of text (the first in bold)."""

    url: str
    lines: Sequence[str] = ()


@dataclass(frozen=True)
class QrCards:
    """QR cards in a grid with cutting lines, e.g. survey invitations (PDF only)."""

    cards: Sequence[QrCard]
    columns: int = 2
    qr_mm: float = 38


Block = Heading | Paragraph | Table | Chart | Image | PageBreak | QrCards


@dataclass(frozen=True)
class AdminDocument:
    """A whole document: header, kind and subject, body, closing, then the appendix.

    Without a letterhead the document has no administrative header (a sheet of cards). The
    signature and the recipients ("Nơi nhận") close the body; the appendix follows them on a
    new page, as the decree lays it out. `note` marks a provisional document ("TẠM TÍNH").
    """

    kind: str
    subject: str = ""
    letterhead: Letterhead | None = None
    date: dt.date | None = None  # None: a draft, the day and month left blank for the signer
    year: int | None = None  # the year of a draft's blank date line
    blocks: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    signature: Signature | None = None
    # A second signature on the left, as minutes have (the secretary's, beside the chair's).
    countersignature: Signature | None = None
    appendix: Sequence[Block] = field(default_factory=tuple)
    note: str = ""
    landscape: bool = False


def place_date_line(place: str, date: dt.date) -> str:
    """The place and date line: "Hà Thanh, ngày 05 tháng 01 năm 2026" (Decree 30 zero-padding)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"


BLANK = "\u00a0" * 6  # a gap the signer fills in by hand (kept by both writers)


def date_line(place: str, date: dt.date | None, year: int | None = None) -> str:
    """The date line of a document, or of a draft whose day and month the signer writes in:
    "Hà Thanh, ngày      tháng      năm 2026"."""
    if date is not None:
        return place_date_line(place, date)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày{BLANK}tháng{BLANK}năm {year if year else BLANK}"


def cell_text(value: Any) -> str:
    """A cell's text: Decimals and floats the Vietnamese way (85,95), None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)):
        return format_number(value)
    return str(value)


def text_width_mm(document: AdminDocument, landscape: bool | None = None) -> float:
    """The width between the side margins."""
    wide = document.landscape if landscape is None else landscape
    page = PAGE_HEIGHT_MM if wide else PAGE_WIDTH_MM
    return float(page - MARGINS_MM["left"] - MARGINS_MM["right"])


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The recipients as the decree lists them: "- " before each, ";" after all but the last,
    "." after the last (the archive line)."""
    lines = []
    for index, recipient in enumerate(recipients):
        text = recipient.strip().rstrip(";.")
        end = "." if index == len(recipients) - 1 else ";"
        lines.append(f"- {text}{end}")
    return lines
