"""Province names as keys: the spellings of one province in published tables compare equal.

Pure Python (no Django): the migration that seeds the aliases and the import both use it.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (hoà, thuỷ) and new-style (hòa, thủy) give the same key.
_TONE_PLACEMENT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_PREFIXES = ("thành phố ", "tỉnh ", "tp ")
_PUNCTUATION = re.compile(r"[-–—.,;:()_/]+")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The key of a province name: "TP. Hồ Chí Minh" and "Thành phố Hồ Chí Minh" give the same."""
    text = unicodedata.normalize("NFC", name).casefold()
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    text = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    return text


def ascii_key(name: str) -> str:
    """The key without diacritics ("ha tinh"), used only when it identifies one province."""
    text = name_key(name).replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
