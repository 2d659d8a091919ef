"""Hostile table files, built by the tests themselves (issue 10, finding 3), and a harness that
reads a file in a child process whose address space is capped.

Big members are built without compressing gigabytes: after a full flush, deflate forgets its
history, so one compressed block of a repeated chunk can be repeated as it is.
"""

from __future__ import annotations

import functools
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

MIB = 1024 * 1024
GIB = 1024 * MIB

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(rows: list[list[str]], *, dimension: str = "", prolog: bytes = b"") -> bytes:
    """A worksheet of inline-string cells (references written out)."""
    from parindex.documents.tables import column_letter

    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column_letter(index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for index, value in enumerate(row)
        )
        body.append(f'<row r="{number}">{cells}</row>')
    head = prolog + SHEET_HEAD if prolog else SHEET_HEAD
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return head + dim + b"<sheetData>" + "".join(body).encode() + b"</sheetData></worksheet>"


def xlsx(sheet: bytes, parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook around one sheet's XML; `parts` adds or replaces members."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        SHEET: sheet,
    }
    members.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- big members without big work -----------------------------------------------------------------


def _repeated_deflate(head: bytes, chunk: bytes, count: int, tail: bytes) -> tuple[bytes, int]:
    """Raw deflate of head + chunk * count + tail, and the CRC-32 of that content."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * count + end, crc


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of (name, raw deflate data, CRC-32, inflated size) written by hand, so that a
    member can be larger than anything we would inflate to build it."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    directory_offset = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(members),
            len(members),
            len(directory),
            directory_offset,
            0,
        )
    )
    return out.getvalue()


def _small(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def _workbook_members() -> list[tuple[str, bytes, int, int]]:
    return [
        _small("[Content_Types].xml", CONTENT_TYPES),
        _small("_rels/.rels", PACKAGE_RELS),
        _small("xl/workbook.xml", WORKBOOK),
        _small("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ]


@functools.cache
def member_bomb() -> bytes:
    """Finding 3a: an ".xlsx" (about 1 MB) one of whose members inflates to 1 GiB of zeros."""
    data, crc = _repeated_deflate(b"", b"\0" * MIB, 1024, b"")
    return _zip([*_workbook_members(), ("xl/media/image1.png", data, crc, GIB)])


@functools.cache
def content_types_bomb() -> bytes:
    """Finding 3a as uploaded evidence: a ".xlsx" whose [Content_Types].xml inflates to 1 GiB
    (the part an Office check reads first)."""
    data, crc = _repeated_deflate(b"<Types>", b" " * MIB, 1024, b"</Types>")
    members = _workbook_members()[1:]
    return _zip([("[Content_Types].xml", data, crc, GIB + 15), *members])


@functools.cache
def far_dimension() -> bytes:
    """Finding 3b: a few KB declaring the whole grid, A1:XFD1048576, with one far cell."""
    sheet = sheet_xml([["code", "name"], ["A", "x"]], dimension="A1:XFD1048576")
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return xlsx(sheet.replace(b"</sheetData>", far))


@functools.cache
def huge_sheet() -> bytes:
    """Finding 3c: a 1.2 MB workbook whose sheet XML is 1.2 GiB (a header row, then blanks)."""
    head = sheet_xml([["code", "name"]]).removesuffix(b"</sheetData></worksheet>")
    count = int(1.2 * 1024)
    tail = b"</sheetData></worksheet>"
    data, crc = _repeated_deflate(head, b" " * MIB, count, tail)
    return _zip([*_workbook_members(), (SHEET, data, crc, len(head) + count * MIB + len(tail))])


@functools.cache
def lying_sheet() -> bytes:
    """A sheet of 200 MB whose ZIP directory declares 100 KB: the directory cannot be trusted."""
    head = SHEET_HEAD + b"<sheetData>"
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (MIB // len(row))
    data, crc = _repeated_deflate(head, chunk, 200, b"</sheetData></worksheet>")
    return _zip([*_workbook_members(), (SHEET, data, crc, 100 * 1024)])


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@functools.cache
def billion_laughs() -> bytes:
    """Finding 8: a sheet whose XML starts with the billion laughs DOCTYPE."""
    sheet = sheet_xml([["code", "name"], ["&lol9;", "x"]])
    return xlsx(BILLION_LAUGHS + sheet.split(b"?>", 1)[1])


@functools.cache
def xxe_strings() -> bytes:
    """Finding 8: shared strings that pull in /etc/passwd through an external entity."""
    strings = (
        XXE + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&xxe;</t></si></sst>"
    )
    sheet = SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    sheet += b"</sheetData></worksheet>"
    rels = WORKBOOK_RELS.replace(
        b"</Relationships>",
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return xlsx(sheet, {"xl/sharedStrings.xml": strings, "xl/_rels/workbook.xml.rels": rels})


HOSTILE = {
    "member_bomb": member_bomb,
    "content_types_bomb": content_types_bomb,
    "far_dimension": far_dimension,
    "huge_sheet": huge_sheet,
    "lying_sheet": lying_sheet,
    "billion_laughs": billion_laughs,
    "xxe_strings": xxe_strings,
}

# Import pages and commands are checked against these: test id → (builder, TableError code).
IMPORT_CASES = {
    "finding-3b-far-dimension": ("far_dimension", "too_many_columns"),
    "finding-3c-huge-sheet-xml": ("huge_sheet", "zip_bomb"),
    "lying-zip-directory": ("lying_sheet", "damaged"),
    "finding-8-billion-laughs": ("billion_laughs", "xml_forbidden"),
    "finding-8-xxe": ("xxe_strings", "xml_forbidden"),
}


def post_to_import_page(client, url: str, filename: str, data: bytes, problems: list[str]):
    """POST the file to an import page (warmed up first, so only the refusal is timed) and
    check the page answers within two seconds with exactly these problems, escaped."""
    import html
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.get(url)  # templates and translations loaded
    started = time.monotonic()
    response = client.post(url, {"file": SimpleUploadedFile(filename, data)})
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.context["problems"] == problems
    assert html.escape(problems[0]) in response.content.decode()
    return response


# -- reading in a child process with a capped address space ---------------------------------------

_CHILD = """
import json, os, resource, sys, time
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from django.utils import translation
translation.activate("vi")
import importlib
module_name, function_name = sys.argv[2].rsplit(".", 1)
function = getattr(importlib.import_module(module_name), function_name)
for path in sys.argv[3:]:
    with open(path, "rb") as handle:
        data = handle.read()
    started = time.monotonic()
    try:
        function(data)
        outcome = {"outcome": "accepted"}
    except Exception as error:
        outcome = {"outcome": type(error).__name__, "code": getattr(error, "code", ""),
                   "message": str(error)}
    outcome["seconds"] = time.monotonic() - started
    outcome["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))
"""


def read_in_child(
    paths: list[Path], function: str, *, address_space: int = GIB, timeout: float = 60
) -> list[dict]:
    """Call `function(data)` (a dotted path) on each file in turn in one child Python whose
    address space is capped: each outcome (the exception's type, code and message), the seconds
    the call took and the child's peak resident memory so far, in MB."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(address_space), function, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.strip().splitlines()]
