"""Finding 10: rate limits (password reset and change, uploads, imports, downloads), audit."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from parindex.accounts.tests.factories import PASSWORD
from parindex.conftest import PERSONAS, make_user
from parindex.core.models import AuditEntry
from parindex.core.tests import test_permission_matrix as matrix

# Every view that receives a file or applies an import (upload), or sends a document (download).
FILE_VIEWS = {
    "accounts:user_import": "upload",
    "assessments:add_evidence": "upload",
    "assessments:item_evidence": "upload",
    "assessments:ministry": "upload",
    "assessments:scores_import": "upload",
    "indexsets:upload": "upload",
    "indexsets:upload_apply": "upload",
    "national:import": "upload",
    "national:import_confirm": "upload",
    "national:appraised_import": "upload",
    "units:import": "upload",
    "surveys:questionnaire_import": "upload",
    "surveys:campaign_responses_import": "upload",
    "surveys:sipas_import": "upload",
    "surveys:papi_import": "upload",
    "surveys:questionnaire_export": "download",
    "monitoring:plan_import": "upload",
    "monitoring:minutes_upload": "upload",
    "monitoring:plan_export": "download",
    "monitoring:rates_csv": "download",
    "assessments:evidence_file": "download",
    "assessments:province_docx": "download",
    "assessments:council_minutes_docx": "download",
    "assessments:province_xlsx": "download",
    "indexsets:export": "download",
    "jobs:download": "download",
    "national:analysis_docx": "download",
    "national:analysis_xlsx": "download",
    "national:year": "download",
    "results:download": "download",
    "rounds:export": "download",
    "units:export": "download",
}
# A URL named like this takes or sends a file; a new one must be limited (and listed above).
FILE_WORDS = re.compile(r"import|export|download|upload|file|xlsx|docx|pdf|csv")


def _views(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_view_that_takes_or_sends_a_file_is_rate_limited():
    groups = {name: getattr(view, "rate_limit_group", None) for name, view in _views()}
    assert {name: groups[name] for name in FILE_VIEWS} == FILE_VIEWS
    unlisted = [
        name
        for name in groups
        if FILE_WORDS.search(name.rsplit(":", 1)[-1]) and name not in FILE_VIEWS
    ]
    assert not unlisted, f"file views missing from FILE_VIEWS and the rate limits: {unlisted}"


@pytest.fixture
def world(request, home_unit, other_unit):
    """The objects of the permission matrix (every app's `routes.setup`)."""
    world = SimpleNamespace(home_unit=home_unit, other_unit=other_unit)
    for persona in PERSONAS:
        setattr(world, persona, request.getfixturevalue(persona))
    for module in matrix.MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


DOWNLOAD_QUERY = {"national:year": {"format": "xlsx"}}


@pytest.mark.django_db
def test_every_document_download_is_audited(client, world):
    downloads = [name for name, group in FILE_VIEWS.items() if group == "download"]
    for name in downloads:
        route = matrix.ROUTES[name]
        url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
        query = {**(route.data(world) if route.data else {}), **DOWNLOAD_QUERY.get(name, {})}
        persona = "admin" if "admin" in route.allowed else sorted(route.allowed)[0]
        client.force_login(getattr(world, persona))
        response = client.get(url, query)
        assert response.status_code == 200 and response.has_header("Content-Disposition"), name
        entry = AuditEntry.objects.filter(action="document.downloaded").latest("id")
        assert (entry.object_id, entry.actor) == (name, getattr(world, persona)), name
        assert entry.object_repr.startswith(url)
    assert AuditEntry.objects.filter(action="document.downloaded").count() == len(downloads)


@pytest.mark.django_db
def test_a_page_that_is_not_a_document_is_not_audited_as_a_download(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("national:year", kwargs={"year": 2022})).status_code == 200
    assert not AuditEntry.objects.filter(action="document.downloaded").exists()


@pytest.mark.django_db
def test_downloads_past_the_rate_get_the_vietnamese_429_page(
    client, settings, viewer, one_rate_window
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "download": (2, 300)}
    client.force_login(viewer)
    for _ in range(2):
        assert client.get(reverse("units:export")).status_code == 200
    response = client.get(reverse("units:export"))
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 300
    assert AuditEntry.objects.filter(action="document.downloaded").count() == 2


@pytest.mark.django_db
def test_imports_past_the_rate_are_refused_before_reading_the_file(
    client, settings, par_officer, one_rate_window
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 300)}
    client.force_login(par_officer)
    url = reverse("accounts:user_import")
    for _ in range(3):
        upload = SimpleUploadedFile("u.csv", b"username,full_name,email,role,unit_code\n")
        response = client.post(url, {"file": upload})
    assert response.status_code == 429
    assert client.get(url).status_code == 200  # only what sends files in is counted


@pytest.mark.django_db
def test_rates_are_per_user(client, settings, viewer, council, one_rate_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "download": (1, 300)}
    client.force_login(viewer)
    client.get(reverse("units:export"))
    assert client.get(reverse("units:export")).status_code == 429
    client.force_login(council)
    assert client.get(reverse("units:export")).status_code == 200


@pytest.mark.django_db
def test_fifteen_reset_requests_send_three_emails(client, mailoutbox, viewer, one_rate_window):
    url = reverse("accounts:password_reset")
    statuses = [client.post(url, {"email": viewer.email}).status_code for _ in range(15)]
    assert statuses == [302] * 3 + [429] * 12
    assert len(mailoutbox) == 3
    assert "thử lại sau khoảng" in client.post(url, {"email": viewer.email}).content.decode()


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_address(client, mailoutbox, one_rate_window):
    people = [make_user(f"person{number}") for number in range(15)]
    url = reverse("accounts:password_reset")
    statuses = [client.post(url, {"email": person.email}).status_code for person in people]
    assert statuses == [302] * 5 + [429] * 10
    assert len(mailoutbox) == 5
    assert AuditEntry.objects.filter(action="auth.password_reset_requested").count() == 5


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_email_across_addresses(
    client, settings, mailoutbox, viewer, one_rate_window
):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    url = reverse("accounts:password_reset")
    for number in range(15):
        client.post(
            url,
            {"email": viewer.email.upper()},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    assert len(mailoutbox) == 3
    entry = AuditEntry.objects.filter(action="auth.password_reset_requested").earliest("id")
    assert entry.object_id == str(viewer.pk) and entry.new["address"] == "203.0.113.0"


@pytest.mark.django_db
def test_password_change_refuses_even_the_right_password_after_wrong_ones(
    client, viewer, time_machine
):
    time_machine.move_to("2026-11-29 10:00", tick=False)
    client.force_login(viewer)
    url = reverse("accounts:password_change")
    new = {"new_password1": "Mật-khẩu-mới-2026", "new_password2": "Mật-khẩu-mới-2026"}
    for _ in range(20):
        client.post(url, {"old_password": "wrong", **new})
    response = client.post(url, {"old_password": PASSWORD, **new})
    assert response.status_code == 429
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)
    time_machine.shift(901)
    response = client.post(url, {"old_password": PASSWORD, **new})
    assert response["Location"] == reverse("accounts:password_change_done")
    entry = AuditEntry.objects.get(action="auth.password_changed")
    assert entry.actor == viewer


@pytest.mark.django_db
def test_a_password_chosen_from_the_link_is_audited(client, viewer, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    form_url = client.get(link.group(1))["Location"]
    new = "Mật-khẩu-mới-2026"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    viewer.refresh_from_db()
    assert viewer.check_password(new)
    assert AuditEntry.objects.filter(
        action="auth.password_reset", object_id=str(viewer.pk)
    ).exists()
