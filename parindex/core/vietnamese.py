"""Vietnamese alphabetical order and accent-free matching, the same on every database.

Databases sort Vietnamese by code point or by their own collation (SQLite puts "Đắk Lắk" after
"Yên Bái"; PostgreSQL depends on the server's locale), so lists people read are sorted in
Python with `sort_key`, or in the database with `vietnamese_sql.vietnamese_order`: the
alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y first (primary; f, j, w and
z, which Vietnamese words lack, in their Latin places, as ICU's Vietnamese collation has them),
then the tone marks in dictionary order (no mark, huyền, hỏi, ngã, sắc, nặng), then the text
itself so that the order is total. `fold` strips every mark ("Đắk Lắk" → "dak lak") so that a
search typed without diacritics still finds its words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Marks that make a letter of its own (ă â ê ô ơ ư) and the five tone marks, by their order.
LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
_LETTER_BASE = 100  # letters sort after spaces, punctuation and digits


def _letters(text: str) -> list[tuple[str, int]]:
    """The text as (letter, tone) pairs: letters keep their own marks, tones are set apart."""
    pairs: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in TONES and pairs:
            letter, _tone = pairs[-1]
            pairs[-1] = (letter, TONES[char])
        elif char in LETTER_MARKS and pairs:
            letter, tone = pairs[-1]
            composed = unicodedata.normalize("NFC", letter + char)
            if len(composed) == 1:  # ă â ê ô ơ ư; a mark that makes no letter ("x̆") is dropped
                pairs[-1] = (composed, tone)
        elif unicodedata.combining(char):
            continue
        else:
            pairs.append(("đ" if char == "đ" else char, 0))
    return pairs


def _primary(letter: str) -> int:
    if letter in _RANK:
        return _LETTER_BASE + _RANK[letter]
    if letter.isalpha():  # letters of other alphabets: after z, by code point
        return _LETTER_BASE + len(ALPHABET) + ord(letter)
    return ord(letter) if ord(letter) < _LETTER_BASE else _LETTER_BASE - 1


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts Vietnamese text alphabetically (Đ after D, Ă and Â after A, tones last)."""
    pairs = _letters(text)
    return (tuple(_primary(letter) for letter, _tone in pairs), tuple(t for _l, t in pairs), text)


def sort_text(text: str) -> str:
    """`sort_key` as one text whose code-point order is the key's order (for a database that
    sorts by a computed column): the letters' ranks, then the tones, then the text itself."""
    primary, tones, original = sort_key(text)
    return f"{_chars(primary)}\x01{_chars(tones)}\x01{original}"


def _chars(ranks: tuple[int, ...]) -> str:
    """Ranks as characters in the same order, above the separator and past the surrogates
    (which no database text may hold)."""
    points = (rank + 2 if rank + 2 < 0xD800 else rank + 2 + 0x800 for rank in ranks)
    return "".join(chr(min(point, 0x10FFFF)) for point in points)


def sorted_vi(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """The items in Vietnamese alphabetical order of `key(item)`."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def fold(text: str) -> str:
    """Lower case without any mark, đ as d, spaces collapsed: "Sở Tư pháp" → "so tu phap"."""
    stripped = "".join(
        char
        for char in unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
        if not unicodedata.combining(char)
    )
    return " ".join(stripped.split())


# a query's words taken at most: more only cost time (a forged query of 20,000 words scanned
# every row that many times) or, in a database, grew its expression tree past its limit
MAX_WORDS = 10


def query_words(query: str) -> list[str]:
    """The words a search looks for: folded (`fold`), the first `MAX_WORDS`."""
    return fold(query).split()[:MAX_WORDS]


def matcher(query: str) -> Callable[..., bool]:
    """A test of texts against the query: whether every word of it (`query_words`, folded once
    for the whole list it filters) occurs in one of the texts, marks ignored."""
    words = query_words(query)
    return lambda *texts: has_words(words, *texts)


def has_words(words: list[str], *texts: str) -> bool:
    """Whether every word (folded already) occurs in one of the texts, marks ignored; False for
    no words. A word holds no space, so it cannot run from one text into the next."""
    haystack = " ".join(fold(text) for text in texts)
    return bool(words) and all(word in haystack for word in words)
