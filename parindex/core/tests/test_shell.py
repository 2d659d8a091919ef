from __future__ import annotations

import pytest
from django.test import RequestFactory

from parindex.core.queries import Shell

pytestmark = pytest.mark.django_db


def _active(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return [item.label for item in Shell(request).nav if item.active]


def test_the_most_specific_menu_item_is_the_current_one(unit_editor):
    assert _active(unit_editor, "/assessments/inbox/") == ["Hộp thư"]
    assert _active(unit_editor, "/") == ["Trang chủ"]


def test_menu_shows_only_what_the_role_may_open(unit_editor, par_officer):
    request = RequestFactory().get("/")
    request.user = unit_editor
    labels = [item.label for item in Shell(request).nav]
    assert "Người dùng" not in labels
    request.user = par_officer
    assert "Người dùng" in [item.label for item in Shell(request).nav]
