"""The national pages: import with confirmation, the analysis with its downloads, settings."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.documents.tests import hostile
from parindex.national import queries
from parindex.national.importing import parse_appraised, parse_tables
from parindex.national.models import NationalScore, NationalTable, Province, ProvinceAlias
from parindex.national.tests.factories import make_table

pytestmark = pytest.mark.django_db

HEADER = "year,province,index_percent,area_1,area_2\n"


def upload(text: str, name: str = "bang.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + text).encode(), content_type="text/csv")


def test_import_saves_the_table_and_returns_to_the_overview(client, par_officer):
    client.force_login(par_officer)
    response = client.post(
        reverse("national:import"),
        {"file": upload("2021,Hà Tĩnh,88.47,90,85\n2021,Quảng Ninh,91.23,95,90\n")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("national:overview")
    assert NationalScore.objects.filter(table__year=2021).count() == 2
    page = client.get(reverse("national:overview"))
    assert "2021" in page.content.decode() and "89,85" in page.content.decode()


def test_import_lists_the_problems_and_saves_nothing(client, par_officer):
    client.force_login(par_officer)
    response = client.post(
        reverse("national:import"), {"file": upload("2021,Hà Tây,88.47,90,85\n")}
    )
    assert response.status_code == 200
    assert "Dòng 2: không có tỉnh, thành phố nào tên “Hà Tây”" in response.content.decode()
    assert not NationalTable.objects.exists()


@pytest.mark.parametrize(
    ("build", "code"), hostile.IMPORT_CASES.values(), ids=hostile.IMPORT_CASES.keys()
)
def test_hostile_xlsx_is_refused_on_the_national_import_page(client, par_officer, build, code):
    """Issue 10, findings 3b, 3c and 8: a Vietnamese message, fast, nothing saved, not a 500."""
    data = hostile.HOSTILE[build]()
    with refuses("ministry_file.unreadable") as refused:
        parse_tables(data, source_name="bang.xlsx")
    assert refused.value.__cause__.code == code
    client.force_login(par_officer)
    url = reverse("national:import")
    hostile.post_to_import_page(client, url, "bang.xlsx", data, refused.value.problems)
    assert not NationalTable.objects.exists()


@pytest.mark.parametrize(
    ("build", "code"), hostile.IMPORT_CASES.values(), ids=hostile.IMPORT_CASES.keys()
)
def test_hostile_xlsx_of_appraised_points_is_refused(build, code):
    with refuses("ministry_file.unreadable") as refused:
        parse_appraised(hostile.HOSTILE[build]())
    assert refused.value.__cause__.code == code


def test_replacing_a_year_asks_for_confirmation_with_a_reason(client, par_officer):
    make_table(2022, {"Hà Tĩnh": "85.95"})
    client.force_login(par_officer)
    response = client.post(
        reverse("national:import"), {"file": upload("2022,Hà Tĩnh,86.10,90,85\n")}
    )
    assert response["Location"] == reverse("national:import_confirm")
    page = client.get(reverse("national:import_confirm"))
    assert "Xác nhận thay thế bảng xếp hạng" in page.content.decode()
    assert NationalScore.objects.get().index_percent == D("85.95")
    refused = client.post(reverse("national:import_confirm"), {"reason": ""})
    assert refused.status_code == 200  # a reason is required
    done = client.post(reverse("national:import_confirm"), {"reason": "Bộ Nội vụ đính chính"})
    assert done.status_code == 302
    assert NationalScore.objects.get().index_percent == D("86.10")
    entry = AuditEntry.objects.get(action="national_table.replaced")
    assert entry.reason == "Bộ Nội vụ đính chính" and entry.actor == par_officer


def test_cancelling_a_replacement_changes_nothing(client, par_officer):
    make_table(2022, {"Hà Tĩnh": "85.95"})
    client.force_login(par_officer)
    client.post(reverse("national:import"), {"file": upload("2022,Hà Tĩnh,86.10,90,85\n")})
    response = client.post(reverse("national:import_confirm"), {"cancel": "1"})
    assert response.status_code == 302
    assert NationalScore.objects.get().index_percent == D("85.95")
    assert client.get(reverse("national:import_confirm")).status_code == 302


def _years(count: int = 5) -> None:
    names = list(Province.objects.order_by("name").values_list("name", flat=True))
    for offset, year in enumerate(range(2024 - count + 1, 2025)):
        values = {
            name: f"{80 + (i * 7 + offset) % 15}.{i % 100:02d}" for i, name in enumerate(names)
        }
        areas = {name: {"1": "85.50", "2": f"{70 + i % 30}.00"} for i, name in enumerate(names)}
        make_table(year, values, areas)


def test_analysis_page_shows_the_memo_text_and_bars_in_bounded_queries(
    client, viewer, django_assert_max_num_queries
):
    _years()
    client.force_login(viewer)
    with django_assert_max_num_queries(17):  # and the menu's unread-messages count
        response = client.get(reverse("national:analysis"), {"province": "Hà Tĩnh", "year": 2024})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ số cải cách hành chính (PAR Index) năm 2024 của tỉnh Hà Tĩnh đạt" in text
    assert 'class="nbar nbar-ours"' in text and "Trung bình cả nước" in text


@pytest.mark.parametrize("name", ["national:overview", "national:provinces"])
def test_list_pages_run_bounded_queries(client, viewer, django_assert_max_num_queries, name):
    _years()
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200


def test_year_page_ranks_every_province_in_bounded_queries(
    client, viewer, django_assert_max_num_queries
):
    _years(1)
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("national:year", args=[2024]))
    assert response.content.decode().count("<tr") == 64
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("national:year", args=[2024]), {"format": "xlsx"}).content)
    )
    sheet = workbook.active
    assert sheet["A1"].value == "Xếp hạng" and sheet.max_row == 64


def test_analysis_opens_on_our_province_by_default(client, viewer):
    make_table(2022, {"Hà Tĩnh": "85.95", "Nghệ An": "86.00"})
    Province.objects.get(name="Nghệ An")
    from parindex.national import services

    services.set_our_province(by=None, province=Province.objects.get(name="Nghệ An"))
    client.force_login(viewer)
    response = client.get(reverse("national:analysis"))
    assert "năm 2022 của tỉnh Nghệ An đạt 86,00%, xếp thứ 1/2" in response.content.decode()


def test_docx_and_xlsx_downloads_carry_the_figures(client, council):
    make_table(
        2021,
        {"Hà Tĩnh": "88.47", "Nghệ An": "86.00"},
        {"Hà Tĩnh": {"1": "90"}, "Nghệ An": {"1": "91"}},
    )
    make_table(
        2022,
        {"Hà Tĩnh": "85.95", "Nghệ An": "86.00"},
        {"Hà Tĩnh": {"1": "92"}, "Nghệ An": {"1": "91"}},
    )
    client.force_login(council)
    params = {"province": "Hà Tĩnh", "year": 2022}
    response = client.get(reverse("national:analysis_docx"), params)
    assert response["Content-Disposition"] == (
        'attachment; filename="phan-tich-chi-so-cchc-ha-tinh-2022.docx"'
    )
    body = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "đạt 85,95%, xếp thứ 2/2 tỉnh, thành phố, giảm 01 bậc so với năm 2021" in body
    assert "Lĩnh vực 1 (tăng 01 bậc)" in body
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("national:analysis_xlsx"), params).content)
    )
    assert workbook.sheetnames == ["Lĩnh vực", "Các năm", "Dư địa", "Phụ lục"]
    assert workbook["Lĩnh vực"]["C2"].value == 92
    assert (
        client.get(
            reverse("national:analysis_docx"), {"province": "Hà Tây", "year": 2022}
        ).status_code
        == 404
    )


def test_aliases_are_added_checked_and_removed(client, par_officer):
    client.force_login(par_officer)
    huế = Province.objects.get(name="Huế")
    response = client.post(
        reverse("national:alias_add"), {"alias": "Cố đô Huế", "province": huế.pk}
    )
    assert response.status_code == 302
    alias = ProvinceAlias.objects.get(alias="Cố đô Huế")
    again = client.post(reverse("national:alias_add"), {"alias": "CỐ ĐÔ HUẾ", "province": huế.pk})
    assert "đã được nhận biết là Huế" in again.content.decode()
    client.post(reverse("national:alias_delete", args=[alias.pk]))
    assert not ProvinceAlias.objects.filter(pk=alias.pk).exists()
    assert AuditEntry.objects.filter(action="province_alias.deleted").exists()


def test_settings_change_our_province_groups_and_letterhead(client, par_officer):
    client.force_login(par_officer)
    data = {
        "province": Province.objects.get(name="Hà Tĩnh").pk,
        "group_a": "92",
        "group_b": "85",
        "group_c": "75",
        "parent_agency": "UBND TỈNH HÀ THANH",
        "agency": "Sở Nội vụ",
        "agency_code": "SNV",
        "place": "Hà Thanh",
        "signer_title": "Giám đốc",
        "signer_name": "Lê Minh Đạo",
    }
    assert client.post(reverse("national:settings"), data).status_code == 302
    assert queries.our_province_name() == "Hà Tĩnh"
    assert [g.min_percent for g in queries.groups()] == [D("92"), D("85"), D("75")]
    from parindex.core.queries import letterhead_settings

    assert letterhead_settings().decision_signature().authority == "KT. CHỦ TỊCH"
    data |= {"letterhead_province": "Hà Thanh", "decision_signer_title": "Chủ tịch"}
    assert client.post(reverse("national:settings"), data).status_code == 302
    settings = letterhead_settings()
    assert settings.committee_letterhead(kind_code="QĐ").agency == "ỦY BAN NHÂN DÂN\nTỈNH HÀ THANH"
    assert (settings.decision_signature().authority, settings.decision_signature().title) == (
        "",
        "CHỦ TỊCH",
    )
    assert AuditEntry.objects.filter(action="setting.changed").count() == 4
    bad = client.post(reverse("national:settings"), {**data, "group_b": "95"})
    assert "Ngưỡng phải giảm dần" in bad.content.decode()


def test_appraised_points_import_feeds_the_appendix(client, par_officer):
    make_table(2022, {"Hà Tĩnh": "85.95", "Nghệ An": "86.00"})
    client.force_login(par_officer)
    content = "criterion_code,criterion_name,max_points,points,owner\n1.1,Kế hoạch CCHC,2,1.5,SNV\n"
    data = {
        "province": Province.objects.get(name="Hà Tĩnh").pk,
        "year": 2022,
        "file": SimpleUploadedFile("diem.csv", content.encode()),
    }
    response = client.post(reverse("national:appraised_import"), data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Kế hoạch CCHC" in page.content.decode()
    data["file"] = SimpleUploadedFile("diem.csv", content.encode())
    again = client.post(reverse("national:appraised_import"), data)
    assert "đánh dấu ô này để thay thế" in again.content.decode()


def test_home_dashboard_shows_our_province_in_the_latest_table(client, viewer, unit_editor):
    from parindex.national import services

    make_table(2024, {"Hà Tĩnh": "89.72", "Quảng Ninh": "91.00"})
    services.set_our_province(by=None, province=Province.objects.get(name="Hà Tĩnh"))
    client.force_login(viewer)
    assert "Năm 2024: Hà Tĩnh đạt 89,72%, xếp thứ 2/2" in client.get("/").content.decode()
    client.force_login(unit_editor)
    assert "Hà Tĩnh đạt" not in client.get("/").content.decode()


@pytest.mark.parametrize("typed", ["9_2", "1e2", "92,001"])
def test_settings_refuse_typed_numbers_that_are_not_plain(client, par_officer, typed):
    client.force_login(par_officer)
    data = {
        "province": Province.objects.get(name="Hà Tĩnh").pk,
        "group_a": typed,
        "group_b": "85",
        "group_c": "75",
        "agency": "Sở Nội vụ",
        "agency_code": "SNV",
        "place": "Hà Thanh",
        "signer_title": "Giám đốc",
        "signer_name": "Lê Minh Đạo",
    }
    response = client.post(reverse("national:settings"), data)
    assert response.status_code == 200
    assert f"“{typed}”" in response.content.decode()
    assert not AuditEntry.objects.filter(action="setting.changed").exists()
