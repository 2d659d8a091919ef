"""In a real browser: the council downloads the minutes of its meeting (biên bản) as DOCX.

The button on the council's page must give a Word document that opens and lists the units the
meeting reviewed, the same rows the page shows; the page itself passes axe-core.
"""

from __future__ import annotations

import pytest
from docx import Document

from parindex.assessments import pages
from parindex.assessments.tests.test_e2e_journey import as_user, demo  # noqa: F401
from parindex.core.tests import axe

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def document_text(path) -> str:
    """Every paragraph and table cell of a Word document, one per line."""
    document = Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


@pytest.mark.parametrize("size", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_the_council_downloads_the_minutes_with_the_meetings_units(
    page,
    demo,  # noqa: F811
    tmp_path,
    size,
):
    round_ = demo.current_round
    units = [str(row.assessment.unit) for row in pages.council_summary(round_)]
    assert len(units) > 1, "the demo round has units before the council"
    page.set_viewport_size(size)
    as_user(page, "hoidong")
    page.goto(f"/assessments/council/{round_.pk}/")
    violations = axe.blocking(page)
    assert not violations, axe.describe(violations)
    with page.expect_download() as info:
        page.get_by_role("link", name="Biên bản họp (DOCX)").click()
    download = info.value
    assert download.suggested_filename == f"bien-ban-hoi-dong-tham-dinh-{round_.code}.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = document_text(path)  # python-docx opens it: a valid Word document
    assert "BIÊN BẢN" in text
    assert f"của {len(units)} cơ quan, đơn vị" in text
    missing = [unit for unit in units if unit not in text]
    assert not missing, f"units of the meeting missing from the minutes: {missing}"
