"""Smoke journey in a real browser: the shell works for an officer and refuses a unit editor."""

from __future__ import annotations

import pytest

from parindex.conftest import login

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_par_officer_logs_in_and_sees_the_dashboard(page, par_officer):
    login(page, par_officer)
    assert page.get_by_role("heading", name="Phòng CCHC, Sở Nội vụ").is_visible()
    page.get_by_role("link", name="Người dùng", exact=True).click()
    assert page.get_by_role("heading", name="Người dùng").is_visible()
    assert page.get_by_text(par_officer.username).first.is_visible()


def test_unit_editor_is_refused_user_management(page, unit_editor):
    login(page, unit_editor)
    assert page.get_by_role("link", name="Người dùng", exact=True).count() == 0
    response = page.goto("/accounts/users/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Không có quyền truy cập").is_visible()


def test_wrong_password_shows_a_vietnamese_error(page, par_officer):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(par_officer.username)
    page.get_by_label("Mật khẩu").fill("wrong-password")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").filter(has_text="tên đăng nhập").is_visible()
