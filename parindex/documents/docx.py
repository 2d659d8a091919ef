"""Word documents in the Vietnamese administrative format (Decree 30/2020/NĐ-CP) from blocks.

`build_docx(spec)` writes an `AdminDocument` (`parindex.documents.blocks`, the vocabulary the PDF
writer renders too). The body is written as WordprocessingML directly: python-docx's cell access
(`table.rows[i].cells`) walks the whole table for every cell, which made a 3,500-row ranking take
half a minute; writing the XML of a row is linear and takes milliseconds. python-docx still
provides the package: the styles, the section, the page-number header and the pictures.

Layout (Appendix I of the decree; docs/formats.md "Documents"): A4, margins top and bottom
20 mm, left 30 mm, right 15 mm; Times New Roman. Header: a borderless table of fixed widths,
left the issuing agency (parent upright, agency bold, a short rule, the number), right the
national title (bold capitals, 12 pt, one line), the motto (bold 13 pt, a rule as long as the
motto) and the place and date in italics. The kind in bold capitals and the subject in bold,
centred, a short rule below. Body 13 pt, justified, first line indented 10 mm, 6 pt after.
Closing: a borderless table, left "Nơi nhận:" (bold italic 12 pt) and its list (11 pt), right
the signature block; the appendix follows on a new page. Page numbers at the top centre from
the second page.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from parindex.documents import fonts
from parindex.documents.blocks import (
    BODY_PT,
    FONT,
    HEADER_LEFT_SHARE,
    MARGINS_MM,
    MOTTO,
    NATIONAL_TITLE,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
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

NS = nsdecls("w")
TWIPS_PER_MM = 1440 / 25.4
ALIGN = {"justify": "both", "center": "center", "left": "left", "right": "right"}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _tw(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _text(text: str) -> str:
    return escape(_INVALID_XML.sub("", text))


def _rpr(size: float, style: str = "") -> str:
    half_points = round(size * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        + ("<w:b/><w:bCs/>" if "b" in style else "")
        + ("<w:i/><w:iCs/>" if "i" in style else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _run(text: str, size: float = BODY_PT, style: str = "") -> str:
    return f'<w:r>{_rpr(size, style)}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _p(
    runs: str,
    *,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    first_line_mm: float = 0,
    side_mm: float = 0,
    keep_next: bool = False,
    rule: bool = False,
    line_pt: float | None = None,
) -> str:
    """A paragraph; `rule` draws a bottom border between indents of `side_mm` (a short line)."""
    properties = "<w:keepNext/>" if keep_next else ""
    if rule:
        properties += '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
        properties += "</w:pBdr>"
    spacing = f'w:before="{round(before * 20)}" w:after="{round(after * 20)}"'
    if line_pt is not None:
        spacing += f' w:line="{round(line_pt * 20)}" w:lineRule="exact"'
    properties += f"<w:spacing {spacing}/>"
    if first_line_mm or side_mm:
        properties += (
            f'<w:ind w:left="{_tw(side_mm)}" w:right="{_tw(side_mm)}" '
            f'w:firstLine="{_tw(first_line_mm)}"/>'
        )
    properties += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"


def _line(text: str, size: float, style: str = "", **options: Any) -> str:
    return _p(_run(text, size, style), **options)


def _rule(cell_mm: float, length_mm: float) -> str:
    """A centred horizontal rule `length_mm` long in a cell `cell_mm` wide."""
    side = max(0.0, (cell_mm - length_mm) / 2)
    return _p("", rule=True, side_mm=side, line_pt=2)


def _cell(width_mm: float, content: str, borders: bool = True) -> str:
    edges = "" if borders else "<w:tcBorders>" + _borders("nil", cell=True) + "</w:tcBorders>"
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{_tw(width_mm)}" w:type="dxa"/>{edges}</w:tcPr>'
        f"{content or '<w:p/>'}</w:tc>"
    )


def _borders(value: str, cell: bool = False) -> str:
    edges = ("top", "left", "bottom", "right") + (() if cell else ("insideH", "insideV"))
    size = ' w:sz="4" w:space="0" w:color="000000"' if value == "single" else ""
    return "".join(f'<w:{edge} w:val="{value}"{size}/>' for edge in edges)


def _table(
    widths_mm: Sequence[float], rows_xml: str, *, borders: bool, margin_mm: float = 1.4
) -> str:
    grid = "".join(f'<w:gridCol w:w="{_tw(width)}"/>' for width in widths_mm)
    return (
        f"<w:tbl {NS}><w:tblPr>"
        f'<w:tblW w:w="{_tw(sum(widths_mm))}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_borders('single' if borders else 'nil')}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{_tw(margin_mm)}" w:type="dxa"/>'
        f'<w:right w:w="{_tw(margin_mm)}" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows_xml}</w:tbl>"
    )


def _signature(signature: Signature) -> str:
    """Authority and title in bold capitals, room to sign, the signer's name in bold."""
    xml = "".join(_line(line.upper(), BODY_PT, "b") for line in signature.authority.splitlines())
    xml += _line(signature.title.upper(), BODY_PT, "b")
    if signature.note:
        xml += _line(signature.note, BODY_PT, "i")
    xml += "".join(_line("", BODY_PT) for _ in range(4))
    if signature.name:
        xml += _line(signature.name, BODY_PT, "b")
    return xml


