"""A new document attached to an item: both or neither (issue 10, finding 12). A refusal leaves
no entry in the unit's library and no file on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.assessments import services
from parindex.assessments.models import Assessment, Evidence, Item

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def leaf(assessment, code) -> Item:
    return assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code=code
    )


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


# -- finding 12: a new document attached to a locked item leaves no trace ----------------------


@pytest.mark.parametrize(
    "posted",
    [
        {"kind": "file", "title": "Kế hoạch"},
        {"kind": "document", "title": "Kế hoạch", "number": "12/KH-SNV"},
    ],
    ids=["file", "document"],
)
def test_attaching_a_new_document_to_a_locked_item_is_all_or_nothing(
    client, assessment, unit_editor, posted
):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    item = leaf(assessment, "1.1")
    before = stored_files()
    client.force_login(unit_editor)
    data = {**posted, "file": SimpleUploadedFile("kh.pdf", PDF)}
    html = client.post(
        reverse("assessments:item_evidence", args=[item.pk]), data, headers=HTMX
    ).content.decode()
    assert "Đã gửi lúc" in html  # the lock's reason
    assert not Evidence.objects.filter(unit=assessment.unit).exists()
    assert stored_files() == before


def test_a_failure_after_the_file_is_stored_removes_it(assessment, unit_editor, monkeypatch):
    item = leaf(assessment, "1.1")
    before = stored_files()

    def broken(**kwargs):
        raise services.Refused("the link cannot be written")

    monkeypatch.setattr(services.evidence, "attach_evidence", broken)
    with pytest.raises(services.Refused, match="the link cannot be written"):
        services.attach_new_evidence(
            item=item,
            unit=assessment.unit,
            by=unit_editor,
            file=SimpleUploadedFile("kh.pdf", PDF),
            title="Kế hoạch",
        )
    assert not Evidence.objects.filter(unit=assessment.unit).exists()
    assert stored_files() == before


def test_an_upload_whose_row_cannot_be_written_leaves_no_file(home_unit, unit_editor, monkeypatch):
    before = stored_files()

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(services.evidence.audit, "record", broken)
    with pytest.raises(RuntimeError, match="database is locked"):
        services.upload_evidence(
            unit=home_unit, by=unit_editor, file=SimpleUploadedFile("kh.pdf", PDF)
        )
    assert stored_files() == before
