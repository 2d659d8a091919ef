from __future__ import annotations

import pytest
from django.http import HttpRequest

from parindex.accounts import services
from parindex.accounts.models import Role, User
from parindex.conftest import refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_user_sets_roles_and_audits(par_officer, home_unit):
    user = services.create_user(
        by=par_officer,
        username="nva",
        full_name="Nguyễn Văn A",
        email="a@example.gov.vn",
        roles={(Role.UNIT_EDITOR, home_unit.pk), (Role.VIEWER, None)},
    )
    assert set(user.role_assignments.values_list("role", "unit_id")) == {
        ("unit_editor", home_unit.pk),
        ("viewer", None),
    }
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.actor == par_officer
    assert entry.new["roles"] == sorted([f"unit_editor@{home_unit.pk}", "viewer"])


def test_update_user_records_only_what_changed(par_officer, viewer):
    services.update_user(
        by=par_officer,
        user=viewer,
        full_name="Tên mới",
        email=viewer.email,
        is_active=True,
        roles={(Role.VIEWER, None), (Role.COUNCIL, None)},
    )
    entry = AuditEntry.objects.get(action="user.updated")
    assert set(entry.old) == {"full_name", "roles"}
    assert entry.new["roles"] == ["council", "viewer"]


def test_update_without_changes_writes_no_audit_entry(par_officer, viewer):
    services.update_user(
        by=par_officer,
        user=viewer,
        full_name=viewer.full_name,
        email=viewer.email,
        is_active=True,
        roles={(Role.VIEWER, None)},
    )
    assert not AuditEntry.objects.filter(action="user.updated").exists()


def test_deactivated_user_cannot_log_in(client, par_officer, viewer):
    services.set_user_active(by=par_officer, user=viewer, is_active=False, reason="Nghỉ hưu")
    assert not client.login(
        request=HttpRequest(), username=viewer.username, password="correct-horse-battery"
    )
    assert AuditEntry.objects.get(action="user.deactivated").reason == "Nghỉ hưu"


def test_set_password_email_links_to_the_reset_page(mailoutbox, par_officer):
    user = services.create_user(
        by=par_officer, username="nvb", full_name="B", email="b@example.gov.vn", roles=set()
    )
    assert services.send_set_password_email(by=par_officer, user=user, base_url="http://cchc.test")
    assert "http://cchc.test/accounts/password/reset/" in mailoutbox[0].body


CSV_OK = """username,full_name,email,role,unit_code
nva,Nguyễn Văn A,a@example.gov.vn,unit_editor,HOME
nva,Nguyễn Văn A,a@example.gov.vn,unit_head,HOME
ttb,Trần Thị B,b@example.gov.vn,appraiser,
"""


def test_import_users_creates_accounts_with_all_their_roles(par_officer, home_unit):
    report = services.import_users(by=par_officer, text=CSV_OK)
    assert sorted(report.created) == ["nva", "ttb"]
    nva = User.objects.get(username="nva")
    assert set(nva.role_assignments.values_list("role", flat=True)) == {"unit_editor", "unit_head"}


def test_import_users_reads_a_semicolon_csv_and_an_xlsx(par_officer, home_unit):
    from parindex.documents.tables import write_xlsx
    from parindex.documents.xlsx import Sheet

    rows = [line.split(",") for line in CSV_OK.splitlines()]
    semicolons = "\n".join(";".join(row) for row in rows).encode("utf-8-sig")
    assert sorted(services.import_users(by=par_officer, text=semicolons, dry_run=True).created) == [
        "nva",
        "ttb",
    ]
    workbook = write_xlsx([Sheet("Users", rows)])
    report = services.import_users(by=par_officer, text=workbook)
    assert sorted(report.created) == ["nva", "ttb"]


def test_import_users_adds_roles_to_existing_accounts(par_officer, home_unit, viewer):
    text = f"username,full_name,email,role,unit_code\n{viewer.username},,,council,\n"
    report = services.import_users(by=par_officer, text=text)
    assert report.updated == [viewer.username]
    assert set(viewer.role_assignments.values_list("role", flat=True)) == {"viewer", "council"}


def test_import_users_dry_run_saves_nothing(par_officer, home_unit):
    report = services.import_users(by=par_officer, text=CSV_OK, dry_run=True)
    assert sorted(report.created) == ["nva", "ttb"]
    assert not User.objects.filter(username__in=["nva", "ttb"]).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("user,name\nx,y\n", "Dòng tiêu đề phải là"),
        ("username,full_name,email,role,unit_code\nx,X,,chief,\n", "vai trò chief không tồn tại"),
        ("username,full_name,email,role,unit_code\nx,X,,unit_editor,\n", "cần có mã đơn vị"),
        ("username,full_name,email,role,unit_code\nx,X,,unit_editor,NOPE\n", "mã đơn vị NOPE"),
        ("username,full_name,email,role,unit_code\nx,X,not-an-email,viewer,\n", "không hợp lệ"),
        ("username,full_name,email,role,unit_code\nx y,X,,viewer,\n", "ký tự không hợp lệ"),
        ("username,full_name,email,role,unit_code\nx,X,,viewer,HOME\n", "không gắn với mã đơn vị"),
        ("username,full_name,email,role,unit_code\nx,X,,viewer,,extra\n", "cần 5 cột"),
    ],
    ids=[
        "header",
        "unknown-role",
        "unit-role-without-unit",
        "unknown-unit",
        "bad-email",
        "bad-username",
        "unit-on-unscoped-role",
        "long-row",
    ],
)
def test_import_users_rejects_bad_rows_in_vietnamese_and_saves_nothing(
    par_officer, home_unit, text, message
):
    before = User.objects.count()
    with refuses("accounts.import_failed") as failure:
        services.import_users(by=par_officer, text=text + CSV_OK.split("\n", 1)[1])
    assert any(message in problem for problem in failure.value.problems), failure.value.problems
    assert User.objects.count() == before


def test_import_lists_every_bad_row(par_officer, home_unit):
    text = "username,full_name,email,role,unit_code\na,A,,chief,\nb,B,,boss,\n"
    with refuses("accounts.import_failed") as failure:
        services.import_users(by=par_officer, text=text)
    assert [problem[:6] for problem in failure.value.problems] == ["Dòng 2", "Dòng 3"]


def test_only_an_admin_may_import_an_admin(par_officer):
    text = "username,full_name,email,role,unit_code\nboss,Boss,,admin,\n"
    with refuses("accounts.import_failed"):
        services.import_users(by=par_officer, text=text)


def test_import_refuses_a_file_without_rows(par_officer):
    with refuses("accounts.import_failed") as failure:
        services.import_users(by=par_officer, text="username,full_name,email,role,unit_code\n")
    assert failure.value.problems == ["Tệp không có dòng người dùng nào."]
