"""Finding 13 of issue 10: a full disk or a locked database gives a clear Vietnamese answer.

Item save, upload and login used to answer 500 (and the upload left a 0-byte file); a SQLite
database locked by another writer gave a 500 after 20 s. Now: a 503 page (or a form error) in
Vietnamese with Retry-After, nothing saved, no orphan file; `/healthz` says what is wrong.
"""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from parindex.accounts.tests.factories import PASSWORD
from parindex.assessments import services
from parindex.assessments.models import Evidence, Item
from parindex.assessments.tests.fixtures import *  # noqa: F403
from parindex.conftest import refuses
from parindex.core import audit, unavailable, views

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's file lock and busy timeout"
)


def disk_full(monkeypatch) -> None:
    """The storage fails like a full disk: it creates the file, then cannot write to it."""

    def _save(self, name, content):
        Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
        Path(self.path(name)).touch()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", _save)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def leaf(assessment, code: str) -> Item:
    return assessment.items.get(criterion__code=code)


def test_disk_full_upload_is_refused_in_vietnamese_and_leaves_no_file(
    client, assessment, unit_editor, monkeypatch
):
    before = stored_files()
    disk_full(monkeypatch)
    client.force_login(unit_editor)
    response = client.post(
        reverse("assessments:item_evidence", args=[leaf(assessment, "1.1").pk]),
        {"kind": "file", "file": SimpleUploadedFile("kh.pdf", PDF), "title": "Kế hoạch"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Máy chủ đã hết dung lượng lưu trữ" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files() == before


def test_disk_full_upload_service_raises_upload_refused(home_unit, unit_editor, monkeypatch):
    disk_full(monkeypatch)
    with refuses("evidence_upload.disk_full"):
        services.upload_evidence(
            unit=home_unit, by=unit_editor, file=SimpleUploadedFile("a.pdf", PDF)
        )


def test_disk_full_a_row_that_cannot_be_saved_takes_its_file_away(
    home_unit, unit_editor, monkeypatch
):
    before = stored_files()

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(Evidence, "save", full)
    with pytest.raises(OperationalError, match="disk is full"):
        services.upload_evidence(
            unit=home_unit, by=unit_editor, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert stored_files() == before


def test_disk_full_item_save_answers_503_in_vietnamese(
    client, assessment, unit_editor, monkeypatch
):
    def full(**kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(services, "save_self_item", full)
    client.force_login(unit_editor)
    current = leaf(assessment, "1.1")
    response = client.post(
        reverse("assessments:save_item", args=[current.pk]),
        {"version": 0, "value": "Chậm", "note": ""},
        headers=HTMX,
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    html = response.content.decode()
    assert "data-message" in html and "hết dung lượng lưu trữ" in html
    assert "Traceback" not in html
    current.refresh_from_db()
    assert current.self_answer is None


def test_disk_full_login_answers_503_in_vietnamese(client, par_officer, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def full(self, must_create=False):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(SessionStore, "save", full)
    response = client.post(
        reverse("accounts:login"), {"username": par_officer.username, "password": PASSWORD}
    )
    assert response.status_code == 503
    assert "hết dung lượng lưu trữ" in response.content.decode()


def test_locked_database_outside_a_view_still_gets_the_503_page(rf):
    request = rf.get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Hệ thống đang bận" in response.content.decode()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OperationalError("database is locked"), unavailable.Reason.BUSY),
        (OperationalError("database table is locked"), unavailable.Reason.BUSY),
        (OperationalError("database or disk is full"), unavailable.Reason.FULL),
        (OSError(errno.ENOSPC, "No space left on device"), unavailable.Reason.FULL),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), unavailable.Reason.FULL),
        (OperationalError("connection refused"), unavailable.Reason.DOWN),
        (OperationalError("no such table: units_unit"), None),
        (OSError(errno.EACCES, "Permission denied"), None),
        (ValueError("database is locked"), None),
    ],
    ids=["locked", "table-locked", "db-full", "enospc", "edquot", "down", "bug", "eacces", "other"],
)
def test_locked_database_and_full_disk_are_told_apart_from_bugs(error, reason):
    assert unavailable.reason_for(error) is reason


@SQLITE_ONLY
def test_locked_database_fails_fast_with_the_configured_busy_timeout(tmp_path):
    """Two real connections to one SQLite file with the project's options: the second waits
    for the busy timeout only, then gets "database is locked", which is a BUSY 503."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] <= 5
    fast = {**options, "timeout": 1}
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}
    holder, waiter = (
        DatabaseWrapper({**config, "OPTIONS": fast}, alias=name) for name in ("a", "b")
    )
    holder.cursor().execute("CREATE TABLE t (n integer)")
    holder.set_autocommit(False)
    holder.cursor().execute("INSERT INTO t VALUES (1)")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="locked") as locked:
        waiter.cursor().execute("INSERT INTO t VALUES (2)")
    assert time.monotonic() - started < 3
    assert unavailable.reason_for(locked.value) is unavailable.Reason.BUSY
    holder.rollback()
    holder.close()
    waiter.close()


@SQLITE_ONLY
def test_locked_database_item_save_answers_503_quickly(transactional_db, assessment, unit_editor):
    """Another thread holds a write transaction: the autosave answers 503, nothing changes."""
    client = Client()
    client.force_login(unit_editor)
    current = leaf(assessment, "1.1")
    holding, release = threading.Event(), threading.Event()

    def hold_a_write():
        # A table the autosave writes but does not read, so only the write has to wait.
        with transaction.atomic():
            audit.record(assessment, "test.holding", by=None)
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_a_write)
    holder.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        response = client.post(
            reverse("assessments:save_item", args=[current.pk]),
            {"version": 0, "value": "Chậm", "note": ""},
            headers=HTMX,
        )
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Hệ thống đang bận" in response.content.decode()
    assert elapsed < settings.DATABASES["default"]["OPTIONS"]["timeout"] + 3
    current.refresh_from_db()
    assert current.self_answer is None
