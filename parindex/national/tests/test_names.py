"""Province names compare through keys: prefixes, case, hyphens and tone placement do not count."""

from __future__ import annotations

import unicodedata

import pytest

from parindex.national.names import ascii_key, name_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("TP Hồ Chí Minh", "hồ chí minh"),
        ("Tỉnh Hà Tĩnh", "HÀ TĨNH"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Hà Tĩnh", unicodedata.normalize("NFD", "Hà Tĩnh")),
        ("  Quảng   Ninh ", "Quảng Ninh"),
    ],
)
def test_spellings_of_one_name_share_a_key(first, second):
    assert name_key(first) == name_key(second)


def test_different_provinces_keep_different_keys():
    assert name_key("Hà Nam") != name_key("Hà Nội")
    assert name_key("Thừa Thiên Huế") != name_key("Huế")  # that one needs an alias


def test_ascii_key_drops_diacritics():
    assert ascii_key("Đắk Lắk") == "dak lak"
