"""Reading a rendered PDF's layout back: word boxes (poppler's `pdftotext -bbox`) and fonts.

Used by the render tests to compare a document with the sample of Decree 30/2020/NĐ-CP: where
the header blocks stand on page 1, that the motto is one line, that the signature and the
recipients come before the appendix, the fonts, and the margins of every page.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

POINT_MM = 25.4 / 72
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    text: str
    left: float  # millimetres from the page's left edge
    top: float  # millimetres from the page's top edge
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Layout:
    pages: list[tuple[float, float]]  # (width, height) in millimetres
    words: list[Word]

    def on(self, page: int) -> list[Word]:
        return [word for word in self.words if word.page == page]

    def line(self, text: str, page: int | None = None) -> list[Word]:
        """The words of the first occurrence of `text` as consecutive words (one line or more)."""
        wanted = text.split()
        words = self.words if page is None else self.on(page)
        for start in range(len(words) - len(wanted) + 1):
            window = words[start : start + len(wanted)]
            if [word.text for word in window] == wanted:
                return window
        raise AssertionError(f"{text!r} is not in the rendered document")

    def page_of(self, text: str) -> int:
        return self.line(text)[0].page


def render_docx(data: bytes, folder: Path) -> bytes:
    """Convert a DOCX to PDF with LibreOffice (headless, a private profile) and return the PDF."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed to render a DOCX"
    source = folder / "document.docx"
    source.write_bytes(data)
    profile = folder / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return (folder / "document.pdf").read_bytes()


def layout(pdf: bytes) -> Layout:
    """Every word of the PDF with its box in millimetres."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        output = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    pages, words = [], []
    for number, match in enumerate(PAGE.finditer(output), start=1):
        pages.append((float(match[1]) * POINT_MM, float(match[2]) * POINT_MM))
        for x0, y0, x1, y1, text in WORD.findall(match[3]):
            words.append(
                Word(
                    number,
                    html.unescape(text),
                    float(x0) * POINT_MM,
                    float(y0) * POINT_MM,
                    float(x1) * POINT_MM,
                    float(y1) * POINT_MM,
                )
            )
    return Layout(pages, words)


def font_names(pdf: bytes) -> set[str]:
    """The embedded fonts' names without their subset prefix ("LiberationSerif-Bold")."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        output = subprocess.run(
            ["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60
        ).stdout
    names = set()
    for line in output.splitlines()[2:]:
        name = line.split()[0]
        names.add(name.split("+", 1)[-1])
    return names
