"""Word documents in the Vietnamese administrative format (Decree 30/2020/NĐ-CP), from plain data.

Describe the document with the dataclasses below and call `build_docx`; the builder knows the
format, callers only supply text, rows and images (docs/style.md §6: exporters yield rows, writers
turn rows into files)::

    from parindex.documents.docx import (
        AdminDocument, Heading, Image, Letterhead, Paragraph, Signature, Table, build_docx,
    )

    data: bytes = build_docx(
        AdminDocument(
            letterhead=Letterhead(
                parent_agency="UBND TỈNH HÀ THANH",
                agency="SỞ NỘI VỤ",
                number="Số:      /BC-SNV",
                place="Hà Thanh",
            ),
            date=dt.date(2026, 11, 29),
            kind="Báo cáo",                       # printed in bold capitals
            subject="Kết quả Chỉ số CCHC năm 2025",  # trích yếu, bold, under the kind
            blocks=[
                Heading("I. KẾT QUẢ CHUNG"),
                Paragraph("Chỉ số CCHC năm 2025 của tỉnh đạt 89,72%…"),
                Table(rows=[["STT", "Đơn vị", "Chỉ số (%)"], [1, "Sở Tư pháp", "92,10"]],
                      numeric_columns={0, 2}, widths_mm=[15, 110, 40]),
                Image(png_bytes, width_mm=150, caption="Biểu đồ 1. Thứ hạng qua các năm"),
            ],
            recipients=["Như trên;", "Lưu: VT, CCHC."],
            signature=Signature(title="GIÁM ĐỐC", name="Lê Minh Đạo"),
        )
    )

Format (Decree 30/2020/NĐ-CP, Appendix I): A4, margins top and bottom 20 mm, left 30 mm, right
15 mm; Times New Roman; body 13 pt, justified, first line indented 10 mm, 6 pt after. Header: a
borderless two-column table, left the issuing agency (its parent in capitals, the agency in bold
capitals, a short rule, the number line), right the national title (bold capitals, 12 pt so that
it fits on one line as the decree allows), the motto (bold, 13 pt, a rule below) and the place and
date in italics ("Hà Thanh, ngày 05 tháng 01 năm 2026": days below 10 and months 1-2 take a
leading zero). The kind of document in bold capitals and the subject in bold, centred. Closing: a
borderless two-column table, left "Nơi nhận:" (bold italic 12 pt) and its list (11 pt), right the
signature block. Those fixed phrases are mandated by the decree and are never translated.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from parindex.documents.formatting import format_number

FONT = "Times New Roman"
BODY_PT = 13
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"


@dataclass(frozen=True)
class Letterhead:
    """The issuing agency (left of the header) and where the document is issued."""

    parent_agency: str
    agency: str
    number: str = "Số:      /BC-SNV"
    place: str = ""


@dataclass(frozen=True)
class Signature:
    """The signature block: authority line (e.g. "KT. GIÁM ĐỐC"), title, signer's name."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = ""


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
    align: str = "justify"
    indent: bool = True
    runs: Sequence[tuple[str, str]] = ()  # (text, "" | "b" | "i" | "bi")


@dataclass(frozen=True)
class Table:
    """A table from plain rows, the first `header_rows` rows in bold and repeated on each page."""

    rows: Sequence[Sequence[Any]]
    header_rows: int = 1
    numeric_columns: frozenset[int] | set[int] = frozenset()
    widths_mm: Sequence[float] | None = None
    font_pt: float = BODY_PT
    caption: str = ""


@dataclass(frozen=True)
class Image:
    """A PNG image (a chart), centred, with an italic caption below."""

    png: bytes
    width_mm: float = 150
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (e.g. before an appendix)."""


Block = Heading | Paragraph | Table | Image | PageBreak


@dataclass(frozen=True)
class AdminDocument:
    """A whole administrative document: header, kind and subject, body blocks, closing."""

    letterhead: Letterhead
    date: dt.date
    kind: str
    subject: str = ""
    blocks: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    signature: Signature | None = None
    landscape: bool = False


def place_date_line(place: str, date: dt.date) -> str:
    """The place and date line: "Hà Thanh, ngày 05 tháng 01 năm 2026" (Decree 30 zero-padding)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"


def cell_text(value: Any) -> str:
    """A cell's text: Decimals and floats the Vietnamese way (85,95), None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)):
        return format_number(value)
    return str(value)


def _set_font(run: Any, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = FONT
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _style_fonts(document: Any) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Caption", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        properties = style.element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.insert(0, fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        if name != "Table Grid":
            style.font.size = Pt(BODY_PT)
        if name.startswith("Heading"):
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True


def _page(document: Any, landscape: bool) -> None:
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    else:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _line(
    cell_or_doc: Any,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Any:
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    run = paragraph.add_run(text)
    _set_font(run, size, bold)
    run.font.italic = italic
    return paragraph


def _rule(cell: Any, width_chars: int) -> None:
    """The short horizontal rule under the agency name and the motto (underlined spaces)."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(6)
    run = paragraph.add_run("\u00a0" * width_chars)
    _set_font(run, 8)
    run.font.underline = True


