from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from parindex.accounts.models import User
from parindex.core.models import AuditEntry

CSV = """username,full_name,email,role,unit_code
nva,Nguyễn Văn A,a@example.gov.vn,unit_editor,HOME
qtv,Quản Trị Viên,q@example.gov.vn,admin,
"""


def _file(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_users_import_creates_accounts_and_grants_any_role(home_unit, tmp_path, capsys):
    call_command("import_users", _file(tmp_path, CSV, "utf-8-sig"))
    assert "2" in capsys.readouterr().out
    assert set(
        User.objects.get(username="qtv").role_assignments.values_list("role", flat=True)
    ) == {"admin"}
    assert AuditEntry.objects.filter(action="user.created", actor=None).count() == 2


def test_users_import_dry_run_saves_nothing(home_unit, tmp_path):
    call_command("import_users", _file(tmp_path, CSV), "--dry-run")
    assert not User.objects.filter(username__in=["nva", "qtv"]).exists()


def test_users_import_with_a_bad_row_lists_it_and_saves_nothing(home_unit, tmp_path, capsys):
    text = CSV + "x,X,,chief,\n"
    with pytest.raises(CommandError, match="Chưa nhập gì"):
        call_command("import_users", _file(tmp_path, text))
    assert "Dòng 4" in capsys.readouterr().err
    assert not User.objects.filter(username="nva").exists()


def test_users_import_runs_from_the_parindex_words(home_unit, tmp_path):
    from parindex.cli import main

    assert main(["users", "import", _file(tmp_path, CSV), "--dry-run"]) == 0
    assert main(["users", "import", str(tmp_path / "missing.csv")]) != 0


def _admin_row(admin):
    return f"username,full_name,email,role,unit_code\n{admin.username},X,x@example.com,viewer,\n"


def test_users_import_cannot_change_an_admin_without_an_admin(admin, par_officer, tmp_path):
    path = _file(tmp_path, _admin_row(admin))
    with pytest.raises(CommandError, match="Chưa nhập gì"):
        call_command("import_users", path)
    with pytest.raises(CommandError, match="Chưa nhập gì"):
        call_command("import_users", path, "--by", par_officer.username)
    admin.refresh_from_db()
    assert admin.email != "x@example.com"


def test_users_import_by_an_admin_changes_an_admin_and_names_them(admin, tmp_path):
    call_command("import_users", _file(tmp_path, _admin_row(admin)), "--by", admin.username)
    admin.refresh_from_db()
    assert admin.email == "x@example.com"
    assert AuditEntry.objects.get(action="user.updated").actor == admin


@pytest.mark.parametrize("username", ["nobody", "p_viewer"], ids=["unknown", "not-office"])
def test_users_import_by_must_name_an_active_account_that_manages_users(viewer, tmp_path, username):
    with pytest.raises(CommandError, match=username):
        call_command("import_users", _file(tmp_path, CSV), "--by", username)
