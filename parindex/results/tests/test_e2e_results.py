"""A PAR officer reads the results, tries a what-if, and downloads the report as DOCX and PDF.

One page of each document is rendered to PNG and checked. The PDF is rendered with `pdftoppm`
(poppler-utils); the DOCX is first converted to PDF by LibreOffice (`soffice --headless`,
Debian's libreoffice-writer-nogui, which CI installs), so the page checked is the document's own
layout.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from parindex.conftest import login
from parindex.results.tests.conftest import scored_world

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def render_first_page(pdf_path: Path, out: Path) -> tuple[Path, str]:
    """Page 1 of a PDF as a PNG (pdftoppm) and its text (pdftotext)."""
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", "-singlefile", pdf_path, out],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", pdf_path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.with_suffix(".png"), text


def docx_as_pdf(docx_path: Path, folder: Path) -> Path:
    """The DOCX laid out and converted to PDF by LibreOffice."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, (
        "LibreOffice is needed to render the DOCX: apt-get install libreoffice-writer-nogui"
    )
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", folder, docx_path],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / (docx_path.stem + ".pdf")


def ink(png: Path) -> float:
    """Share of non-white pixels: a blank page is about 0."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


def made_by_a_job(page, label):
    """Start the background job that makes a document, then download it from the job's page."""
    page.get_by_role("button", name=label).click()
    link = page.locator('a[href$="/download/"][href*="/jobs/"]')
    link.wait_for(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    return download


def test_officer_reads_results_tries_what_if_and_downloads_documents(page, par_officer, tmp_path):
    world = scored_world(par_officer)
    login(page, par_officer)
    page.get_by_role("link", name="Kết quả", exact=True).click()
    page.get_by_role("link", name=world.previous.name).click()
    table = page.locator("#ranking-table table")
    assert table.get_by_role("link", name="Sở Nhà").is_visible()
    assert page.get_by_text("82,50").first.is_visible()

    page.goto(f"/results/{world.previous.pk}/units/HOME/headroom/")
    page.get_by_label("1.2", exact=True).check()
    page.locator("#what-if").get_by_text("Giả định").wait_for()
    assert page.locator("#what-if").get_by_text("90,00").is_visible()

    page.goto(f"/results/{world.previous.pk}/")
    pdf_download = made_by_a_job(page, "Báo cáo (PDF)")
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    png, text = render_first_page(pdf_path, tmp_path / "report-pdf")
    assert Image.open(png).size[0] > 300 and ink(png) > 0.01
    assert "BÁO CÁO" in text and "Kết quả Chỉ số cải cách hành chính năm 2024" in text

    page.goto(f"/results/{world.previous.pk}/")
    docx_download = made_by_a_job(page, "Báo cáo (DOCX)")
    docx_path = tmp_path / "report.docx"
    docx_download.value.save_as(docx_path)
    png, text = render_first_page(docx_as_pdf(docx_path, tmp_path), tmp_path / "report-docx")
    assert ink(png) > 0.01
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BÁO CÁO" in text and "Sở Nhà" in text
    assert io.BytesIO(docx_path.read_bytes()).getbuffer().nbytes > 5000