def _widths(table: Any, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _header(document: Any, letterhead: Letterhead, date: dt.date, text_width: float) -> None:
    left_width = round(text_width * 0.42)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [left_width, text_width - left_width])
    left, right = table.rows[0].cells
    _line(left, letterhead.parent_agency.upper(), size=BODY_PT, first=True)
    _line(left, letterhead.agency.upper(), size=BODY_PT, bold=True)
    _rule(left, 14)
    _line(left, letterhead.number, size=BODY_PT)
    _line(right, NATIONAL_TITLE, size=12, bold=True, first=True)
    _line(right, MOTTO, size=BODY_PT, bold=True)
    _rule(right, 34)
    _line(right, place_date_line(letterhead.place, date), size=BODY_PT, italic=True)


def _title(document: Any, kind: str, subject: str) -> None:
    first = _line(document, kind.upper(), size=14, bold=True)
    first.paragraph_format.space_before = Pt(18)
    for line in subject.splitlines():
        _line(document, line, size=14, bold=True)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)


def _paragraph(document: Any, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[block.align]
    paragraph.paragraph_format.space_after = Pt(6)
    if block.indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    runs = list(block.runs) or [
        (block.text, ("b" if block.bold else "") + ("i" if block.italic else ""))
    ]
    for text, style in runs:
        run = paragraph.add_run(text)
        _set_font(run, BODY_PT, "b" in style)
        run.font.italic = "i" in style


def _heading(document: Any, block: Heading) -> None:
    paragraph = document.add_heading(level=max(1, min(block.level, 3)))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.first_line_indent = Mm(10)
    run = paragraph.add_run(block.text)
    _set_font(run, BODY_PT, True)
    run.font.color.rgb = RGBColor(0, 0, 0)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _table(document: Any, block: Table, text_width: float) -> None:
    rows = [list(row) for row in block.rows]
    if not rows:
        return
    columns = max(len(row) for row in rows)
    if block.caption:
        caption = _line(document, block.caption, size=BODY_PT, bold=True)
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(3)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = block.widths_mm or [text_width / columns] * columns
    _widths(table, widths)
    for index, values in enumerate(rows):
        is_header = index < block.header_rows
        row = table.rows[index]
        if is_header:
            _repeat_header(row)
        for column in range(columns):
            value = values[column] if column < len(values) else ""
            paragraph = row.cells[column].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if is_header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif column in block.numeric_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(cell_text(value))
            _set_font(run, block.font_pt, is_header)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _image(document: Any, block: Image, text_width: float) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = bool(block.caption)
    paragraph.add_run().add_picture(
        io.BytesIO(block.png), width=Mm(min(block.width_mm, text_width))
    )
    if block.caption:
        caption = _line(document, block.caption, size=BODY_PT, italic=True)
        caption.paragraph_format.space_after = Pt(6)


def _closing(
    document: Any, recipients: Sequence[str], signature: Signature | None, text_width: float
) -> None:
    if not recipients and signature is None:
        return
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left_width = round(text_width * 0.5)
    _widths(table, [left_width, text_width - left_width])
    left, right = table.rows[0].cells
    if recipients:
        label = _line(
            left,
            RECIPIENTS_LABEL,
            size=12,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            first=True,
        )
        label.paragraph_format.keep_with_next = True
        for recipient in recipients:
            _line(left, f"- {recipient}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if signature is not None:
        first = True
        if signature.authority:
            _line(right, signature.authority.upper(), size=BODY_PT, bold=True, first=first)
            first = False
        _line(right, signature.title.upper(), size=BODY_PT, bold=True, first=first)
        if signature.note:
            _line(right, signature.note, size=BODY_PT, italic=True)
        for _ in range(3):
            _line(right, "", size=BODY_PT)
        if signature.name:
            _line(right, signature.name, size=BODY_PT, bold=True)


def build_docx(spec: AdminDocument) -> bytes:
    """Write an administrative document (Decree 30/2020/NĐ-CP format) and return the .docx bytes."""
    document = Document()
    _style_fonts(document)
    _page(document, spec.landscape)
    width = (PAGE_HEIGHT_MM if spec.landscape else PAGE_WIDTH_MM) - (
        MARGINS_MM["left"] + MARGINS_MM["right"]
    )
    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None and not body.text:
        body._element.getparent().remove(body._element)
    _header(document, spec.letterhead, spec.date, width)
    _title(document, spec.kind, spec.subject)
    for block in spec.blocks:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block, width)
        elif isinstance(block, Image):
            _image(document, block, width)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _closing(document, spec.recipients, spec.signature, width)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
