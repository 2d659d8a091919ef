"""Evidence: the unit's library (uploads, cited documents) and the links from items to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments import queries
from parindex.assessments.models import (
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.assessments.services.base import Refused
from parindex.core import audit, refusals
from parindex.units.models import Unit


def _evidence_editable(item: Item, request: ExplanationRequest | None) -> None:
    assessment = item.assessment
    if request is not None:
        if lock := queries.explanation_lock_for(assessment):
            raise Refused(lock.message, code=lock.refusal_code)
        return
    if lock := queries.self_lock_for(assessment):
        raise Refused(lock.message, code=lock.refusal_code)


@transaction.atomic
def attach_evidence(
    *,
    item: Item,
    evidence: Evidence,
    by: User,
    request: ExplanationRequest | None = None,
) -> ItemEvidence:
    """Attach a document of the unit's library to an item (again in later rounds if wanted)."""
    if evidence.unit_id not in queries.evidence_unit_ids(item):
        raise Refused(
            _("This document belongs to another unit's library."), code="evidence.foreign_document"
        )
    _evidence_editable(item, request)
    link, created = ItemEvidence.objects.get_or_create(
        item=item, evidence=evidence, defaults={"added_by": by, "request": request}
    )
    if created:
        audit.record(
            item,
            "item.evidence_attached",
            by=by,
            new={"evidence": evidence.pk, "title": evidence.title},
        )
    return link


@transaction.atomic
def detach_evidence(*, item: Item, evidence: Evidence, by: User) -> None:
    """Take a document off an item (it stays in the library)."""
    link = ItemEvidence.objects.filter(item=item, evidence=evidence).first()
    if link is None:
        return
    _evidence_editable(item, link.request)
    link.delete()
    audit.record(
        item,
        "item.evidence_detached",
        by=by,
        old={"evidence": evidence.pk, "title": evidence.title},
    )


class UploadRefused(refusals.Refused):
    """An upload was refused (too big, not an accepted type); the message says why."""

    default_code = "evidence.upload_refused"


def upload_evidence(
    *,
    unit: Unit,
    by: User,
    file: Any,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
) -> tuple[Evidence, bool]:
    """Add an uploaded file to the unit's library; (evidence, False) if the same file was there.

    The size is limited by settings.UPLOAD_MAX_BYTES, the type is read from the content, the
    stored name is random and the SHA-256 is kept, so a second copy is recognised. The file is
    written first and removed again if the disk fills up or the row cannot be saved: no partial
    or orphan file is left behind.
    """
    from django.conf import settings

    from parindex.assessments import uploads
    from parindex.core.formatting import format_number
    from parindex.documents import tables

    if file.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": format_number(file.size / 1048576, 1),
                "limit": format_number(settings.UPLOAD_MAX_BYTES / 1048576, 1),
            },
            code="evidence_upload.too_large",
        )
    try:
        sniffed = uploads.sniff(file)
    except tables.TableError as error:  # an Office file that would unpack beyond any limit
        raise UploadRefused(error.message, code="evidence_upload.too_large_unpacked") from error
    if sniffed is None:
        raise UploadRefused(
            _("Only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files are accepted."),
            code="evidence_upload.wrong_type",
        )
    digest = uploads.sha256_of(file)
    existing = Evidence.objects.filter(unit=unit, kind=Evidence.Kind.FILE, sha256=digest).first()
    if existing:
        return existing, False
    name = uploads.clean_name(file.name)
    evidence = Evidence(
        unit=unit,
        kind=Evidence.Kind.FILE,
        title=title.strip() or name,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        original_name=name,
        content_type=sniffed.content_type,
        extension=sniffed.extension,
        size_bytes=file.size,
        sha256=digest,
        added_by=by,
    )
    _store_file(evidence, file)
    try:
        with transaction.atomic():
            evidence.save()
            audit.record(
                evidence,
                "evidence.uploaded",
                by=by,
                new={
                    "unit": unit.code,
                    "title": evidence.title,
                    "sha256": digest,
                    "size": file.size,
                },
            )
    except BaseException:
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence, True


def _store_file(evidence: Evidence, file: Any) -> None:
    """Write the upload under its random name; a full disk removes what was written and refuses."""
    from parindex.core.unavailable import FULL_ERRNOS

    field = evidence.file
    name = field.field.generate_filename(evidence, "upload")
    try:
        field.name = field.storage.save(name, file, max_length=field.field.max_length)
    except OSError as error:
        if field.storage.exists(name):
            field.storage.delete(name)  # the partial (often empty) file the failed write left
        if error.errno in FULL_ERRNOS:
            raise UploadRefused(
                _(
                    "The server has run out of storage space, so the file was not added. "
                    "Please tell the system administrator."
                ),
                code="evidence_upload.disk_full",
            ) from error
        raise


@transaction.atomic
def register_document(
    *,
    unit: Unit,
    by: User,
    title: str,
    number: str,
    issued_on: dt.date | None,
    issuer: str,
) -> tuple[Evidence, bool]:
    """Cite a document by number, date, issuer and title; (existing, False) if already cited."""
    if not title.strip():
        raise UploadRefused(_("Give the document's title."), code="evidence.no_title")
    if number.strip():
        # Compared casefolded in Python: SQLite folds only ASCII letters (Đ/đ would differ).
        wanted = number.strip().casefold()
        for existing in Evidence.objects.filter(
            unit=unit, kind=Evidence.Kind.DOCUMENT, issued_on=issued_on
        ):
            if existing.number.casefold() == wanted:
                return existing, False
    evidence = Evidence.objects.create(
        unit=unit,
        kind=Evidence.Kind.DOCUMENT,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        added_by=by,
    )
    audit.record(
        evidence,
        "evidence.registered",
        by=by,
        new={"unit": unit.code, "title": evidence.title, "number": evidence.number},
    )
    return evidence, True


def add_document(
    *,
    unit: Unit,
    by: User,
    file: Any = None,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
) -> tuple[Evidence, bool]:
    """Upload a file (when one is given) or cite a document in the unit's library."""
    fields: dict[str, Any] = {
        "title": title,
        "number": number,
        "issued_on": issued_on,
        "issuer": issuer,
    }
    if file is not None:
        return upload_evidence(unit=unit, by=by, file=file, **fields)
    return register_document(unit=unit, by=by, **fields)


def attach_new_evidence(
    *,
    item: Item,
    unit: Unit,
    by: User,
    request: ExplanationRequest | None = None,
    **document: Any,
) -> tuple[Evidence, bool]:
    """Add a document to `unit`'s library and attach it to an item, all or nothing.

    When the item is locked or anything else fails, the library is left as it was: no new
    entry, and no stored file on disk. Returns (evidence, whether it is new to the library).
    """
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            _evidence_editable(item, request)  # refused before anything is stored
            evidence, created = add_document(unit=unit, by=by, **document)
            if created and evidence.file:
                stored.append(evidence)
            attach_evidence(item=item, evidence=evidence, by=by, request=request)
    except BaseException:
        for new in stored:
            new.file.delete(save=False)
        raise
    return evidence, created
