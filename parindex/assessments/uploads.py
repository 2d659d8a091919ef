"""Checking uploaded evidence by its content: what a file is comes from its bytes, not its name.

Accepted: PDF, PNG, JPEG, and Office Open XML documents and workbooks (DOCX, XLSX) without
macros. An Office file is judged from its ZIP directory and never inflated whole: too many
members, a declared size or ratio no real document has, are refused (tables.TableError, with
its code) before anything is inflated, and only `[Content_Types].xml` is read, up to a small
cap. The uploader's file name is kept only as a label, cleaned of any path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from parindex.documents import tables

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}

# A 20 MB document of text and pictures unpacks to well under this; pictures hardly compress
# and Office XML compresses about ten times, never two hundred.
OFFICE_LIMITS = tables.ZipLimits(max_members=2000, max_inflated=256 * 1024 * 1024, max_ratio=200)
CONTENT_TYPES_MAX_BYTES = 256 * 1024  # a few KB in any real document


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(stream: IO[bytes]) -> Sniffed | None:
    """The type of an uploaded file from its first bytes (and, for Office files, its parts);
    None if it is no accepted type. tables.TableError if an Office file is a ZIP bomb."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith(b"PK\x03\x04"):
        content_type = _office_type(stream)
    if content_type is None:
        return None
    return Sniffed(content_type, EXTENSIONS[content_type])


def _office_type(stream: IO[bytes]) -> str | None:
    """DOCX or XLSX when the ZIP holds that document's parts and no macros; else None."""
    try:
        with zipfile.ZipFile(stream) as archive:
            tables.check_zip(archive, OFFICE_LIMITS)
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as member:
                types = member.read(CONTENT_TYPES_MAX_BYTES + 1)
            if len(types) > CONTENT_TYPES_MAX_BYTES:
                return None
    except tables.ZIP_ERRORS:
        return None
    finally:
        stream.seek(0)
    if b"macroEnabled" in types or any(name.endswith("vbaProject.bin") for name in names):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sha256_of(stream: IO[bytes]) -> str:
    """The SHA-256 of a file's content (kept to detect duplicates and prove integrity)."""
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def clean_name(name: str) -> str:
    """The uploader's file name without folders, control characters or leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE.sub("", name).strip().lstrip(".").strip()
    return name[:200] or "tai-lieu"
