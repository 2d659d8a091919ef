"""The documents' typeface: Times New Roman (Decree 30/2020), or a metric twin with its glyphs.

Word documents name Times New Roman and leave the font to the reader's machine. PDFs embed the
font, so it must be on the server and carry the Vietnamese letters: Times New Roman where it is
installed (ttf-mscorefonts), else Liberation Serif 2 (metric-compatible with Times New Roman:
same widths, so lines break where Word breaks them; Debian's fonts-liberation2), else DejaVu
Serif from the system or the copy matplotlib ships. The same metrics measure the short rules
under the header lines in both writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/msttcorefonts"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
# (registered family, regular, bold, italic, bold italic), in order of preference.
FAMILIES = (
    (
        "TimesNewRoman",
        "Times_New_Roman.ttf",
        "Times_New_Roman_Bold.ttf",
        "Times_New_Roman_Italic.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
    ),
    (
        "LiberationSerif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    (
        "DejaVuSerif",
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic.ttf",
    ),
)
VIETNAMESE_SAMPLE = "ếộởữỳĐđ"
POINT_MM = 25.4 / 72


def _folders() -> Iterator[Path]:
    yield from FONT_DIRS
    import matplotlib  # its DejaVu copy, the last resort (imported only if it comes to that)

    yield Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@cache
def register_fonts() -> str:
    """Register the serif family (regular, bold, italic, bold italic) and return its name."""
    for family, *names in FAMILIES:
        if family in pdfmetrics.getRegisteredFontNames():
            return family
        for folder in _folders():
            files = [folder / name for name in names]
            if not all(path.exists() for path in files):
                continue
            regular = TTFont(family, str(files[0]))
            # Older Liberation releases (1.x) lack the Vietnamese letters: skip them.
            if not all(ord(char) in regular.face.charToGlyph for char in VIETNAMESE_SAMPLE):
                continue
            pdfmetrics.registerFont(regular)
            for suffix, path in zip(("-Bold", "-Italic", "-BoldItalic"), files[1:], strict=True):
                pdfmetrics.registerFont(TTFont(f"{family}{suffix}", str(path)))
            pdfmetrics.registerFontFamily(
                family,
                normal=family,
                bold=f"{family}-Bold",
                italic=f"{family}-Italic",
                boldItalic=f"{family}-BoldItalic",
            )
            return family
    raise RuntimeError("No serif TrueType font with Vietnamese glyphs: install fonts-liberation2.")


def width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """The printed width of one line of text in millimetres."""
    family = register_fonts()
    name = f"{family}-Bold" if bold else family
    return pdfmetrics.stringWidth(text, name, size) * POINT_MM
