"""Checking uploaded evidence by its content: what a file is comes from its bytes, not its name.

Accepted: PDF, PNG, JPEG, and Office Open XML documents and workbooks (DOCX, XLSX) without
macros. The uploader's file name is kept only as a label, cleaned of any path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(stream: IO[bytes]) -> Sniffed | None:
    """The type of an uploaded file from its first bytes (and, for Office files, its parts)."""
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
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
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
