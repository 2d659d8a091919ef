"""The evidence library: upload hardening, duplicates, registered documents, the file view."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.assessments import services, uploads
from parindex.assessments.models import Evidence, ItemEvidence
from parindex.conftest import refuses
from parindex.documents.tests import hostile

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def upload(unit, user, name="bien-ban.pdf", content=PDF, **fields):
    return services.upload_evidence(
        unit=unit, by=user, file=SimpleUploadedFile(name, content), **fields
    )


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo CCHC năm 2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_an_oversized_file_is_refused(home_unit, unit_editor, settings):
    settings.UPLOAD_MAX_BYTES = 50
    with refuses("evidence_upload.too_large"):
        upload(home_unit, unit_editor, content=PDF * 3)
    assert not Evidence.objects.exists()


def test_an_executable_renamed_pdf_is_refused(home_unit, unit_editor):
    with refuses("evidence_upload.wrong_type"):
        upload(
            home_unit, unit_editor, name="quyet-dinh.pdf", content=b"MZ\x90\x00\x03" + b"\0" * 60
        )


def test_a_zip_that_is_not_an_office_document_is_refused(home_unit, unit_editor):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with refuses("evidence_upload.wrong_type"):
        upload(home_unit, unit_editor, name="bao-cao.docx", content=buffer.getvalue())


@pytest.mark.parametrize(
    "build", [hostile.content_types_bomb, hostile.member_bomb], ids=["content-types", "member"]
)
def test_finding_3a_evidence_xlsx_with_a_1_gib_member_is_refused_from_its_directory(
    home_unit, unit_editor, build
):
    """Issue 10, finding 3a: nothing is inflated, the refusal names the limit, nothing is kept."""
    content = build()
    started = time.process_time()  # CPU time of this process: other load does not count
    with refuses("evidence_upload.too_large_unpacked") as refused:
        upload(home_unit, unit_editor, name="so-lieu.xlsx", content=content)
    assert time.process_time() - started < 2
    assert refused.value.__cause__.code == "zip_bomb"
    assert "256 MB" in str(refused.value)
    assert not Evidence.objects.exists()


def test_evidence_zip_with_too_many_members_is_refused(home_unit, unit_editor):
    parts = {f"word/media/{n}.png": b"x" for n in range(2001)}
    content = hostile.xlsx(hostile.sheet_xml([["a"]]), parts)
    with refuses("evidence_upload.too_large_unpacked") as refused:
        upload(home_unit, unit_editor, name="bao-cao.docx", content=content)
    assert refused.value.__cause__.code == "too_many_members"


def test_evidence_bombs_stay_within_a_few_hundred_mb(tmp_path):
    """The Office check in a child process capped at 1 GiB of address space."""
    paths = []
    for build in (hostile.content_types_bomb, hostile.member_bomb):
        paths.append(tmp_path / f"{build.__name__}.xlsx")
        paths[-1].write_bytes(build())
    outcomes = hostile.read_in_child(paths, "parindex.assessments.tests.test_evidence.sniff_bytes")
    assert [o["code"] for o in outcomes] == ["zip_bomb", "zip_bomb"], outcomes
    assert all(o["seconds"] < 2 and o["max_rss_mb"] < 300 for o in outcomes), outcomes


def sniff_bytes(data: bytes) -> object:
    return uploads.sniff(io.BytesIO(data))


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("/abs/path/.hidden.pdf", "hidden.pdf"),
        ("bad\x00name<>.pdf", "badname.pdf"),
    ],
    ids=["unix-traversal", "windows-traversal", "absolute-dotfile", "control-characters"],
)
def test_path_tricks_in_names_never_reach_the_disk(home_unit, unit_editor, name, kept):
    evidence, created = upload(home_unit, unit_editor, name=name)
    assert created
    assert evidence.original_name == kept
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.name != kept and stored.suffix == ".pdf"
    assert len(stored.stem) == 32  # a random hex name


def test_office_documents_and_images_are_recognised_by_content(home_unit, unit_editor):
    docx, _ = upload(home_unit, unit_editor, name="bao-cao.bin", content=docx_bytes())
    xlsx, _ = upload(home_unit, unit_editor, name="so-lieu", content=xlsx_bytes())
    png, _ = upload(
        home_unit, unit_editor, name="anh.jpg", content=b"\x89PNG\r\n\x1a\n" + b"0" * 20
    )
    assert (docx.extension, xlsx.extension, png.extension) == (".docx", ".xlsx", ".png")
    assert png.content_type == "image/png"


def test_the_same_file_twice_is_detected_as_a_duplicate(home_unit, unit_editor):
    first, created = upload(home_unit, unit_editor, title="Kế hoạch CCHC 2024")
    again, created_again = upload(home_unit, unit_editor, name="ban-sao.pdf")
    assert created and not created_again
    assert again == first
    assert len(first.sha256) == 64
    assert Evidence.objects.count() == 1


def test_one_document_supports_many_criteria(assessment, home_unit, unit_editor):
    document, _ = services.register_document(
        unit=home_unit,
        by=unit_editor,
        title="Kế hoạch CCHC năm 2024",
        number="2629/QĐ-UBND",
        issued_on=dt.date(2023, 12, 23),
        issuer="UBND tỉnh",
    )
    for code in ("1.1", "1.2"):
        item = assessment.items.select_related("assessment__round").get(criterion__code=code)
        services.attach_evidence(item=item, evidence=document, by=unit_editor)
    assert ItemEvidence.objects.filter(evidence=document).count() == 2
    again, created = services.register_document(
        unit=home_unit,
        by=unit_editor,
        title="trùng",
        number="2629/qđ-ubnd",
        issued_on=dt.date(2023, 12, 23),
        issuer="",
    )
    assert again == document and not created


def test_a_document_dated_outside_the_year_is_flagged(client, assessment, home_unit, unit_editor):
    document, _ = services.register_document(
        unit=home_unit,
        by=unit_editor,
        title="Kế hoạch năm trước",
        number="12/KH",
        issued_on=dt.date(2022, 1, 5),
        issuer="",
    )
    item = assessment.items.select_related("assessment__round").get(criterion__code="1.1")
    services.attach_evidence(item=item, evidence=document, by=unit_editor)
    client.force_login(unit_editor)
    html = client.get(reverse("assessments:item_evidence", args=[item.pk])).content.decode()
    assert "ngoài năm đánh giá 2024" in html


def test_upload_through_the_item_panel_attaches_the_file(client, assessment, unit_editor):
    item = assessment.items.get(criterion__code="1.1")
    client.force_login(unit_editor)
    response = client.post(
        reverse("assessments:item_evidence", args=[item.pk]),
        {"kind": "file", "file": SimpleUploadedFile("kh.pdf", PDF), "title": "Kế hoạch"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Kế hoạch" in response.content.decode()
    assert ItemEvidence.objects.filter(item=item).count() == 1


def test_files_are_served_only_to_those_allowed_and_framable_same_origin(
    client, assessment, home_unit, unit_editor, other_editor, assigned_appraiser, viewer
):
    evidence, _ = upload(home_unit, unit_editor)
    url = reverse("assessments:evidence_file", args=[evidence.pk])
    client.force_login(unit_editor)
    response = client.get(url, headers={"Sec-Fetch-Dest": "iframe"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    client.force_login(assigned_appraiser)
    assert client.get(url).status_code == 404  # on no page the appraiser reads, yet
    item = assessment.items.get(criterion__code="1.1")
    services.attach_evidence(item=item, evidence=evidence, by=unit_editor)
    assert client.get(url).status_code == 200
    for stranger in (other_editor, viewer):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


HOSTILE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R"
    b" /OpenAction << /S /JavaScript /JS (app.alert\\('pwned'\\)) >> >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("fetch_dest", "disposition"),
    [("document", "attachment"), (None, "attachment"), ("iframe", "inline")],
    ids=["opened-in-a-tab", "old-browser", "preview-frame"],
)
def test_headers_pdf_with_openaction_javascript_is_downloaded_or_sandboxed(
    client, home_unit, unit_editor, fetch_dest, disposition
):
    """Finding 11: a PDF with /OpenAction JavaScript was served inline as a page of the site."""
    evidence, _ = services.upload_evidence(
        unit=home_unit, by=unit_editor, file=SimpleUploadedFile("x.pdf", HOSTILE_PDF)
    )
    client.force_login(unit_editor)
    headers = {"Sec-Fetch-Dest": fetch_dest} if fetch_dest else {}
    response = client.get(reverse("assessments:evidence_file", args=[evidence.pk]), headers=headers)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert policy[0] == "sandbox" and "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_office_files_are_downloaded_even_in_a_frame(client, home_unit, unit_editor):
    evidence, _ = services.upload_evidence(
        unit=home_unit, by=unit_editor, file=SimpleUploadedFile("b.xlsx", xlsx_bytes())
    )
    client.force_login(unit_editor)
    response = client.get(
        reverse("assessments:evidence_file", args=[evidence.pk]),
        headers={"Sec-Fetch-Dest": "iframe"},
    )
    assert response["Content-Disposition"].startswith("attachment")


def test_pages_other_than_files_keep_deny_framing(client, assessment, unit_editor):
    client.force_login(unit_editor)
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response["X-Frame-Options"] == "DENY"


def test_another_units_library_is_hidden(client, other_unit, unit_editor):
    client.force_login(unit_editor)
    assert client.get(reverse("assessments:library", args=[other_unit.pk])).status_code == 404
