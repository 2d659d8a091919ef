"""PDF documents (reportlab) from the same blocks as the Word documents, on A4.

`build_pdf(spec)` lays out an `AdminDocument` (`parindex.documents.blocks`) the way `build_docx`
does: the national header, the kind and subject, the body, the closing (recipients and
signature) and then the appendix on a new page; charts are the same matplotlib PNGs. A document
without a letterhead (a sheet of survey cards) starts at its title.

The text is Vietnamese, so the embedded font must carry its glyphs (`parindex.documents.fonts`:
Times New Roman where installed, else its metric twin Liberation Serif). Table cells that fit
their column are drawn as plain strings and long tables are laid out in slices, so a ranking of
3,500 units takes about a second rather than re-measuring the remaining rows at every page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import HRFlowable, KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

from parindex.documents import fonts
from parindex.documents.blocks import (
    BODY_PT,
    HEADER_LEFT_SHARE,
    MARGINS_MM,
    MOTTO,
    NATIONAL_TITLE,
    RECIPIENTS_LABEL,
    AdminDocument,
    Chart,
    Heading,
    Image,
    Letterhead,
    PageBreak,
    Paragraph,
    QrCards,
    Signature,
    Table,
    cell_text,
    date_line,
    recipient_lines,
    text_width_mm,
)

SLICE_ROWS = 100  # a long table is laid out as tables of this many rows, each with its header
CELL_PADDING = 3  # points, left and right of a cell's text
ALIGNMENTS: dict[str, Literal[0, 1, 2, 4]] = {
    "justify": TA_JUSTIFY,
    "center": TA_CENTER,
    "left": TA_LEFT,
    "right": TA_RIGHT,
}


def register_fonts() -> str:
    """Register the serif family with Vietnamese glyphs and return its name."""
    return fonts.register_fonts()


def _style(font: str, size: float = BODY_PT, bold: str = "", **options: Any) -> ParagraphStyle:
    name = {"": font, "b": f"{font}-Bold", "i": f"{font}-Italic", "bi": f"{font}-BoldItalic"}[bold]
    options.setdefault("alignment", TA_CENTER)
    return ParagraphStyle(
        f"{name}-{size}-{options}", fontName=name, fontSize=size, leading=size * 1.2, **options
    )


def _markup(text: str) -> str:
    """Escaped text; runs of spaces kept (the blank in "Số:      /QĐ-UBND"), lines broken."""
    kept = re.sub(r"  +", lambda run: "\u00a0" * len(run.group()), text)
    return escape(kept).replace("\n", "<br/>")


def _lines(font: str, texts: Sequence[str], size: float, bold: str = "", **options: Any) -> list:
    style = _style(font, size, bold, **options)
    return [RLParagraph(_markup(text), style) for text in texts]


def _rule(length_mm: float, before: float = 3, after: float = 2) -> HRFlowable:
    return HRFlowable(
        width=length_mm * mm,
        thickness=0.5,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=before,
        spaceAfter=after,
    )


def _borderless(cells: list[list[Any]], widths_mm: Sequence[float]) -> RLTable:
    table = RLTable(cells, colWidths=[width * mm for width in widths_mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the short rules under the names
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class _Writer:
    def __init__(self, spec: AdminDocument) -> None:
        self.spec = spec
        self.font = register_fonts()
        self.width = text_width_mm(spec)
        self.body = _style(self.font, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6)

    def header(self, letterhead: Letterhead) -> list[Any]:
        font, width = self.font, self.width
        left = round(width * HEADER_LEFT_SHARE, 1)
        right = width - left
        agency_lines = [line.upper() for line in letterhead.agency.splitlines() if line.strip()]
        left_cell: list[Any] = []
        if letterhead.parent_agency:
            left_cell += _lines(font, [letterhead.parent_agency.upper()], BODY_PT)
        left_cell += _lines(font, agency_lines, BODY_PT, "b")
        longest = max(
            (fonts.width_mm(line, BODY_PT, bold=True) for line in agency_lines), default=0
        )
        left_cell.append(_rule(max(15.0, longest * 0.4)))
        left_cell += _lines(font, [letterhead.number], BODY_PT, spaceBefore=4)
        right_cell: list[Any] = _lines(font, [NATIONAL_TITLE], 12, "b")
        right_cell += _lines(font, [MOTTO], BODY_PT, "b")
        right_cell.append(_rule(fonts.width_mm(MOTTO, BODY_PT, bold=True)))
        place_date = date_line(letterhead.place, self.spec.date, self.spec.year)
        right_cell += _lines(font, [place_date], BODY_PT, "i", spaceBefore=4)
        return [_borderless([[left_cell, right_cell]], [left, right])]

    def title(self) -> list[Any]:
        spec, font = self.spec, self.font
        story: list[Any] = [Spacer(1, 14 if spec.letterhead else 0)]
        story += _lines(font, [spec.kind.upper()], 14, "b")
        lines = [line for line in spec.subject.splitlines() if line.strip()]
        story += _lines(font, lines, 14, "b")
        if lines and spec.letterhead:
            longest = max(fonts.width_mm(line, 14, bold=True) for line in lines)
            story.append(_rule(max(20.0, longest * 0.4), before=2))
        if spec.note:
            story += _lines(font, [spec.note], BODY_PT, "b", spaceBefore=4)
        story.append(Spacer(1, 8))
        return story

    def paragraph(self, block: Paragraph) -> RLParagraph:
        tags = {"": ("", ""), "b": ("<b>", "</b>"), "i": ("<i>", "</i>")}
        tags["bi"] = ("<b><i>", "</i></b>")
        markup = "".join(
            tags[style][0] + _markup(text) + tags[style][1] for text, style in block.parts()
        )
        style = ParagraphStyle(
            f"body-{block.align}-{block.indent}",
            parent=self.body,
            alignment=ALIGNMENTS[block.align],
            firstLineIndent=10 * mm if block.indent else 0,
        )
        return RLParagraph(markup, style)

    def heading(self, block: Heading) -> RLParagraph:
        bold = "bi" if block.level >= 3 else "b"
        style = _style(
            self.font,
            BODY_PT,
            bold,
            alignment=TA_LEFT if block.level == 1 else TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceBefore=6,
            spaceAfter=6,
            keepWithNext=1,
        )
        return RLParagraph(_markup(block.text), style)

    def table(self, block: Table) -> list[Any]:
        rows = [[cell_text(value) for value in row] for row in block.rows]
        if not rows:
            return []
        columns = max(len(row) for row in rows)
        rows = [row + [""] * (columns - len(row)) for row in rows]
        widths = list(block.widths_mm or [self.width / columns] * columns)[:columns]
        widths += [self.width / columns] * (columns - len(widths))
        if sum(widths) > self.width:
            widths = [width * self.width / sum(widths) for width in widths]
        font, bold, size = self.font, f"{self.font}-Bold", block.font_pt
        plain = _style(font, size, alignment=TA_LEFT)
        number = _style(font, size, alignment=TA_RIGHT)
        head = _style(font, size, "b")
        room = [width * mm - 2 * CELL_PADDING for width in widths]

        def cell(text: str, column: int, header: bool) -> Any:
            face = bold if header else font
            if "\n" not in text and pdfmetrics.stringWidth(text, face, size) <= room[column]:
                return text
            style = head if header else number if column in block.numeric_columns else plain
            return RLParagraph(_markup(text), style)

        head_count = min(block.header_rows, len(rows))
        header = [[cell(text, c, True) for c, text in enumerate(row)] for row in rows[:head_count]]
        body = [[cell(text, c, False) for c, text in enumerate(row)] for row in rows[head_count:]]
        commands: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.2),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in block.numeric_columns]
        if head_count:
            commands += [
                ("FONTNAME", (0, 0), (-1, head_count - 1), bold),
                ("ALIGN", (0, 0), (-1, head_count - 1), "CENTER"),
            ]
        story: list[Any] = []
        if block.caption:
            story += _lines(font, [block.caption], BODY_PT, "b", spaceBefore=6, spaceAfter=3)
        style = TableStyle(commands)
        widths_pt = [width * mm for width in widths]
        if body and all(isinstance(text, str) for row in body for text in row):
            # Every cell is one line: draw the rows directly, the header repeated on each page.
            head_table = None
            if header:
                head_table = RLTable(header, colWidths=widths_pt)
                head_table.setStyle(style)
            numeric = frozenset(block.numeric_columns)
            story.append(_Rows(head_table, body, widths_pt, numeric, font, size))
            story.append(Spacer(1, 8))
            return story
        for start in range(0, max(len(body), 1), SLICE_ROWS):
            table = RLTable(
                header + body[start : start + SLICE_ROWS],
                colWidths=widths_pt,
                repeatRows=head_count,
            )
            table.setStyle(style)
            story.append(table)
        story.append(Spacer(1, 8))
        return story

    def image(self, png: bytes, width_mm: float, caption: str) -> list[Any]:
        picture = RLImage(io.BytesIO(png))
        scale = min(width_mm, self.width) * mm / picture.imageWidth
        picture.drawWidth = picture.imageWidth * scale
        picture.drawHeight = picture.imageHeight * scale
        story: list[Any] = [picture]
        if caption:
            story += _lines(self.font, [caption], BODY_PT, "i", spaceBefore=2)
        story.append(Spacer(1, 6))
        return [KeepTogether(story)]

    def signature(self, signature: Signature) -> list[Any]:
        """Authority and title in bold capitals, room to sign, the signer's name in bold."""
        font = self.font
        cell = _lines(
            font, [line.upper() for line in signature.authority.splitlines()], BODY_PT, "b"
        )
        cell += _lines(font, [signature.title.upper()], BODY_PT, "b")
        if signature.note:
            cell += _lines(font, [signature.note], BODY_PT, "i")
        cell.append(Spacer(1, 60))
        if signature.name:
            cell += _lines(font, [signature.name], BODY_PT, "b")
        return cell

    def closing(self) -> list[Any]:
        spec = self.spec
        recipients, signature = spec.recipients, spec.signature
        if not recipients and signature is None:
            return []
        font = self.font
        left = round(self.width * 0.45, 1)
        right = self.width - left
        left_cell: list[Any] = []
        if spec.countersignature is not None:
            left_cell += self.signature(spec.countersignature) + [Spacer(1, 12)]
        if recipients:
            left_cell += _lines(font, [RECIPIENTS_LABEL], 12, "bi", alignment=TA_LEFT)
            left_cell += _lines(font, recipient_lines(recipients), 11, alignment=TA_LEFT)
        right_cell: list[Any] = self.signature(signature) if signature else []
        return [
            Spacer(1, 10),
            KeepTogether([_borderless([[left_cell, right_cell]], [left, right])]),
        ]

    def blocks(self, blocks: Sequence[Any]) -> list[Any]:
        from parindex.documents import charts

        story: list[Any] = []
        for block in blocks:
            if isinstance(block, Heading):
                story.append(self.heading(block))
            elif isinstance(block, Paragraph):
                story.append(self.paragraph(block))
            elif isinstance(block, Table):
                story += self.table(block)
            elif isinstance(block, Chart):
                story += self.image(charts.chart_png(block), block.width_mm, block.caption)
            elif isinstance(block, Image):
                story += self.image(block.png, block.width_mm, block.caption)
            elif isinstance(block, PageBreak):
                story.append(RLPageBreak())
            elif isinstance(block, QrCards):
                story.append(_qr_cards(block, self.font, self.width))
        return story

    def write(self) -> bytes:
        spec = self.spec
        story: list[Any] = []
        if spec.letterhead is not None:
            story += self.header(spec.letterhead)
        story += self.title()
        story += self.blocks(spec.blocks)
        story += self.closing()
        if spec.appendix:
            story.append(RLPageBreak())
            story += self.blocks(spec.appendix)
        output = io.BytesIO()
        page = landscape(A4) if spec.landscape else A4
        font = self.font

        def number_page(canvas: Any, doc: Any) -> None:
            # The decree's page numbers: top centre, from the second page.
            canvas.setFont(font, BODY_PT)
            canvas.drawCentredString(page[0] / 2, page[1] - 12 * mm, str(doc.page))

        template = SimpleDocTemplate(
            output,
            pagesize=page,
            topMargin=MARGINS_MM["top"] * mm,
            bottomMargin=MARGINS_MM["bottom"] * mm,
            leftMargin=MARGINS_MM["left"] * mm,
            rightMargin=MARGINS_MM["right"] * mm,
            title=f"{spec.kind} {spec.subject}".strip(),
            subject=spec.subject,
            initialFontName=font,  # not Helvetica, which the PDF would then name among its fonts
        )
        template.build(story, onLaterPages=number_page)
        return output.getvalue()


