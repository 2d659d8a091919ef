"""Finding 14: two-factor authentication (TOTP and recovery codes), with real codes."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.urls import reverse

from parindex.accounts import twofactor
from parindex.accounts.tests.factories import PASSWORD
from parindex.accounts.tests.otp import totp
from parindex.conftest import refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
PAGE = reverse("accounts:two_factor")


def enrol(user) -> tuple[str, list[str]]:
    """Enrol `user` as the page would; return the base32 key and the recovery codes."""
    secret = twofactor.new_secret()
    text = twofactor.secret_text(secret)
    _device, codes = twofactor.enable_two_factor(user=user, secret=secret, code=totp(text))
    return text, codes


def next_code(text: str) -> str:
    """The code of the next time step: the enrolment code itself cannot be used twice."""
    return totp(text, at=time.time() + 30)


def log_in_with_password(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def test_totp_helper_matches_the_rfc6238_reference_vector():
    # RFC 6238, appendix B: key "12345678901234567890", T = 59 s, SHA-1, 8 digits: 94287082.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"


def test_enrolment_page_shows_a_server_drawn_qr_code_and_the_key(client, par_officer):
    client.force_login(par_officer)
    page = client.get(PAGE).content.decode()
    assert "<svg" in page and "qrline" in page  # drawn by segno on the server, no image fetched
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.get(PAGE).content.decode().count(secret) == 1  # same key until confirmed


def test_enrolment_with_a_real_code_turns_it_on_and_shows_recovery_codes_once(client, council):
    client.force_login(council)
    page = client.get(PAGE).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    response = client.post(PAGE, {"action": "enable", "code": totp(secret)})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page)
    assert len(codes) == 10
    again = client.get(reverse("accounts:two_factor_codes"))
    assert again.status_code == 302 and codes[0] not in client.get(PAGE).content.decode()
    assert twofactor.has_two_factor(council)
    assert AuditEntry.objects.filter(action="user.two_factor_enabled", actor=council).exists()


def test_a_wrong_code_does_not_enrol(client, council):
    client.force_login(council)
    client.get(PAGE)
    response = client.post(PAGE, {"action": "enable", "code": "000000"})
    assert "Mã không đúng" in response.content.decode()
    assert not twofactor.has_two_factor(council)


def test_login_asks_for_the_code_after_the_password_and_only_then_logs_in(client, admin):
    text, _codes = enrol(admin)
    response = log_in_with_password(client, admin)
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302  # not logged in yet
    assert "Xác thực hai lớp" in client.get(CODE).content.decode()
    response = client.post(CODE, {"code": next_code(text)})
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("core:home")).status_code == 200
    login = AuditEntry.objects.filter(action="auth.login", actor=admin).latest("id")
    assert login.new["two_factor"] is True


def test_a_wrong_code_leaves_the_person_logged_out(client, admin):
    enrol(admin)
    log_in_with_password(client, admin)
    response = client.post(CODE, {"code": "123456"})
    assert "Mã không đúng hoặc đã được sử dụng" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.two_factor_failed").exists()


def test_the_same_code_cannot_be_used_twice(client, admin):
    text, _codes = enrol(admin)
    code = next_code(text)
    log_in_with_password(client, admin)
    client.post(CODE, {"code": code})
    client.logout()
    log_in_with_password(client, admin)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, admin):
    _text, codes = enrol(admin)
    log_in_with_password(client, admin)
    response = client.post(CODE, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)
    assert twofactor.recovery_codes_left(admin) == 9
    client.logout()
    log_in_with_password(client, admin)
    response = client.post(CODE, {"code": codes[0]})
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="user.recovery_code_used").count() == 1


def test_the_code_step_expires(client, admin, time_machine):
    time_machine.move_to(time.time(), tick=True)
    text, _codes = enrol(admin)
    log_in_with_password(client, admin)
    time_machine.shift(twofactor.PENDING_SECONDS + 1)
    response = client.post(CODE, {"code": totp(text)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_limited(client, admin, settings, one_rate_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor": (3, 900)}
    text, _codes = enrol(admin)
    log_in_with_password(client, admin)
    for _ in range(3):
        client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": next_code(text)})
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona", "must_enrol"),
    [
        ("admin", True),
        ("par_officer", True),
        ("council", True),
        ("appraiser", False),
        ("unit_editor", False),
        ("unit_head", False),
        ("viewer", False),
    ],
)
def test_when_required_the_office_and_council_must_enrol_first(
    client, settings, request, persona, must_enrol
):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("core:home"))
    if must_enrol:
        assert response.status_code == 302 and response["Location"] == PAGE
        assert "bắt buộc xác thực hai lớp" in client.get(PAGE).content.decode()
    else:
        assert response.status_code == 200


def test_when_required_an_enrolled_but_unverified_session_must_give_a_code(
    client, settings, par_officer
):
    settings.TWO_FACTOR_REQUIRED = True
    text, _codes = enrol(par_officer)
    client.force_login(par_officer)  # a session that never gave a code
    assert client.get(reverse("units:list"))["Location"] == CODE
    client.post(CODE, {"code": next_code(text)})
    assert client.get(reverse("units:list")).status_code == 200


def test_when_required_enrolment_unlocks_the_site(client, settings, par_officer):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(par_officer)
    page = client.get(PAGE).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    client.post(PAGE, {"action": "enable", "code": totp(secret)})
    assert client.get(reverse("units:list")).status_code == 200


def test_it_cannot_be_turned_off_where_it_is_required(client, settings, par_officer):
    text, _codes = enrol(par_officer)
    settings.TWO_FACTOR_REQUIRED = True
    with refuses("two_factor.required"):
        twofactor.disable_two_factor(user=par_officer)
    settings.TWO_FACTOR_REQUIRED = False
    log_in_with_password(client, par_officer)
    client.post(CODE, {"code": next_code(text)})
    client.post(PAGE, {"action": "disable", "code": totp(text, at=time.time() + 60)})
    assert not twofactor.has_two_factor(par_officer)


def test_recovery_codes_can_be_renewed_with_a_code(client, viewer):
    text, old = enrol(viewer)
    log_in_with_password(client, viewer)
    client.post(CODE, {"code": next_code(text)})
    response = client.post(PAGE, {"action": "codes", "code": old[0]})
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.recovery_codes_left(viewer) == 10


def test_an_admin_resets_another_persons_two_factor_and_it_is_audited(client, admin, council):
    enrol(council)
    client.force_login(admin)
    edit = client.get(reverse("accounts:user_edit", args=[council.pk])).content.decode()
    assert "Đặt lại xác thực hai lớp" in edit
    response = client.post(reverse("accounts:user_reset_two_factor", args=[council.pk]))
    assert response.status_code == 302
    assert not twofactor.has_two_factor(council) and twofactor.recovery_codes_left(council) == 0
    entry = AuditEntry.objects.get(action="user.two_factor_reset")
    assert entry.actor == admin and entry.object_id == str(council.pk)
    assert entry.old == {"enrolled": True}


@pytest.mark.parametrize("persona", ["par_officer", "council", "viewer"])
def test_only_an_admin_may_reset_two_factor(client, request, council, persona):
    enrol(council)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("accounts:user_reset_two_factor", args=[council.pk]))
    assert response.status_code == 403
    assert twofactor.has_two_factor(council)
    edit = client.get(reverse("accounts:user_edit", args=[council.pk])).content.decode()
    assert "Đặt lại xác thực hai lớp" not in edit


def test_where_required_the_phone_can_be_changed_but_not_left_out(client, settings, par_officer):
    text, codes = enrol(par_officer)
    settings.TWO_FACTOR_REQUIRED = True
    log_in_with_password(client, par_officer)
    client.post(CODE, {"code": next_code(text)})
    response = client.post(PAGE, {"action": "phone", "code": codes[0]})
    assert response["Location"] == PAGE
    assert not twofactor.has_two_factor(par_officer)
    assert client.get(reverse("units:list"))["Location"] == PAGE  # the new phone, first
    assert 'id="totp-secret"' in client.get(PAGE).content.decode()
    assert AuditEntry.objects.filter(action="user.two_factor_phone_removed").exists()


def test_an_htmx_request_is_sent_to_enrolment_as_a_whole_page(client, settings, council):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(council)
    response = client.get(reverse("units:list"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == PAGE
