"""Finding 1: account takeover. Only an administrator changes an administrator's account."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.accounts import permissions, services
from parindex.accounts.models import Role, User
from parindex.conftest import make_user, refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _edit_data(account, **changes):
    data = {
        "full_name": account.full_name,
        "email": account.email,
        "is_active": "on",
        "roles": list(account.role_assignments.filter(unit=None).values_list("role", flat=True)),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("persona", "on_admin", "on_other"),
    [
        ("admin", True, True),
        ("par_officer", False, True),
        ("appraiser", False, False),
        ("council", False, False),
        ("unit_editor", False, False),
        ("unit_head", False, False),
        ("viewer", False, False),
        ("outsider", False, False),
    ],
)
def test_who_may_change_an_administrators_account(
    request, admin, viewer, persona, on_admin, on_other
):
    user = request.getfixturevalue(persona)
    other_admin = make_user("admin2", Role.ADMIN)
    assert permissions.has(user, "manage_account", other_admin) is on_admin
    assert permissions.has(user, "manage_account", viewer) is on_other
    assert permissions.has(user, "grant_admin") is (persona == "admin")
    assert permissions.has(user, "reset_two_factor", viewer) is (persona == "admin")


def test_account_takeover_officer_cannot_change_an_admins_email(client, par_officer, admin):
    client.force_login(par_officer)
    url = reverse("accounts:user_edit", args=[admin.pk])
    response = client.post(url, _edit_data(admin, email="attacker@example.com"))
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.email != "attacker@example.com"
    assert not AuditEntry.objects.filter(action="user.updated").exists()


def test_account_takeover_officer_sees_an_admins_account_read_only(client, par_officer, admin):
    client.force_login(par_officer)
    page = client.get(reverse("accounts:user_edit", args=[admin.pk])).content.decode()
    assert "chỉ quản trị hệ thống mới được thay đổi" in page
    assert reverse("accounts:user_send_reset", args=[admin.pk]) not in page
    assert 'type="submit">Lưu' not in page
    assert 'name="email"' in page and "disabled" in page.split('name="email"')[1][:200]


def test_account_takeover_officer_cannot_send_an_admin_a_reset_link(
    client, par_officer, admin, mailoutbox
):
    client.force_login(par_officer)
    response = client.post(reverse("accounts:user_send_reset", args=[admin.pk]))
    assert response.status_code == 403
    assert mailoutbox == []


def test_account_takeover_csv_import_cannot_change_an_admin(client, par_officer, admin):
    client.force_login(par_officer)
    row = f"{admin.username},X,attacker@example.com,viewer,"
    text = f"username,full_name,email,role,unit_code\n{row}\n"
    upload = SimpleUploadedFile("users.csv", text.encode(), "text/csv")
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    assert "là tài khoản quản trị hệ thống" in response.content.decode()
    admin.refresh_from_db()
    assert admin.email != "attacker@example.com"
    assert list(admin.role_assignments.values_list("role", flat=True)) == ["admin"]


@pytest.mark.parametrize(
    "change",
    [
        {"email": "attacker@example.com"},
        {"full_name": "Kẻ gian"},
        {"is_active": False},
        {"roles": {(Role.ADMIN.value, None), (Role.VIEWER.value, None)}},
        {"roles": set()},
    ],
    ids=["email", "name", "deactivate", "add-role", "remove-admin"],
)
def test_account_takeover_service_refuses_any_change_to_an_admin_by_others(
    par_officer, admin, change
):
    current = {
        "full_name": admin.full_name,
        "email": admin.email,
        "is_active": True,
        "roles": {(Role.ADMIN.value, None)},
    }
    with refuses("account.admin_only"):
        services.update_user(by=par_officer, user=admin, **{**current, **change})
    with refuses("account.admin_only"):
        services.update_user(by=None, user=admin, **{**current, **change})


def test_account_takeover_other_paths_are_refused_too(par_officer, admin):
    with refuses("account.admin_only"):
        services.set_user_active(by=par_officer, user=admin, is_active=False)
    with refuses("account.admin_only"):
        services.send_set_password_email(by=par_officer, user=admin, base_url="http://x")
    assert list(admin.role_assignments.values_list("role", flat=True)) == ["admin"]


def test_an_admin_changes_an_admins_account_and_the_audit_has_who_old_and_new(admin):
    other = make_user("admin2", Role.ADMIN)
    old_email = other.email
    services.update_user(
        by=admin,
        user=other,
        full_name=other.full_name,
        email="new@example.gov.vn",
        is_active=True,
        roles={(Role.ADMIN.value, None)},
    )
    entry = AuditEntry.objects.get(action="user.updated")
    assert (entry.actor, entry.old, entry.new) == (
        admin,
        {"email": old_email},
        {"email": "new@example.gov.vn"},
    )


def test_the_password_link_is_audited(admin, mailoutbox):
    other = make_user("admin2", Role.ADMIN)
    assert services.send_set_password_email(by=admin, user=other, base_url="http://x")
    entry = AuditEntry.objects.get(action="user.password_link_sent")
    assert entry.actor == admin and entry.new == {"email": other.email}


@pytest.mark.parametrize("by_admin", [True, False], ids=["by-admin", "by-officer"])
def test_only_an_admin_may_grant_the_admin_role(admin, par_officer, viewer, by_admin):
    by = admin if by_admin else par_officer
    roles = {(Role.ADMIN.value, None), (Role.VIEWER.value, None)}
    kwargs = {"full_name": viewer.full_name, "email": viewer.email, "is_active": True}
    if by_admin:
        services.update_user(by=by, user=viewer, roles=roles, **kwargs)
        assert permissions.is_admin(User.objects.get(pk=viewer.pk))
    else:
        with refuses("account.admin_role_reserved"):
            services.update_user(by=by, user=viewer, roles=roles, **kwargs)
        with refuses("account.admin_role_reserved"):
            services.create_user(by=by, username="sep", full_name="", email="", roles=roles)


def test_the_officers_form_does_not_offer_the_admin_role(client, par_officer, admin):
    client.force_login(par_officer)
    assert 'value="admin"' not in client.get(reverse("accounts:user_create")).content.decode()
    client.force_login(admin)
    assert 'value="admin"' in client.get(reverse("accounts:user_create")).content.decode()


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(client, admin):
    keep = {"full_name": admin.full_name, "email": admin.email}
    with refuses("account.last_admin"):
        services.update_user(by=admin, user=admin, is_active=True, roles=set(), **keep)
    with refuses("account.last_admin"):
        services.set_user_active(by=admin, user=admin, is_active=False)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_edit", args=[admin.pk]), _edit_data(admin, roles=["viewer"])
    )
    assert "quản trị hệ thống cuối cùng" in response.content.decode()
    assert permissions.is_admin(User.objects.get(pk=admin.pk))
    second = make_user("admin2", Role.ADMIN)
    services.set_user_active(by=admin, user=second, is_active=False)
    with refuses("account.last_admin"):
        services.update_user(by=admin, user=admin, is_active=True, roles=set(), **keep)
    services.set_user_active(by=admin, user=second, is_active=True)
    services.update_user(by=admin, user=admin, is_active=True, roles=set(), **keep)
    assert not permissions.is_admin(User.objects.get(pk=admin.pk))


def test_import_refuses_a_username_that_differs_only_in_case(par_officer, viewer):
    text = f"username,full_name,email,role,unit_code\n{viewer.username.upper()},X,,council,\n"
    with refuses("accounts.import_failed") as failure:
        services.import_users(by=par_officer, text=text)
    assert viewer.username.upper() in failure.value.problems[0]
    assert not User.objects.filter(username=viewer.username.upper()).exists()


def test_the_command_line_may_create_the_first_admin_but_not_change_one(admin):
    text = "username,full_name,email,role,unit_code\nqtv,Quản Trị,q@example.gov.vn,admin,\n"
    services.import_users(by=None, text=text)
    assert permissions.is_admin(User.objects.get(username="qtv"))
    text = f"username,full_name,email,role,unit_code\n{admin.username},X,x@example.com,viewer,\n"
    with pytest.raises(services.ImportFailed, match="quản trị hệ thống"):
        services.import_users(by=None, text=text)
    services.import_users(by=admin, text=text)
    assert User.objects.get(pk=admin.pk).email == "x@example.com"
