"""An index set's import reads in words in the history, whatever it did to the set."""

from __future__ import annotations

import pytest
from django.utils import translation

from parindex.core import history
from parindex.core.models import AuditEntry


@pytest.mark.parametrize(
    ("new", "words"),
    [
        ({"code": "SO", "version": 1, "action": "created"}, ": phiên bản 1, bộ chỉ số mới"),
        ({"code": "SO", "version": 2, "action": "new_version"}, ": phiên bản 2, phiên bản mới"),
        ({"code": "SO", "version": 2, "action": "draft_replaced"}, ": phiên bản 2, thay dự thảo"),
    ],
)
def test_an_import_says_which_version_it_made_and_how(new, words):
    entry = AuditEntry(action="indexset.imported", new=new, object_repr="SO")
    with translation.override("vi"):
        text = history.sentence(entry, "Bộ chỉ số Sở")
    assert text.endswith(words) and "new_version" not in text and "action" not in text