class _Writer:
    """Appends the document's elements to the body, in order, before the section properties."""

    def __init__(self, spec: AdminDocument) -> None:
        self.spec = spec
        self.document: Any = Document()
        self.width = text_width_mm(spec)
        self._fragments: list[str] = []
        self._cell_styles: dict[str, str] = {}
        self._deferred: dict[str, str] = {}
        self._token = secrets.token_hex(6)
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    # -- plumbing -------------------------------------------------------------------------------

    def add(self, xml: str) -> None:
        self._fragments.append(xml)

    def flush(self) -> None:
        """Stand the pending fragments in the body as one placeholder paragraph; `package`
        splices their text into the saved XML (no parsing: the body of a 3,500-row table is
        written as text once, never parsed, moved or serialised by lxml)."""
        if not self._fragments:
            return
        key = f"PARINDEX-BODY-{self._token}-{len(self._deferred)}"
        self._deferred[key] = "".join(self._fragments)
        self._fragments = []
        placeholder = parse_xml(f"<w:p {NS}><w:r><w:t>{key}</w:t></w:r></w:p>")
        self.document.element.body.sectPr.addprevious(placeholder)

    def package(self) -> bytes:
        """Save the package with the placeholders replaced by their fragments."""
        self.flush()
        saved = io.BytesIO()
        self.document.save(saved)
        source = zipfile.ZipFile(saved)
        xml = source.read("word/document.xml").decode("utf-8")
        pieces, position = [], 0
        for key, fragment in self._deferred.items():
            at = xml.index(key, position)
            start = xml.rindex("<w:p", 0, at)
            end = xml.index("</w:p>", at) + len("</w:p>")
            pieces += [xml[position:start], fragment]
            position = end
        pieces.append(xml[position:])
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename == "word/document.xml":
                    target.writestr(info, "".join(pieces).encode("utf-8"))
                else:
                    target.writestr(info, source.read(info.filename))
        return output.getvalue()

    # -- the document's parts -------------------------------------------------------------------

    def page(self) -> None:
        section = self.document.sections[0]
        long_side, short_side = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
        if self.spec.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = long_side, short_side
        else:
            section.page_width, section.page_height = short_side, long_side
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # The page number at the top centre, not on the first page (the decree's rule).
        section.different_first_page_header_footer = True
        header = section.header
        paragraph = header.paragraphs[0]
        field = f'<w:fldSimple {NS} w:instr="PAGE">{_run("2", BODY_PT)}</w:fldSimple>'
        paragraph._p.append(parse_xml(field))
        paragraph.alignment = 1  # centre
        first = section.first_page_header.paragraphs[0]
        first.paragraph_format.space_after = Pt(0)

    def styles(self) -> None:
        for name in ("Normal", "Header", "Footer"):
            try:
                style = self.document.styles[name]
            except KeyError:
                continue
            style.font.name = FONT
            style.font.size = Pt(BODY_PT)
            properties = style.element.get_or_add_rPr()
            fonts_element = properties.find(qn("w:rFonts"))
            if fonts_element is None:
                fonts_element = parse_xml(f"<w:rFonts {NS}/>")
                properties.insert(0, fonts_element)
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts_element.set(qn(attribute), FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts_element.attrib.pop(qn(theme), None)

    def header(self, letterhead: Letterhead) -> None:
        left = round(self.width * HEADER_LEFT_SHARE, 1)
        right = self.width - left
        inner_left, inner_right = left - 2, right - 2  # less the cell margins
        agency_lines = [line.upper() for line in letterhead.agency.splitlines() if line.strip()]
        left_xml = ""
        if letterhead.parent_agency:
            left_xml += _line(letterhead.parent_agency.upper(), BODY_PT)
        left_xml += "".join(_line(line, BODY_PT, "b") for line in agency_lines)
        longest = max(
            (fonts.width_mm(line, BODY_PT, bold=True) for line in agency_lines), default=0
        )
        left_xml += _rule(inner_left, max(15.0, longest * 0.4))
        left_xml += _line(letterhead.number, BODY_PT, before=6)
        right_xml = _line(NATIONAL_TITLE, 12, "b")
        right_xml += _line(MOTTO, BODY_PT, "b")
        right_xml += _rule(inner_right, fonts.width_mm(MOTTO, BODY_PT, bold=True))
        place_date = date_line(letterhead.place, self.spec.date, self.spec.year)
        right_xml += _line(place_date, BODY_PT, "i", before=6)
        row = _cell(left, left_xml, borders=False) + _cell(right, right_xml, borders=False)
        self.add(_table([left, right], f"<w:tr>{row}</w:tr>", borders=False, margin_mm=1))

    def title(self) -> None:
        spec = self.spec
        self.add(_line(spec.kind.upper(), 14, "b", before=18 if spec.letterhead else 0))
        lines = [line for line in spec.subject.splitlines() if line.strip()]
        for line in lines:
            self.add(_line(line, 14, "b"))
        if lines:
            longest = max(fonts.width_mm(line, 14, bold=True) for line in lines)
            self.add(_rule(self.width, max(20.0, longest * 0.4)))
        if spec.note:
            self.add(_line(spec.note, BODY_PT, "b", before=6))
        self.add(_p("", after=6))

    def cell_style(self, size: float, kind: str) -> str:
        """The id of the paragraph style of table cells: L(eft), R(ight, numbers), H(eader)."""
        style_id = f"ParindexCell{round(size * 2)}{kind}"
        if style_id not in self._cell_styles:
            style = self.document.styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.document.styles["Normal"]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = kind == "H"
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.keep_with_next = kind == "H"
            style.paragraph_format.alignment = {"L": 0, "R": 2, "H": 1}[kind]
            self._cell_styles[style_id] = style.style_id
        return self._cell_styles[style_id]

    def paragraph(self, block: Paragraph) -> None:
        runs = "".join(_run(text, BODY_PT, style) for text, style in block.parts())
        self.add(
            _p(
                runs,
                align=ALIGN[block.align],
                after=6,
                first_line_mm=10 if block.indent else 0,
            )
        )

    def heading(self, block: Heading) -> None:
        style = "bi" if block.level >= 3 else "b"
        self.add(
            _line(
                block.text,
                BODY_PT,
                style,
                align="left" if block.level == 1 else "both",
                before=6,
                after=6,
                first_line_mm=10,
                keep_next=True,
            )
        )

    def table(self, block: Table) -> None:
        rows = [list(row) for row in block.rows]
        if not rows:
            return
        columns = max(len(row) for row in rows)
        widths = list(block.widths_mm or [self.width / columns] * columns)[:columns]
        widths += [self.width / columns] * (columns - len(widths))
        if sum(widths) > self.width:
            widths = [width * self.width / sum(widths) for width in widths]
        if block.caption:
            self.add(_line(block.caption, BODY_PT, "b", before=6, after=3, keep_next=True))
        # Cells carry a paragraph style (font size, alignment, bold header) instead of their own
        # run properties: a 3,500-row table stays a few megabytes of XML.
        cell_end = "</w:t></w:r></w:p></w:tc>"
        starts: list[tuple[str, str]] = []  # (body cell, header cell) up to the text
        for column in range(columns):
            kind = "R" if column in block.numeric_columns else "L"
            starts.append(
                (
                    f'<w:tc><w:p><w:pPr><w:pStyle w:val="{self.cell_style(block.font_pt, kind)}"/>'
                    '</w:pPr><w:r><w:t xml:space="preserve">',
                    f'<w:tc><w:p><w:pPr><w:pStyle w:val="{self.cell_style(block.font_pt, "H")}"/>'
                    '</w:pPr><w:r><w:t xml:space="preserve">',
                )
            )
        parts: list[str] = []
        for index, values in enumerate(rows):
            is_header = index < block.header_rows
            parts.append(
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                if is_header
                else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            )
            for column in range(columns):
                value = values[column] if column < len(values) else ""
                parts.append(starts[column][is_header])
                parts.append(_text(cell_text(value)))
                parts.append(cell_end)
            parts.append("</w:tr>")
        self.add(_table(widths, "".join(parts), borders=True))
        self.add(_p("", after=0))

    def image(self, png: bytes, width_mm: float, caption: str) -> None:
        self.flush()
        paragraph = self.document.add_paragraph()
        paragraph.alignment = 1
        paragraph.paragraph_format.keep_with_next = bool(caption)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(min(width_mm, self.width)))
        if caption:
            self.add(_line(caption, BODY_PT, "i", after=6))

    def page_break(self) -> None:
        self.add('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def closing(self) -> None:
        spec = self.spec
        recipients, signature = spec.recipients, spec.signature
        if not recipients and signature is None:
            return
        left = round(self.width * 0.45, 1)
        right = self.width - left
        left_xml = _signature(spec.countersignature) if spec.countersignature else ""
        if recipients:
            before = 12 if left_xml else 0
            left_xml += _line(RECIPIENTS_LABEL, 12, "bi", align="left", before=before)
            left_xml += "".join(
                _line(line, 11, align="left") for line in recipient_lines(recipients)
            )
        right_xml = _signature(signature) if signature else ""
        row = _cell(left, left_xml, borders=False) + _cell(right, right_xml, borders=False)
        self.add(_p("", after=0, keep_next=True))
        self.add(
            _table(
                [left, right],
                f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{row}</w:tr>",
                borders=False,
                margin_mm=1,
            )
        )

    def blocks(self, blocks: Sequence[Any]) -> None:
        from parindex.documents import charts

        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.image(charts.chart_png(block), block.width_mm, block.caption)
            elif isinstance(block, Image):
                self.image(block.png, block.width_mm, block.caption)
            elif isinstance(block, PageBreak):
                self.page_break()
            elif isinstance(block, QrCards):
                raise TypeError("QR cards are printed as PDF only.")

    def write(self) -> bytes:
        spec = self.spec
        self.styles()
        self.page()
        if spec.letterhead is not None:
            self.header(spec.letterhead)
        self.title()
        self.blocks(spec.blocks)
        self.closing()
        if spec.appendix:
            self.page_break()
            self.blocks(spec.appendix)
        return self.package()


def build_docx(spec: AdminDocument) -> bytes:
    """Write an administrative document (Decree 30/2020/NĐ-CP format) and return the .docx bytes."""
    return _Writer(spec).write()
