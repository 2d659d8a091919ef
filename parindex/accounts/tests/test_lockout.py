"""Finding 7: login lockout behind a reverse proxy (django-axes, trusted proxies, delays)."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from parindex.accounts import lockout
from parindex.accounts.addresses import client_address_from
from parindex.accounts.tests.factories import PASSWORD
from parindex.core.models import AuditEntry

LOGIN = reverse("accounts:login")
PROXY = "10.0.0.5"  # the reverse proxy, as gunicorn sees it


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),
        (PROXY, "198.51.100.1", [PROXY], "198.51.100.1"),
        (PROXY, "6.6.6.6, 198.51.100.1", [PROXY], "198.51.100.1"),
        ("203.0.113.9", "198.51.100.1", [PROXY], "203.0.113.9"),
        ("10.0.0.7", "198.51.100.1, 10.0.0.6", ["10.0.0.0/24"], "198.51.100.1"),
        (PROXY, "", [PROXY], PROXY),
        (PROXY, "not-an-address", [PROXY], PROXY),
        (PROXY, "2001:db8::1", [PROXY], "2001:db8::1"),
        ("", "198.51.100.1", [], None),
    ],
    ids=[
        "direct",
        "untrusted-peer-header-ignored",
        "one-trusted-proxy",
        "client-spoofed-left-entries-ignored",
        "peer-is-not-the-proxy",
        "two-proxies-in-a-trusted-network",
        "proxy-without-header",
        "garbage-header",
        "ipv6-client",
        "no-peer",
    ],
)
def test_client_address_believes_the_header_only_from_trusted_proxies(
    remote, forwarded, trusted, expected
):
    assert client_address_from(remote, forwarded, trusted) == expected


@given(st.ip_addresses().map(str), st.text(max_size=200))
def test_without_trusted_proxies_the_client_is_the_peer_whatever_the_header(peer, header):
    assert client_address_from(peer, header, []) == str(ipaddress.ip_address(peer))


def test_a_bad_trusted_proxy_setting_is_refused():
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_address_from("10.0.0.1", "", ["10.0.0.300"])


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (9, 0), (10, 30), (11, 60), (12, 120), (14, 480), (15, 900), (16, 900), (10**6, 900)],
)
def test_username_delay_doubles_per_failure_up_to_the_window(settings, failures, seconds):
    settings.LOGIN_DELAY_AFTER, settings.LOGIN_DELAY_SECONDS = 10, 30
    settings.LOGIN_THROTTLE_WINDOW = 900
    assert lockout.delay_seconds(failures) == seconds


def _post(client, username, password, address, **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
        **extra,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_an_attackers_failures_do_not_lock_the_legitimate_users_address(client, settings, admin):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(settings.LOGIN_THROTTLE_LIMIT + 3):
        response = _post(client, admin.username, "guess", "203.0.113.66")
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert not _logged_in(client)
    response = _post(client, admin.username, PASSWORD, "198.51.100.7")
    assert response.status_code == 302 and _logged_in(client)


@pytest.mark.django_db
def test_the_proxy_header_is_ignored_unless_the_proxy_is_trusted(client, settings, viewer):
    settings.TRUSTED_PROXIES = []
    for number in range(settings.LOGIN_THROTTLE_LIMIT):
        _post(client, viewer.username, "guess", f"203.0.113.{number}")  # spoofed, ignored
    response = _post(client, viewer.username, PASSWORD, "198.51.100.7")
    assert response.status_code == 429 and not _logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.django_db
def test_the_proxy_header_is_honoured_when_the_proxy_is_trusted(client, settings, viewer):
    settings.TRUSTED_PROXIES = [PROXY]
    _post(client, viewer.username, "guess", "203.0.113.1")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.1"]


@pytest.mark.django_db
def test_a_locked_pair_is_refused_without_checking_the_password_and_says_until_when(
    client, settings, viewer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 29, 3, 0, 0, tzinfo=dt.UTC), tick=False)
    settings.LOGIN_THROTTLE_LIMIT = 3
    for _ in range(3):
        _post(client, viewer.username, "guess", "203.0.113.1")
    response = _post(client, viewer.username, PASSWORD, "203.0.113.1")
    # 10:00 in Hà Nội; the lock lasts the window (15 minutes) from the last failure.
    assert "thử lại sau 10:15:00 (khoảng 15 phút nữa)" in response.content.decode()
    assert not _logged_in(client)
    assert AccessAttempt.objects.get().failures_since_start == 3  # the refusal was not counted
    time_machine.shift(dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW + 1))
    assert _post(client, viewer.username, PASSWORD, "203.0.113.1").status_code == 302


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_the_username_down_progressively(
    client, settings, viewer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 29, 3, 0, 0, tzinfo=dt.UTC), tick=False)
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_DELAY_AFTER, settings.LOGIN_DELAY_SECONDS = 3, 30
    for number in range(3):  # three addresses, one failure each: no pair is locked
        _post(client, viewer.username, "guess", f"203.0.113.{number}")
    # The third failure starts a 30-second wait for the username, from any address.
    response = _post(client, viewer.username, PASSWORD, "198.51.100.7")
    assert "thử lại sau 10:00:30 (khoảng 30 giây nữa)" in response.content.decode()
    assert not _logged_in(client)
    time_machine.shift(31)
    _post(client, viewer.username, "guess", "203.0.113.9")  # a fourth failure: 60 seconds
    time_machine.shift(59)
    assert _post(client, viewer.username, PASSWORD, "198.51.100.7").status_code == 429
    time_machine.shift(2)
    assert _post(client, viewer.username, PASSWORD, "198.51.100.7").status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_other_usernames_are_not_slowed_down(client, settings, viewer, council):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_DELAY_AFTER = 2
    for number in range(4):
        _post(client, viewer.username, "guess", f"203.0.113.{number}")
    assert _post(client, council.username, PASSWORD, "203.0.113.1").status_code == 302


@pytest.mark.django_db
def test_logins_failures_and_lockouts_are_audited(client, settings, viewer):
    settings.LOGIN_THROTTLE_LIMIT = 2
    _post(client, "nobody", "guess", "")
    _post(client, viewer.username, "guess", "")
    _post(client, viewer.username, "guess", "")
    _post(client, viewer.username, PASSWORD, "")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_repr"))
    assert actions == [
        ("auth.login_failed", "nobody"),
        ("auth.login_failed", viewer.username),
        ("auth.login_failed", viewer.username),
        ("auth.locked_out", viewer.username),
        ("auth.login_refused", viewer.username),
    ]
    assert AuditEntry.objects.filter(object_id=str(viewer.pk)).count() == 4
    AccessAttempt.objects.all().delete()
    _post(client, viewer.username, PASSWORD, "")
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == viewer and entry.new == {"address": PROXY, "two_factor": False}
