"""Two-factor authentication in a real browser: enrol with the page's key, log in with a code."""

from __future__ import annotations

import time

import pytest

from parindex.accounts.tests.factories import PASSWORD
from parindex.accounts.tests.otp import totp
from parindex.conftest import login

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


def test_council_enrols_a_phone_then_logs_in_with_a_code(page, council, settings):
    settings.TWO_FACTOR_REQUIRED = True
    login(page, council)
    page.wait_for_url("**/accounts/two-factor/")  # required for the council: enrol first
    assert page.locator("figure svg").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Mã xác thực").fill(totp(secret))
    page.get_by_role("button", name="Bật", exact=True).click()
    page.wait_for_url("**/accounts/two-factor/codes/")
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.context.clear_cookies()  # a new visit, logged out

    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(council.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/accounts/login/code/")
    page.get_by_label("Mã xác thực").fill(totp(secret, at=time.time() + 30))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.get_by_role("heading", name="Hội đồng thẩm định").is_visible()
