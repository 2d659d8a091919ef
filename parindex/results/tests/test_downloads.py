"""Results documents hold no more than the pages their reader may open (issue 10, findings 2
and 8): a unit's officers get the ranking and their own unit's sheet, never another unit's
criteria or appraisers' reasons; the report with its lost-points appendix is the office's."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parindex.accounts.models import Role
from parindex.conftest import make_user

pytestmark = pytest.mark.django_db

HOME_REASON = "Chưa có báo cáo kết quả thực hiện kế hoạch"  # the appraisers' reason on HOME 1.2


def workbook_as(client, user, round_pk, **params):
    client.force_login(user)
    response = client.get(reverse("results:download", args=[round_pk, "xlsx"]), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content), read_only=True)


def texts(workbook) -> set[str]:
    return {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def test_results_xlsx_download_obeys_unit_page_rule(client, scored, other_unit):
    other_editor = make_user("o_editor", Role.UNIT_EDITOR, other_unit)
    workbook = workbook_as(client, other_editor, scored.previous.pk)
    names = workbook.sheetnames
    assert names == ["Xếp hạng SO", "OTHER"]  # the ranking page and its own unit's page
    assert HOME_REASON not in texts(workbook)
    assert client.get(reverse("results:unit", args=[scored.previous.pk, "HOME"])).status_code == 403


def test_results_xlsx_of_a_unit_holds_only_that_units_criteria_and_reasons(
    client, scored, unit_head
):
    workbook = workbook_as(client, unit_head, scored.previous.pk)
    assert workbook.sheetnames == ["Xếp hạng SO", "HOME"]
    assert HOME_REASON in texts(workbook)  # its own unit page shows it
    for code in ("OTHER", "STP", "STC"):
        assert code not in workbook.sheetnames


def test_results_xlsx_for_leaders_has_every_unit_and_the_analysis_only_for_the_office(
    client, scored, par_officer, viewer
):
    office = workbook_as(client, par_officer, scored.previous.pk).sheetnames
    assert office[:2] == ["Xếp hạng SO", "Điểm bị mất SO"]
    assert set(office[2:]) == {"HOME", "OTHER", "STP", "STC"}
    leaders = workbook_as(client, viewer, scored.previous.pk).sheetnames
    assert leaders[0] == "Xếp hạng SO" and set(leaders[1:]) == {"HOME", "OTHER", "STP", "STC"}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_results_report_download_obeys_analysis_page_rule(
    client, scored, kind, unit_editor, viewer, council
):
    for user in (unit_editor, viewer, council):
        client.force_login(user)
        assert client.get(reverse("results:analysis", args=[scored.previous.pk])).status_code == 403
        url = reverse("results:download", args=[scored.previous.pk, kind])
        assert client.get(url).status_code == 403


def test_results_report_links_are_shown_only_to_who_may_download_them(
    client, scored, unit_editor, par_officer
):
    # Heavy documents are made by background jobs: the page offers a form that starts one.
    url = reverse("results:ranking", args=[scored.previous.pk])
    xlsx, docx = (
        reverse("results:document_job", args=[scored.previous.pk, kind])
        for kind in ("xlsx", "docx")
    )
    client.force_login(unit_editor)
    text = client.get(url).content.decode()
    assert f'action="{xlsx}"' in text and f'action="{docx}"' not in text
    client.force_login(par_officer)
    assert f'action="{docx}"' in client.get(url).content.decode()


@pytest.mark.parametrize("params", [{}, {"type": "HUYEN"}], ids=["no-type", "unknown-type"])
def test_results_csv_download_without_a_known_type_says_so_in_vietnamese(
    client, scored, par_officer, params
):
    from parindex.results.tests.factories import SMALL_SET, enrol, store_index_set
    from parindex.rounds.models import RoundIndexSet
    from parindex.units.tests.factories import UnitFactory, unit_type

    # A second unit type: the CSV machine format then needs to know which one.
    communes = store_index_set({**SMALL_SET, "code": "XA-T", "unit_type": "XA"})
    RoundIndexSet.objects.create(
        round=scored.current, unit_type=communes.unit_type, index_set=communes
    )
    enrol(scored.current, communes, {UnitFactory(code="XA1", unit_type=unit_type("XA")): {}})
    client.force_login(par_officer)
    url = reverse("results:download", args=[scored.current.pk, "csv"])
    response = client.get(url, params, follow=True)
    assert response.redirect_chain[0] == (
        reverse("results:ranking", args=[scored.current.pk]),
        302,
    )
    text = response.content.decode()
    if params:
        assert "Đợt đánh giá không có loại đơn vị HUYEN." in text
    else:
        assert "Hãy chọn một loại đơn vị (SO, XA)" in text
