"""In a real browser: a PAR officer merges three communes into a ward, then reads its lineage."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from parindex.conftest import login
from parindex.units.models import Unit
from parindex.units.tests.factories import PeerGroupFactory, make_unit, unit_type

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database

COMMUNES = ["UBND phường Bắc Hà", "UBND phường Nam Hà", "UBND xã Thạch Hạ"]


def test_par_officer_merges_three_communes_into_a_ward_and_sees_its_lineage(page, par_officer):
    province = make_unit("HT", "TINH", name="Tỉnh Hà Thanh")
    for number, name in enumerate(COMMUNES):
        make_unit(f"XA-{number}", parent=province, name=name)
    ward_type = unit_type("XA")
    group = PeerGroupFactory(code="PHUONG", name="Phường")
    login(page, par_officer)

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("button", name="Sắp xếp, tổ chức lại").click()
    page.get_by_role("link", name="Sáp nhập, hợp nhất").click()
    # no list of every unit: typing part of a name fills the picker from the server, and
    # Enter on the code picked adds it as a line (3,500 communes at national scale)
    box = page.get_by_label("Thêm vào “Các đơn vị được sáp nhập”")
    options = page.locator("#id_predecessors-add-options option")
    for number, name in enumerate(COMMUNES):
        box.press_sequentially(" ".join(name.split()[-2:]), delay=30)
        expect(options).to_have_count(1)
        expect(options).to_have_attribute("value", f"XA-{number}")
        box.fill(f"XA-{number}")  # what picking the offered option puts in the box
        box.press("Enter")  # adds the line; the form is not sent
        expect(box).to_have_value("")
    lines = "\n".join(f"XA-{number} — {name}" for number, name in enumerate(COMMUNES))
    expect(page.locator("textarea[name=predecessors]")).to_have_value(lines)
    page.get_by_label("Một đơn vị mới").check()
    page.get_by_label("Mã của đơn vị mới").fill("P-THANHSEN")
    page.get_by_label("Tên của đơn vị mới").fill("UBND phường Thành Sen")
    page.get_by_label("Loại của đơn vị mới").select_option(value=str(ward_type.pk))
    page.get_by_label("Đơn vị cấp trên của đơn vị mới").fill("ht")  # a code in any case
    page.get_by_label("Nhóm so sánh của đơn vị mới").select_option(value=str(group.pk))
    page.get_by_label("Ngày có hiệu lực").fill("2025-07-01")
    page.get_by_label("Căn cứ pháp lý").fill("Nghị quyết số 1699/NQ-UBTVQH15 ngày 16/6/2025")
    page.get_by_role("button", name="Xem trước").click()

    preview = page.get_by_role("region", name="Xem trước")
    assert preview.get_by_text("vào đơn vị mới: UBND phường Thành Sen (P-THANHSEN)").is_visible()
    assert not Unit.objects.filter(code="P-THANHSEN").exists()
    preview.get_by_role("button", name="Xác nhận và ghi nhận").click()

    heading = page.get_by_role("heading", name="Lịch sử hình thành của UBND phường Thành Sen")
    assert heading.is_visible()
    assert page.get_by_role("alert").filter(has_text="Đã ghi nhận việc sắp xếp").is_visible()
    event = page.locator(".lineage-event")
    for name in COMMUNES:
        assert event.get_by_role("link", name=name).is_visible()
    year_2024 = page.get_by_role("row", name="2024")
    assert all(year_2024.get_by_role("link", name=name).is_visible() for name in COMMUNES)
    ward = Unit.objects.get(code="P-THANHSEN")
    assert ward.parent == province and ward.peer_group == group
    assert Unit.objects.filter(code__startswith="XA-", active_to__isnull=False).count() == 3
