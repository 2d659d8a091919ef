"""PDF documents from plain data (reportlab): headings, paragraphs, tables and bar charts, on A4.

The text is Vietnamese, so the font must carry its glyphs: Liberation Serif (metric-compatible
with Times New Roman, Debian's fonts-liberation), else DejaVu Serif from the system or the copy
matplotlib ships. Numbers are written the Vietnamese way by the caller (85,95).

    data = build_pdf(PdfDocument(title="BÁO CÁO", subtitle="Kết quả Chỉ số CCHC năm 2025",
                                 blocks=[Heading("I. KẾT QUẢ"), Table([["STT", "Đơn vị"], …])]))
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
FAMILIES = (
    (
        "LiberationSerif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
    ),
    ("DejaVuSerif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
)
VIETNAMESE_SAMPLE = "ếộởữỳĐđ"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH = A4[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm


def _font_files() -> list[Path]:
    import matplotlib

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return [*FONT_DIRS, bundled]


def register_fonts() -> str:
    """Register a serif family with Vietnamese glyphs and return its name."""
    for family, regular, bold, italic in FAMILIES:
        if family in pdfmetrics.getRegisteredFontNames():
            return family
        for folder in _font_files():
            files = [folder / name for name in (regular, bold, italic)]
            if not all(path.exists() for path in files):
                continue
            font = TTFont(family, str(files[0]))
            # Older Liberation releases (1.x) lack the Vietnamese letters: skip them.
            if not all(ord(char) in font.face.charToGlyph for char in VIETNAMESE_SAMPLE):
                continue
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFont(TTFont(f"{family}-Bold", str(files[1])))
            pdfmetrics.registerFont(TTFont(f"{family}-Italic", str(files[2])))
            pdfmetrics.registerFontFamily(
                family, normal=family, bold=f"{family}-Bold", italic=f"{family}-Italic"
            )
            return family
    raise RuntimeError("No serif TrueType font with Vietnamese glyphs: install fonts-liberation 2.")


@dataclass(frozen=True)
class Heading:
    """A bold section heading."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A justified body paragraph (plain text)."""

    text: str
    italic: bool = False


