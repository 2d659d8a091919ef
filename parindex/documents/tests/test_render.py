"""Rendered layout against the sample of Decree 30/2020/NĐ-CP (Appendix I).

The DOCX is rendered by LibreOffice (`soffice --headless --convert-to pdf`, as a reader would
print it) and the PDF is read as it is; both are read back word by word with poppler
(`pdftotext -bbox`). Skipped only where LibreOffice is not installed (CI installs it).
"""

from __future__ import annotations

import shutil

import pytest

from parindex.documents import docx, pdf
from parindex.documents.blocks import MOTTO, NATIONAL_TITLE
from parindex.documents.tests import layout as reading
from parindex.documents.tests.samples import decision

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"
)
TEXT_LEFT, TEXT_RIGHT = 30.0, 195.0  # millimetres: the decree's 30 mm left, 15 mm right
TEXT_TOP, TEXT_BOTTOM = 20.0, 277.0
SLACK = 0.8  # glyph boxes and rounding


@pytest.fixture(scope="module")
def from_docx(tmp_path_factory):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("render")
    rendered = reading.render_docx(docx.build_docx(decision()), folder)
    return reading.layout(rendered), reading.font_names(rendered)


@pytest.fixture(scope="module")
def from_pdf():
    data = pdf.build_pdf(decision())
    return reading.layout(data), reading.font_names(data)


def _one_line(words):
    return max(word.middle for word in words) - min(word.middle for word in words) < 1.5


def _centre(words):
    return (min(word.left for word in words) + max(word.right for word in words)) / 2


def _page_number(word):
    return word.page > 1 and word.text.isdigit() and word.bottom < TEXT_TOP + SLACK


def check_header(page):
    """Page 1: agency left and national title right on the first line, motto on one line under
    the title, the number under the agency, the place and date under the motto, then the title."""
    title = page.line(NATIONAL_TITLE, page=1)
    motto = page.line(MOTTO, page=1)
    agency = page.line("ỦY BAN NHÂN DÂN", page=1)
    province = page.line("TỈNH HÀ THANH", page=1)
    number = page.line("Số: /QĐ-UBND", page=1)
    date = page.line("Hà Thanh,", page=1)
    kind = page.line("QUYẾT ĐỊNH", page=1)
    assert _one_line(title) and _one_line(motto), "the national title and the motto are one line"
    assert abs(title[0].middle - agency[0].middle) < 2, "agency and national title side by side"
    middle = (TEXT_LEFT + TEXT_RIGHT) / 2
    assert max(word.right for word in agency + province + number) < middle
    assert min(word.left for word in title + motto + date) > TEXT_LEFT + 50
    assert motto[0].top > title[0].bottom - SLACK and date[0].top > motto[0].bottom
    assert abs(_centre(motto) - _centre(title)) < 3, "the motto is centred under the title"
    assert abs(_centre(agency) - _centre(number)) < 3, "the number is centred under the agency"
    assert province[0].top > agency[0].bottom - SLACK and number[0].top > province[0].bottom
    assert "năm" in [word.text for word in page.on(1) if abs(word.middle - date[0].middle) < 1]
    assert kind[0].top > max(date[0].bottom, number[0].bottom) + 5
    assert abs(_centre(kind) - middle) < 4, "the kind of document is centred"


def check_closing_before_appendix(page):
    recipients = page.line("Nơi nhận:")
    authority = page.line("KT. CHỦ TỊCH")
    signer = page.line("PHÓ CHỦ TỊCH")
    name = page.line("Nguyễn Văn An")
    appendix = page.line("PHỤ LỤC")
    assert recipients[0].page == authority[0].page < appendix[0].page
    assert authority[0].left > recipients[-1].right, "the signature stands right of Nơi nhận"
    assert abs(authority[0].top - recipients[0].top) < 3
    assert authority[0].top < signer[0].top < name[0].top
    assert name[0].top - signer[0].bottom > 15, "room for the signature and the seal"
    assert "TM." not in [word.text for word in page.words], "the chairman's own decision"


def check_margins(page):
    assert all((round(w), round(h)) == (210, 297) for w, h in page.pages), "A4 portrait"
    words = [word for word in page.words if not _page_number(word)]
    assert min(word.left for word in words) >= TEXT_LEFT - SLACK
    assert max(word.right for word in words) <= TEXT_RIGHT + SLACK
    assert min(word.top for word in words) >= TEXT_TOP - SLACK
    assert max(word.bottom for word in words) <= TEXT_BOTTOM + SLACK
    # Text reaches the margins (not a wider margin than the decree allows: ≤ 35, 20, 25 mm).
    assert min(word.left for word in words) <= 35
    assert max(word.right for word in words) >= 190
    assert min(word.top for word in words if word.page == 1) <= 25
    full = [word.bottom for word in words if word.page == 2]
    assert max(full) >= 297 - 25 - 8, "a full page of the appendix ends near the bottom margin"
    numbers = [word for word in page.words if _page_number(word)]
    assert [word.text for word in numbers] == [str(n) for n in range(2, len(page.pages) + 1)]
    assert all(abs((word.left + word.right) / 2 - 105) < 15 for word in numbers)


def check_fonts(names):
    assert names, "fonts are embedded"
    assert all(name.startswith(("TimesNewRoman", "LiberationSerif")) for name in names), names


@pytest.mark.parametrize(
    "check", [check_header, check_closing_before_appendix, check_margins], ids=lambda c: c.__name__
)
def test_docx_rendered_by_libreoffice_follows_the_decree(from_docx, check):
    check(from_docx[0])


def test_docx_rendered_by_libreoffice_is_set_in_times_new_roman(from_docx):
    check_fonts(from_docx[1])


@pytest.mark.parametrize(
    "check", [check_header, check_closing_before_appendix, check_margins], ids=lambda c: c.__name__
)
def test_pdf_follows_the_decree(from_pdf, check):
    check(from_pdf[0])


def test_pdf_embeds_times_new_roman_or_its_metric_twin(from_pdf):
    check_fonts(from_pdf[1])
