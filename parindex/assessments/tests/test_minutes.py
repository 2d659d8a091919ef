"""The minutes of the appraisal council's meeting (biên bản), downloaded from the council page."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from parindex.assessments import services
from parindex.assessments.tests.test_appraisal import appraised, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(appraised, council):  # noqa: F811 (the fixture imported above)
    services.approve(assessment=appraised, by=council)
    return appraised


def _body(document):
    return [
        "".join(t.text or "" for t in element.iter(qn("w:t")))
        for element in document.element.body
        if element.tag in (qn("w:p"), qn("w:tbl"))
    ]


def test_council_downloads_the_minutes_with_each_units_totals_and_conclusion(
    client, approved, council
):
    client.force_login(council)
    page = client.get(reverse("assessments:council", args=[approved.round_id])).content.decode()
    url = reverse("assessments:council_minutes_docx", args=[approved.round_id])
    assert url in page, "the council page offers the minutes"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bien-ban-')
    document = Document(io.BytesIO(response.content))
    header = [p.text for c in document.tables[0].rows[0].cells for p in c.paragraphs if p.text]
    assert "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC" in header and "Số:      /BB-HĐTĐ" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    body = _body(document)
    assert "BIÊN BẢN" in body
    assert any(text.startswith("Họp Hội đồng thẩm định Chỉ số CCHC năm") for text in body)
    members = next(text for text in body if text.startswith("Thành viên Hội đồng thẩm định"))
    assert (council.get_full_name() or council.get_username()) in members
    ranking = document.tables[1]
    assert ranking.rows[0].cells[1].text == "Cơ quan, đơn vị"
    row = [cell.text for cell in ranking.rows[1].cells]
    assert row[1] == str(approved.unit) and row[6] == "1"
    # Totals carry two decimals like the index beside them (72,70, never 72,7; issue 14).
    assert all(re.fullmatch(r"\d+,\d\d", cell) for cell in row[2:6]), row
    assert f'<td class="num">{row[2]}</td>' in page  # the council page shows them the same
    assert row[8].startswith("Đã thông qua")
    units = len(ranking.rows) - 1
    assert any(f"thông qua kết quả thẩm định của 1/{units} " in text for text in body)
    closing = document.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "THƯ KÝ" and closing[1].paragraphs[0].text == "CHỦ TỌA"


def test_minutes_of_a_round_still_in_appraisal_say_what_is_undecided(
    client,
    submitted,  # noqa: F811 (the fixture above)
    par_officer,
):
    client.force_login(par_officer)
    url = reverse("assessments:council_minutes_docx", args=[submitted.round_id])
    document = Document(io.BytesIO(client.get(url).content))
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows[1:]]
    mine = next(row for row in rows if row[1] == str(submitted.unit))
    assert mine[8] == "Chưa thẩm định xong"
    expected = f"thông qua kết quả thẩm định của 0/{len(rows)} "
    assert any(expected in text for text in _body(document))


def test_the_unit_cannot_download_the_minutes(client, submitted, unit_editor):  # noqa: F811
    client.force_login(unit_editor)
    url = reverse("assessments:council_minutes_docx", args=[submitted.round_id])
    assert client.get(url).status_code == 403
