from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.accounts.models import User
from parindex.core.models import AuditEntry
from parindex.documents.tables import TableError

pytestmark = pytest.mark.django_db


def test_login_is_blocked_after_repeated_failures(client, viewer, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    url = reverse("accounts:login")
    for _ in range(3):
        client.post(url, {"username": viewer.username, "password": "wrong"})
    response = client.post(url, {"username": viewer.username, "password": "correct-horse-battery"})
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_goes_home(client, viewer):
    response = client.post(
        reverse("accounts:login"),
        {"username": viewer.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_password_reset_sends_a_vietnamese_email(client, viewer, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert len(mailoutbox) == 1
    assert "đặt mật khẩu mới" in mailoutbox[0].subject
    assert viewer.username in mailoutbox[0].body


def test_officer_creates_a_unit_editor(client, par_officer, home_unit, mailoutbox):
    client.force_login(par_officer)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "canbo.moi",
            "full_name": "Cán Bộ Mới",
            "email": "moi@example.gov.vn",
            "is_active": "on",
            "editor_units": home_unit.code.lower(),  # a code in any case
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert list(user.role_assignments.values_list("role", "unit_id")) == [
        ("unit_editor", home_unit.pk)
    ]
    assert mailoutbox[0].to == ["moi@example.gov.vn"]
    assert AuditEntry.objects.filter(action="user.created", actor=par_officer).exists()


def test_invalid_form_keeps_what_was_typed(client, par_officer, viewer):
    client.force_login(par_officer)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": viewer.username, "full_name": "Gõ Dở", "email": "x@example.gov.vn"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tên đăng nhập này đã được sử dụng." in content
    assert 'value="Gõ Dở"' in content


def test_officer_cannot_grant_admin(client, par_officer):
    client.force_login(par_officer)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "sep", "full_name": "Sếp", "roles": ["admin"]},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="sep").exists()


def test_officer_cannot_deactivate_themself(client, par_officer):
    client.force_login(par_officer)
    response = client.post(
        reverse("accounts:user_edit", args=[par_officer.pk]),
        {"full_name": "X", "roles": ["par_officer"]},
    )
    assert "Bạn không thể tự khóa tài khoản của mình." in response.content.decode()
    par_officer.refresh_from_db()
    assert par_officer.is_active


def test_edit_changes_roles_and_shows_in_the_audit_page(client, par_officer, viewer):
    client.force_login(par_officer)
    client.post(
        reverse("accounts:user_edit", args=[viewer.pk]),
        {
            "full_name": viewer.full_name,
            "email": viewer.email,
            "is_active": "on",
            "roles": ["council"],
        },
    )
    assert list(viewer.role_assignments.values_list("role", flat=True)) == ["council"]
    audit_page = client.get(reverse("core:audit"), {"action": "user.updated"})
    assert (
        viewer.username in audit_page.content.decode()
        or viewer.full_name in audit_page.content.decode()
    )


def test_import_page_lists_problems_and_saves_nothing(client, par_officer):
    client.force_login(par_officer)
    upload = SimpleUploadedFile(
        "users.csv", b"username,full_name,email,role,unit_code\nx,X,,chief,\n", "text/csv"
    )
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    assert "vai trò chief không tồn tại" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"\xff\xfe\x00\x01binary", "not_a_table"), ("tên,đơn\n".encode("cp1258"), "bad_encoding")],
    ids=["binary", "not-utf8"],
)
def test_import_page_rejects_a_file_that_is_no_table(client, par_officer, content, code):
    client.force_login(par_officer)
    upload = SimpleUploadedFile("users.csv", content, "text/csv")
    before = User.objects.count()
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    assert response.status_code == 200
    assert TableError(code).message in response.content.decode()
    assert User.objects.count() == before


def test_user_list_filters_and_keeps_queries_bounded(
    client, par_officer, home_unit, django_assert_max_num_queries
):
    from parindex.conftest import make_user

    for number in range(30):
        make_user(f"editor{number}", "unit_editor", home_unit)
    client.force_login(par_officer)
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("accounts:user_list"), {"role": "unit_editor", "sort": "-name"}
        )
    content = response.content.decode()
    assert "editor29" in content
    assert par_officer.username not in content.split("<tbody>")[1]


def test_the_account_form_takes_its_units_by_code_or_name(
    client, par_officer, viewer, home_unit, other_unit
):
    client.force_login(par_officer)
    url = reverse("accounts:user_edit", args=[viewer.pk])
    page = client.get(url).content.decode()
    # no unit is listed in the page: a national registry has thousands
    assert 'list="id_editor_units-add-options"' in page and other_unit.name not in page

    def post(**units):
        data = {"full_name": viewer.full_name, "email": viewer.email, "is_active": "on"}
        return client.post(url, {**data, **units})

    def held():
        return sorted(viewer.role_assignments.values_list("role", "unit__code"))

    # a line as the page writes it, a code in any case, a name without its marks, repeated once
    response = post(editor_units="HOME — Sở Nhà\n other \nHOME", head_units="so khac")
    assert response.status_code == 302
    assert held() == [("unit_editor", "HOME"), ("unit_editor", "OTHER"), ("unit_head", "OTHER")]
    page = client.get(url).content.decode()
    assert "HOME — Sở Nhà\nOTHER — Sở Khác</textarea>" in page  # the roles held, as lines
    # the box beside the lines is taken too, when no script moved its code into them
    assert post(editor_units="", **{"editor_units-add": "home"}).status_code == 302
    assert held() == [("unit_editor", "HOME")]
    # an unknown code is refused by name, and nothing changes
    refused = post(editor_units="HOME\nKHONGCO\nSO NHA", head_units="OTHER")
    assert refused.status_code == 200
    assert "Không có đơn vị nào mã KHONGCO" in refused.content.decode()
    assert held() == [("unit_editor", "HOME")]
    # a forged list longer than any form needs is refused without a query per line
    too_many = post(editor_units="\n".join(f"U{n}" for n in range(501)))
    assert "Tối đa 500 dòng mỗi lần." in too_many.content.decode()
    assert held() == [("unit_editor", "HOME")]


def test_the_account_form_suggests_units_as_one_types(client, par_officer, home_unit, other_unit):
    client.force_login(par_officer)
    url = reverse("accounts:unit_options")
    options = client.get(url, {"editor_units-add": "SO KHAC"}).content.decode()
    assert re.findall(r'<option value="([^"]+)">', options) == ["OTHER"]
    everything = client.get(url, {"editor_units-add": ""}).content.decode()
    assert re.findall(r'<option value="([^"]+)">', everything) == ["HOME", "OTHER"]


def test_an_administrators_account_shows_its_units_read_only(client, par_officer, admin, home_unit):
    admin.role_assignments.create(role="unit_head", unit=home_unit)
    client.force_login(par_officer)
    page = client.get(reverse("accounts:user_edit", args=[admin.pk])).content.decode()
    assert "HOME — Sở Nhà</textarea>" in page and "disabled" in page
    assert 'name="head_units-add"' not in page  # nothing to add to a form that cannot be sent
