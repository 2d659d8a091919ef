"""The registry's pages: filters and sorting in the URL, bounded queries, the unit page, forms,
import with preview, reorganisation with preview, unit accounts, export."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.accounts.models import Role, RoleAssignment, User
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.documents.tests import hostile
from parindex.units import services
from parindex.units.models import PeerGroup, Reorganisation, Unit, UnitType
from parindex.units.tests.factories import PeerGroupFactory, make_unit, unit_type

pytestmark = pytest.mark.django_db

JULY = dt.date(2025, 7, 1)


@pytest.fixture
def province():
    return make_unit("HT", "TINH", name="Tỉnh Hà Thanh")


def _communes(province, count: int, group=None) -> list[Unit]:
    district = make_unit(f"H-{count}", "HUYEN", parent=province, name=f"Huyện {count}")
    return [
        make_unit(f"XA-{count}-{number}", parent=district, peer_group=group)
        for number in range(count)
    ]


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("day", [None, "", "2024-12-31"], ids=["today", "any-date", "past"])
def test_registry_list_runs_a_bounded_number_of_queries(
    client, viewer, province, count, day, django_assert_max_num_queries
):
    communes = _communes(province, count, group=PeerGroupFactory(code="XA-DB"))
    for commune in communes[:2]:
        services.rename_unit(
            by=None,
            unit=commune,
            new_name=f"Mới {commune.code}",
            effective_date=JULY,
            legal_basis="NQ",
        )
        services.move_unit(
            by=None, unit=commune, new_parent=province, effective_date=JULY, legal_basis="NQ"
        )
    client.force_login(viewer)
    params = {"sort": "-name"} if day is None else {"sort": "-name", "on": day}
    with django_assert_max_num_queries(13):  # and the menu's unread-messages count
        response = client.get(reverse("units:list"), params)
    assert response.status_code == 200
    assert "Huyện" in response.content.decode()


def test_registry_filters_by_type_peer_group_search_and_date(client, viewer, province):
    group = PeerGroupFactory(code="PHUONG", name="Phường")
    make_unit("P-1", parent=province, name="UBND phường Bắc Hà", peer_group=group)
    make_unit("XA-1", parent=province, name="UBND xã Thạch Hạ")
    make_unit("XA-OLD", parent=province, name="UBND xã Cũ", active_to=JULY)
    make_unit("SNV", "SO", parent=province, name="Sở Nội vụ")
    client.force_login(viewer)

    def codes(**params) -> list[str]:
        response = client.get(reverse("units:list"), params)
        return [unit.code for unit in response.context["page_obj"]]

    assert codes(type="XA", sort="code") == ["P-1", "XA-1"]
    assert codes(peer="PHUONG") == ["P-1"]
    assert codes(peer="-", type="XA") == ["XA-1"]
    assert codes(q="thạch") == ["XA-1"]
    assert codes(type="XA", on="2025-06-30", sort="code") == ["P-1", "XA-1", "XA-OLD"]
    assert codes(type="XA", on="", sort="-code") == ["XA-OLD", "XA-1", "P-1"]
    assert codes(parent="HT", sort="name") == ["SNV", "P-1", "XA-1"]


def test_tree_shows_counts_and_loads_children_as_a_fragment(client, viewer, province):
    _communes(province, 3)
    client.force_login(viewer)
    page = client.get(reverse("units:tree")).content.decode()
    assert "Tỉnh Hà Thanh" in page and "UBND cấp xã: 3" in page
    district = Unit.objects.get(code="H-3")
    fragment = client.get(
        reverse("units:tree_children", args=[district.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert fragment.count("<li>") == 3


def test_unit_page_shows_accounts_and_history_to_the_office_only(
    client, par_officer, viewer, unit_editor, home_unit
):
    client.force_login(par_officer)
    page = client.get(reverse("units:detail", args=[home_unit.pk])).content.decode()
    assert unit_editor.username in page and "Tài khoản của đơn vị" in page
    assert "Lịch sử thay đổi" in page
    client.force_login(viewer)
    page = client.get(reverse("units:detail", args=[home_unit.pk])).content.decode()
    assert unit_editor.username not in page and "Lịch sử thay đổi" not in page
    client.force_login(unit_editor)
    page = client.get(reverse("units:detail", args=[home_unit.pk])).content.decode()
    assert unit_editor.username in page


def test_office_creates_and_edits_a_unit(client, par_officer, province):
    client.force_login(par_officer)
    response = client.post(
        reverse("units:create"),
        {"code": "SYT", "name": "Sở Y tế", "unit_type": unit_type("SO").pk, "parent": "ht"},
    )
    unit = Unit.objects.get(code="SYT")
    assert response.status_code == 302 and unit.parent == province
    client.post(
        reverse("units:edit", args=[unit.pk]),
        {
            "code": "IGNORED",
            "name": "Sở Y tế tỉnh",
            "unit_type": unit.unit_type_id,
            "parent": "tinh ha thanh",  # its one name, without marks
            "contact_email": "syt@example.gov.vn",
        },
    )
    unit.refresh_from_db()
    assert (unit.code, unit.name, unit.contact_email) == (
        "SYT",
        "Sở Y tế tỉnh",
        "syt@example.gov.vn",
    )
    assert AuditEntry.objects.get(action="unit.updated").new["name"] == "Sở Y tế tỉnh"


def test_a_unit_keeps_its_ended_parent_but_takes_no_other_ended_unit(client, par_officer, province):
    ended = make_unit("H-CU", "HUYEN", parent=province, name="Huyện Cũ", active_to=JULY)
    other = make_unit("H-CU2", "HUYEN", parent=province, name="Huyện Cũ Hai", active_to=JULY)
    child = make_unit("XA-CON", parent=ended, name="UBND xã Con")
    client.force_login(par_officer)
    url = reverse("units:edit", args=[child.pk])
    values = {"name": "UBND xã Con", "unit_type": child.unit_type_id}
    page = client.post(url, {**values, "parent": other.code}).content.decode()
    assert "Không có đơn vị mã H-CU2 có thể làm đơn vị cấp trên" in page
    client.post(url, {**values, "parent": ended.code, "contact_name": "Lê Văn A"})
    child.refresh_from_db()
    assert (child.parent, child.contact_name) == (ended, "Lê Văn A")


def test_the_unit_form_types_its_parent_with_suggestions(client, par_officer, province):
    child = make_unit("H-1", "HUYEN", parent=province, name="Huyện Một")
    client.force_login(par_officer)
    url = reverse("units:edit", args=[child.pk])
    page = client.get(url).content.decode()
    # the parent is shown by its code, and no unit is listed: suggestions come as one types
    assert 'value="HT"' in page and 'list="id_parent-options"' in page
    options = client.get(reverse("units:unit_options"), {"parent": "HA THANH"}).content.decode()
    assert re.findall(r'<option value="([^"]+)">', options) == ["HT"]
    values = {"name": "Huyện Một", "unit_type": child.unit_type_id}
    for refused in ("KHONGCO", "H-1"):  # no such unit; the unit itself
        response = client.post(url, {**values, "parent": refused})
        assert (
            f"Không có đơn vị mã {refused} có thể làm đơn vị cấp trên" in response.content.decode()
        )
    child.refresh_from_db()
    assert child.parent == province
    client.post(url, {**values, "parent": ""})  # no parent
    child.refresh_from_db()
    assert child.parent is None


def test_a_duplicate_code_is_refused_in_the_form(client, par_officer, province):
    client.force_login(par_officer)
    response = client.post(
        reverse("units:create"), {"code": "HT", "name": "Trùng", "unit_type": unit_type("SO").pk}
    )
    assert "Mã HT đã được dùng cho đơn vị khác." in response.content.decode()


def test_import_previews_then_applies(client, par_officer, province):
    client.force_login(par_officer)
    upload = SimpleUploadedFile(
        "units.csv", "code,name,unit_type,parent_code,peer_group\nSNV,Sở Nội vụ,SO,HT,\n".encode()
    )
    response = client.post(reverse("units:import"), {"file": upload})
    page = response.content.decode()
    assert "Xem trước" in page and "Sở Nội vụ" in page
    assert not Unit.objects.filter(code="SNV").exists()
    response = client.post(reverse("units:import"), {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert Unit.objects.get(code="SNV").parent == province


@pytest.mark.parametrize(
    ("build", "code"), hostile.IMPORT_CASES.values(), ids=hostile.IMPORT_CASES.keys()
)
def test_hostile_xlsx_is_refused_on_the_units_import_page(client, par_officer, build, code):
    """Issue 10, findings 3b, 3c and 8: a Vietnamese message, fast, nothing saved, not a 500."""
    data = hostile.HOSTILE[build]()
    with refuses("units_file.unreadable") as refused:
        services.read_rows("units.xlsx", data)
    assert refused.value.__cause__.code == code
    client.force_login(par_officer)
    url = reverse("units:import")
    response = hostile.post_to_import_page(client, url, "units.xlsx", data, refused.value.problems)
    assert response.context["payload"] is None
    assert not Unit.objects.exists()


def test_import_lists_the_problems_in_the_page(client, par_officer):
    client.force_login(par_officer)
    upload = SimpleUploadedFile("units.xlsx", b"code,name\n")
    page = client.post(reverse("units:import"), {"file": upload}).content.decode()
    assert "Chưa nhập dữ liệu nào" in page and "không phải là tệp Excel" in page


def test_a_tampered_import_payload_is_refused(client, par_officer):
    client.force_login(par_officer)
    page = client.post(reverse("units:import"), {"payload": "forged"}).content.decode()
    assert "Bản xem trước đã hết hạn" in page
    assert not Unit.objects.exists()


def test_merge_in_the_browser_previews_then_records(client, par_officer, province):
    communes = [make_unit(code, parent=province) for code in ("XA-A", "XA-B", "XA-C")]
    group = PeerGroupFactory(code="PHUONG")
    client.force_login(par_officer)
    data = {
        "predecessors": "XA-A\nxa-b\nXA-C — the name the page writes after the code",
        "result": "new",
        "new_code": "P-MOI",
        "new_name": "UBND phường Mới",
        "new_unit_type": unit_type("XA").pk,
        "new_parent": province.code,
        "new_peer_group": group.pk,
        "effective_date": "2025-07-01",
        "legal_basis": "Nghị quyết số 1699/NQ-UBTVQH15",
    }
    url = reverse("units:reorganise", args=["merge"])
    preview = client.post(url, data).content.decode()
    assert "Xác nhận và ghi nhận" in preview
    assert not Reorganisation.objects.exists() and not Unit.objects.filter(code="P-MOI").exists()
    # the confirmation sends back what was previewed, as the preview's hidden fields hold it
    confirm = preview[: preview.index("Xác nhận và ghi nhận")]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm)
    hidden = {name: html.unescape(value) for name, value in fields}
    assert hidden["predecessors"].splitlines() == data["predecessors"].splitlines()
    response = client.post(url, hidden)
    ward = Unit.objects.get(code="P-MOI")
    assert response["Location"] == reverse("units:lineage", args=[ward.pk])
    lineage = client.get(response["Location"]).content.decode()
    assert all(unit.name in lineage for unit in communes)


def test_a_refused_reorganisation_shows_why(client, par_officer, province):
    district = make_unit("H-1", "HUYEN", parent=province)
    make_unit("XA-1", parent=district)
    client.force_login(par_officer)
    response = client.post(
        reverse("units:reorganise", args=["retire"]),
        {"unit": "h-1", "effective_date": "2025-07-01", "legal_basis": "Luật 72/2025/QH15"},
    )
    assert "còn 1 đơn vị trực thuộc" in response.content.decode()
    district.refresh_from_db()
    assert district.active_to is None


def test_a_reorganisation_takes_its_units_by_code_with_suggestions(client, par_officer, province):
    communes = [make_unit(code, parent=province) for code in ("XA-A", "XA-B")]
    client.force_login(par_officer)
    url = reverse("units:reorganise", args=["merge"])
    # started from a unit's page: the unit is its first line; no unit is listed in the page
    page = client.get(url, {"unit": communes[0].pk}).content.decode()
    assert f"XA-A — {communes[0].name}</textarea>" in page
    assert communes[1].name not in page and 'list="id_predecessors-add-options"' in page
    data = {"result": "existing", "effective_date": "2025-07-01", "legal_basis": "NQ 1699"}
    refused = client.post(url, {**data, "predecessors": "XA-A\nXA-Z", "successor": "XA-B"})
    assert "Không có đơn vị nào mã XA-Z trong danh sách chọn" in refused.content.decode()
    unknown = client.post(url, {**data, "predecessors": "XA-A", "successor": "XA-Z"})
    assert "Không có đơn vị mã XA-Z trong danh sách chọn" in unknown.content.decode()
    assert not Reorganisation.objects.exists()
    moved = client.get(reverse("units:reorganise", args=["move"]), {"unit": communes[1].pk})
    assert 'value="XA-B"' in moved.content.decode()  # the unit, by its code


def test_unknown_reorganisation_kind_is_not_found(client, par_officer):
    client.force_login(par_officer)
    assert client.get(reverse("units:reorganise", args=["explode"])).status_code == 404


def test_office_adds_grants_and_revokes_unit_accounts(client, par_officer, home_unit):
    client.force_login(par_officer)
    client.post(
        reverse("units:account_new", args=[home_unit.pk]),
        {
            "username": "snv.canbo",
            "full_name": "Cán bộ Nội vụ",
            "email": "canbo@example.gov.vn",
            "role": Role.UNIT_EDITOR,
        },
    )
    created = User.objects.get(username="snv.canbo")
    assert created.role_assignments.get().unit == home_unit
    assert mail.outbox and "canbo@example.gov.vn" in mail.outbox[0].to
    other = User.objects.create(username="lanhdao.so")
    RoleAssignment.objects.create(user=other, role=Role.VIEWER)
    client.post(
        reverse("units:account_grant", args=[home_unit.pk]),
        {"username": "lanhdao.so", "role": Role.UNIT_HEAD},
    )
    assert set(other.role_assignments.values_list("role", "unit")) == {
        ("viewer", None),
        ("unit_head", home_unit.pk),
    }
    client.post(
        reverse("units:account_revoke", args=[home_unit.pk, other.pk, Role.UNIT_HEAD.value])
    )
    assert set(other.role_assignments.values_list("role", flat=True)) == {"viewer"}
    actions = list(
        AuditEntry.objects.filter(object_type="units.unit").values_list("action", flat=True)
    )
    assert sorted(actions) == ["unit.account_added", "unit.account_added", "unit.account_removed"]


def test_export_gives_csv_and_xlsx_in_the_import_format(client, viewer, province):
    make_unit("SNV", "SO", parent=province, name="Sở Nội vụ")
    client.force_login(viewer)
    response = client.get(reverse("units:export"), {"format": "csv", "sort": "code"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "code,name,unit_type,parent_code,peer_group",
        "HT,Tỉnh Hà Thanh,TINH,,",
        "SNV,Sở Nội vụ,SO,HT,",
    ]
    response = client.get(reverse("units:export"), {"format": "xlsx", "type": "SO"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:3] == ("Mã đơn vị", "Tên đơn vị", "Mã loại đơn vị")  # people open this file
    assert [row[:4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("SNV", "Sở Nội vụ", "SO", "HT")
    ]


def test_units_export_neutralises_formula_text(client, viewer, province):
    """Issue 10, finding 4: a name starting with = + - @ must not run as a formula."""
    make_unit("SNV", "SO", parent=province, name='=HYPERLINK("http://x","Sở")')
    make_unit("STP", "SO", parent=province, name="-Sở Tư pháp")
    client.force_login(viewer)
    response = client.get(reverse("units:export"), {"format": "csv", "type": "SO"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert 'SNV,"\'=HYPERLINK(""http://x"",""Sở"")",SO,HT,' in lines
    assert "STP,'-Sở Tư pháp,SO,HT," in lines
    response = client.get(reverse("units:export"), {"format": "xlsx", "type": "SO"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert names["SNV"].value == '\'=HYPERLINK("http://x","Sở")'
    assert names["SNV"].data_type == "s"
    assert names["STP"].value == "'-Sở Tư pháp"


def test_office_manages_unit_types_and_peer_groups(client, par_officer):
    client.force_login(par_officer)
    client.post(
        reverse("units:type_create"), {"code": "DVSN", "name": "Đơn vị sự nghiệp", "order": 60}
    )
    created = UnitType.objects.get(code="DVSN")
    client.post(
        reverse("units:type_edit", args=[created.pk]),
        {"code": "X", "name": "Đơn vị sự nghiệp công lập", "order": 55},
    )
    created.refresh_from_db()
    assert (created.code, created.name, created.order) == ("DVSN", "Đơn vị sự nghiệp công lập", 55)
    assert "Đơn vị sự nghiệp công lập" in client.get(reverse("units:type_list")).content.decode()
    client.post(reverse("units:peer_group_create"), {"code": "XA-MN", "name": "Xã miền núi"})
    group = PeerGroup.objects.get(code="XA-MN")
    client.post(reverse("units:peer_group_edit", args=[group.pk]), {"name": "Xã vùng cao"})
    group.refresh_from_db()
    assert group.name == "Xã vùng cao"
    assert {"unit_type.created", "unit_type.updated", "peer_group.created"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_lineage_and_reorganisation_pages_run_bounded_queries(
    client, viewer, province, django_assert_max_num_queries
):
    for number in range(5):
        former = [make_unit(f"X{number}{letter}", parent=province) for letter in "abc"]
        services.merge_units(
            by=None,
            predecessors=former,
            new_unit=services.NewUnit(
                code=f"N{number}", name=f"Xã {number}", unit_type=unit_type()
            ),
            effective_date=JULY,
            legal_basis="NQ",
        )
    client.force_login(viewer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("units:reorganisation_list")).status_code == 200
    ward = Unit.objects.get(code="N0")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("units:lineage", args=[ward.pk])).content.decode()
    assert "X0a" in page and "2024" in page


def test_a_past_date_shows_the_names_parents_and_counts_of_that_day(client, viewer, province):
    district = make_unit("H-1", "HUYEN", parent=province, name="UBND huyện Một")
    kept = make_unit("TT-1", parent=district, name="UBND thị trấn Tây Sơn")
    make_unit("XA-2", parent=district, name="UBND xã Hai")
    services.rename_unit(
        by=None, unit=kept, new_name="UBND xã Tây Sơn", effective_date=JULY, legal_basis="NQ"
    )
    services.move_unit(
        by=None, unit=kept, new_parent=province, effective_date=JULY, legal_basis="NQ"
    )
    client.force_login(viewer)
    response = client.get(reverse("units:list"), {"on": "2024-12-31", "type": "XA"})
    rows = {unit.code: unit for unit in response.context["page_obj"]}
    assert rows["TT-1"].name_then == "UBND thị trấn Tây Sơn"
    assert rows["TT-1"].parent_then == district
    response = client.get(reverse("units:list"), {"on": "2024-12-31", "type": "HUYEN"})
    assert [unit.children_count for unit in response.context["page_obj"]] == [2]
    response = client.get(reverse("units:list"), {"on": "2024-12-31", "parent": "H-1"})
    assert sorted(unit.code for unit in response.context["page_obj"]) == ["TT-1", "XA-2"]
    fragment = client.get(
        reverse("units:tree_children", args=[district.pk]), {"on": "2024-12-31"}
    ).content.decode()
    assert "UBND thị trấn Tây Sơn" in fragment and "(nay là UBND xã Tây Sơn)" in fragment
    today_fragment = client.get(reverse("units:tree_children", args=[province.pk])).content
    assert "UBND xã Tây Sơn" in today_fragment.decode()
    roots = client.get(reverse("units:tree"), {"on": "2024-12-31"}).context["nodes"]
    assert [(unit.code, unit.children_count) for unit in roots] == [("HT", 1)]


def test_account_takeover_an_officer_cannot_give_an_admin_a_unit_role(
    client, par_officer, admin, home_unit
):
    client.force_login(par_officer)
    response = client.post(
        reverse("units:account_grant", args=[home_unit.pk]),
        {"username": admin.username, "role": Role.UNIT_EDITOR},
    )
    assert response.status_code == 403
    assert list(admin.role_assignments.values_list("role", flat=True)) == ["admin"]