def _qr_cards(block: QrCards, font: str, width_mm: float) -> RLTable:
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
    table = RLTable(rows, colWidths=[width_mm * mm / block.columns] * block.columns)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey, None, (2, 2)),  # cutting lines
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


class _Rows(Flowable):
    """Table rows of one line each, drawn straight onto the canvas under a header table.

    reportlab's Table measures and draws every cell through its style machinery, seconds for a
    ranking of 3,500 units; these rows all have the same height, so a page takes as many as fit
    and the text goes out through one text object per page.
    """

    def __init__(
        self,
        header: RLTable | None,
        rows: list[list[str]],
        widths: list[float],
        numeric: frozenset[int],
        font: str,
        size: float,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths = header, rows, widths
        self.numeric, self.font, self.size = numeric, font, size
        self.row_height = size * 1.2 + 4
        self.header_height = 0.0
        if header is not None:
            self.header_height = header.wrap(sum(widths), 10_000)[1]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.header_height + len(self.rows) * self.row_height
        return self.width, self.height

    def _part(self, rows: list[list[str]]) -> _Rows:
        return _Rows(self.header, rows, self.widths, self.numeric, self.font, self.size)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fit = int((available_height - self.header_height) // self.row_height)
        if fit <= 0:
            return []
        if fit >= len(self.rows):
            return [self]
        return [self._part(self.rows[:fit]), self._part(self.rows[fit:])]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height - self.header_height
        if self.header is not None:
            self.header.wrapOn(canvas, self.width, self.header_height)
            self.header.drawOn(canvas, 0, top)
        bottom = top - len(self.rows) * self.row_height
        edges = [0.0]
        for width in self.widths:
            edges.append(edges[-1] + width)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.black)
        lines = [
            (0.0, top - i * self.row_height, self.width, top - i * self.row_height)
            for i in range(len(self.rows) + 1)
        ]
        lines += [(x, top, x, bottom) for x in edges]
        canvas.lines(lines)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        width_of = pdfmetrics.stringWidth
        for index, row in enumerate(self.rows):
            baseline = top - (index + 1) * self.row_height + 2.5 + self.size * 0.22
            for column, value in enumerate(row):
                if not value:
                    continue
                if column in self.numeric:
                    x = edges[column + 1] - CELL_PADDING - width_of(value, self.font, self.size)
                else:
                    x = edges[column] + CELL_PADDING
                text.setTextOrigin(x, baseline)
                text.textOut(value)
        canvas.drawText(text)


class _Drawing(Flowable):
    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        renderPDF.draw(self.drawing, self.canv, 0, 0)


def build_pdf(spec: AdminDocument) -> bytes:
    """Lay the document out on A4 pages (numbered from the second) and return the PDF's bytes."""
    return _Writer(spec).write()
