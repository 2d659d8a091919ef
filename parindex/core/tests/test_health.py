"""/healthz (issue 10, finding 13): no login, no data, says which check failed."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from parindex.core import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_healthz_names_unwritable_media(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"  # under a file: no directory can be made there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"failed: media"


def test_healthz_names_a_database_that_does_not_answer(client, monkeypatch):
    class DeadCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: DeadCursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"failed: database"


def test_healthz_leaves_no_probe_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.get("/healthz")
    assert list(tmp_path.iterdir()) == []
