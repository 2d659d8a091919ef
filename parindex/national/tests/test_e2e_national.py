"""In a real browser: a PAR officer imports two years of national tables and downloads the
analysis as DOCX; the document carries the figures."""

from __future__ import annotations

import pytest
from docx import Document

from parindex.conftest import login

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


HEADER = "year,province,index_percent,area_1,area_2\n"
TABLES = {
    2021: [
        "Quảng Ninh,91.20,95,90",
        "Hà Tĩnh,88.47,86,91",
        "Thừa Thiên Huế,87.00,88,85",
        "Nghệ An,86.10,80,84",
    ],
    2022: [
        "Quảng Ninh,90.80,94,90",
        "Hà Tĩnh,85.95,90,84",
        "Huế,87.50,84,86",
        "Nghệ An,85.95,81,86",
    ],
}


def test_par_officer_imports_two_years_and_downloads_the_analysis(page, par_officer, tmp_path):
    login(page, par_officer)
    page.get_by_role("link", name="Chỉ số CCHC cấp quốc gia").click()
    assert page.get_by_text("Chưa có bảng xếp hạng nào").is_visible()
    for year, rows in TABLES.items():
        path = tmp_path / f"bang-{year}.csv"
        path.write_text(HEADER + "".join(f"{year},{row}\n" for row in rows), encoding="utf-8")
        page.goto("/national/import/")
        page.get_by_label("Bảng xếp hạng của Bộ Nội vụ (CSV hoặc XLSX)").set_input_files(str(path))
        page.get_by_role("button", name="Nhập").click()
        page.wait_for_url("**/national/")
        assert page.get_by_role("alert").filter(has_text=f"Đã nhập năm {year}").is_visible()
    page.get_by_role("link", name="Phân tích").first.click()
    page.get_by_label("Tỉnh, thành phố").select_option("Hà Tĩnh")
    page.get_by_label("Năm").select_option("2022")
    page.get_by_role("button", name="Xem").click()
    assert page.get_by_text("xếp thứ 3/4 tỉnh, thành phố, giảm 01 bậc so với năm 2021").is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải DOCX").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "phan-tich-chi-so-cchc-ha-tinh-2022.docx"
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Chỉ số cải cách hành chính (PAR Index) năm 2022 của tỉnh Hà Tĩnh đạt 85,95%" in text
    assert "xếp thứ 3/4 tỉnh, thành phố, giảm 01 bậc so với năm 2021" in text
    area_rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert area_rows[1][2:5] == ["90,00", "2/4", "tăng 1"]