@dataclass(frozen=True)
class Table:
    """A table from plain rows (already formatted text), header first and repeated on each page."""

    rows: Sequence[Sequence[Any]]
    numeric_columns: frozenset[int] | set[int] = frozenset()
    widths_mm: Sequence[float] | None = None
    font_pt: float = 9
    caption: str = ""


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart: one labelled bar per row, its value written beside it."""

    labels: Sequence[str]
    values: Sequence[float]
    value_texts: Sequence[str]
    maximum: float = 100
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
    """QR cards in a grid with cutting lines, e.g. survey invitations (six per A4 page)."""

    cards: Sequence[QrCard]
    columns: int = 2
    qr_mm: float = 38


Block = Heading | Paragraph | Table | Bars | PageBreak | QrCards


@dataclass(frozen=True)
class PdfDocument:
    """A whole PDF: a header line (the agency), title, subtitle and blocks."""

    title: str
    subtitle: str = ""
    agency: str = ""
    note: str = ""  # e.g. "TẠM TÍNH" on a provisional preview, printed under the title
    blocks: Sequence[Block] = field(default_factory=tuple)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=12, leading=15, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "italic": ParagraphStyle("italic", parent=base, fontName=f"{font}-Italic"),
        "title": ParagraphStyle(
            "title", parent=base, fontName=f"{font}-Bold", fontSize=14, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=f"{font}-Bold", spaceBefore=8, spaceAfter=4
        ),
        "note": ParagraphStyle(
            "note",
            parent=base,
            fontName=f"{font}-Bold",
            alignment=TA_CENTER,
            textColor=colors.HexColor("#9c2f00"),
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontName=f"{font}-Italic", fontSize=10, alignment=TA_CENTER
        ),
    }


def _table(block: Table, font: str) -> RLTable:
    cell_style = ParagraphStyle(
        "cell", fontName=font, fontSize=block.font_pt, leading=block.font_pt + 2
    )
    head_style = ParagraphStyle("head", parent=cell_style, fontName=f"{font}-Bold")
    number_style = ParagraphStyle("number", parent=cell_style, alignment=2)
    data = []
    for index, row in enumerate(block.rows):
        data.append(
            [
                RLParagraph(
                    escape("" if value is None else str(value)),
                    head_style
                    if index == 0
                    else number_style
                    if column in block.numeric_columns
                    else cell_style,
                )
                for column, value in enumerate(row)
            ]
        )
    widths = [w * mm for w in block.widths_mm] if block.widths_mm else None
    table = RLTable(data, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7edf3")),
    ]
    table.setStyle(TableStyle(commands))
    return table


def _bars(block: Bars, font: str) -> Drawing:
    row_height = 14
    label_width = 70 * mm
    bar_space = TEXT_WIDTH - label_width - 18 * mm
    height = row_height * len(block.labels) + 4
    drawing = Drawing(TEXT_WIDTH, height)
    for index, (label, value, text) in enumerate(
        zip(block.labels, block.values, block.value_texts, strict=True)
    ):
        y = height - (index + 1) * row_height
        short = label if len(label) <= 42 else label[:41] + "…"
        drawing.add(String(0, y + 3, short, fontName=font, fontSize=8))
        width = max(0.0, bar_space * value / block.maximum) if block.maximum else 0
        drawing.add(
            Rect(
                label_width,
                y + 1,
                width,
                row_height - 4,
                # types-reportlab types these keyword arguments as one TypedDict, wrongly
                fillColor=colors.HexColor("#1f4e79"),  # type: ignore[arg-type]
                strokeColor=None,  # type: ignore[arg-type]
            )
        )
        drawing.add(String(label_width + width + 3, y + 3, text, fontName=font, fontSize=8))
    return drawing


def _qr_cards(block: QrCards, font: str) -> RLTable:
    from reportlab.graphics.barcode.qr import QrCodeWidget

    bold = ParagraphStyle("card-bold", fontName=f"{font}-Bold", fontSize=10, leading=12)
    plain = ParagraphStyle("card", fontName=font, fontSize=8.5, leading=10.5)
    link = ParagraphStyle("card-link", parent=plain, wordWrap="CJK")  # a URL breaks anywhere
    size = block.qr_mm * mm
    cells: list[Any] = []
    for card in block.cards:
        widget = QrCodeWidget(card.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        texts = [
            RLParagraph(
                escape(line),
                bold if index == 0 else link if line.startswith(("http://", "https://")) else plain,
            )
            for index, line in enumerate(card.lines)
        ]
        cells.append([_Drawing(drawing), *texts])
    while len(cells) % block.columns:
        cells.append("")
    rows = [cells[i : i + block.columns] for i in range(0, len(cells), block.columns)]
    table = RLTable(rows, colWidths=[TEXT_WIDTH / block.columns] * block.columns)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey, None, (2, 2)),  # cutting lines
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


class _Drawing(Flowable):
    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        renderPDF.draw(self.drawing, self.canv, 0, 0)


def build_pdf(document: PdfDocument) -> bytes:
    """Lay the document out on A4 portrait pages (numbered) and return the PDF's bytes."""
    font = register_fonts()
    styles = _styles(font)
    story: list[Any] = []
    if document.agency:
        story.append(RLParagraph(escape(document.agency), styles["center"]))
        story.append(Spacer(1, 6))
    story.append(RLParagraph(escape(document.title), styles["title"]))
    if document.subtitle:
        story.append(RLParagraph(escape(document.subtitle), styles["center"]))
    if document.note:
        story.append(RLParagraph(escape(document.note), styles["note"]))
    story.append(Spacer(1, 10))
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(RLParagraph(escape(block.text), styles["heading"]))
        elif isinstance(block, Paragraph):
            style = styles["italic"] if block.italic else styles["body"]
            story.append(RLParagraph(escape(block.text), style))
            story.append(Spacer(1, 4))
        elif isinstance(block, Table):
            story.append(_table(block, font))
            if block.caption:
                story.append(RLParagraph(escape(block.caption), styles["caption"]))
            story.append(Spacer(1, 8))
        elif isinstance(block, Bars):
            story.append(_Drawing(_bars(block, font)))
            if block.caption:
                story.append(RLParagraph(escape(block.caption), styles["caption"]))
            story.append(Spacer(1, 8))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(block, QrCards):
            story.append(_qr_cards(block, font))
    output = io.BytesIO()

    def number_page(canvas: Any, doc: Any) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, str(doc.page))

    template = SimpleDocTemplate(
        output,
        pagesize=A4,
        topMargin=MARGINS_MM["top"] * mm,
        bottomMargin=MARGINS_MM["bottom"] * mm,
        leftMargin=MARGINS_MM["left"] * mm,
        rightMargin=MARGINS_MM["right"] * mm,
        title=document.title,
        subject=document.subtitle,
    )
    template.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return output.getvalue()
