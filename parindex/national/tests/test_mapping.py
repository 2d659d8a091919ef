"""The 2025 reorganisation, 63 provinces into 34, seeded as data and used for comparisons."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from parindex.national import queries
from parindex.national.models import Province, ProvinceMerger
from parindex.national.tests.factories import make_table

pytestmark = pytest.mark.django_db

UNCHANGED = {
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn",
    "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
}  # fmt: skip


def test_a_fresh_database_knows_63_provinces_of_which_34_remain():
    assert Province.objects.count() == 63
    assert Province.objects.filter(last_year__isnull=True).count() == 34
    assert Province.objects.filter(last_year=2024).count() == 29


def test_every_province_merged_away_has_exactly_one_successor():
    links = list(
        ProvinceMerger.objects.filter(year=2025).select_related("successor", "predecessor")
    )
    assert len(links) == 52
    gone = set(Province.objects.filter(last_year=2024).values_list("name", flat=True))
    predecessors = [link.predecessor.name for link in links]
    successors = {link.successor.name for link in links}
    assert len(predecessors) == len(set(predecessors))
    assert set(predecessors) - successors == gone
    assert len(successors) == 23
    assert all(link.successor.last_year is None for link in links)
    assert not successors & UNCHANGED


@pytest.mark.parametrize(
    ("province", "predecessors"),
    [
        ("Tuyên Quang", ("Hà Giang", "Tuyên Quang")),
        ("Phú Thọ", ("Hòa Bình", "Phú Thọ", "Vĩnh Phúc")),
        ("TP. Hồ Chí Minh", ("Bà Rịa - Vũng Tàu", "Bình Dương", "TP. Hồ Chí Minh")),
        ("Cần Thơ", ("Cần Thơ", "Hậu Giang", "Sóc Trăng")),
        ("An Giang", ("An Giang", "Kiên Giang")),
    ],
)
def test_new_provinces_list_their_predecessors(province, predecessors):
    assert queries.predecessors_between(2024, 2025)[province] == predecessors


def test_no_merger_applies_between_earlier_years():
    assert queries.predecessors_between(2022, 2023) == {}
    assert "Hà Tĩnh" not in queries.predecessors_between(2024, 2025)


def test_after_the_merger_ranks_are_out_of_34_and_compared_like_with_like():
    old = {p.name: "80.00" for p in Province.objects.all()}
    old.update(
        {"Hà Tĩnh": "89.72", "Tuyên Quang": "90.00", "Hà Giang": "86.00", "Quảng Ninh": "91"}
    )
    make_table(2024, old)
    new = {p.name: "79.00" for p in Province.objects.filter(last_year__isnull=True)}
    new.update({"Hà Tĩnh": "90.46", "Tuyên Quang": "88.50", "Quảng Ninh": "92"})
    make_table(2025, new)
    out = StringIO()
    call_command("national_report", province="Tuyên Quang", year=2025, format="json", stdout=out)
    report = json.loads(out.getvalue())
    # 2024 re-cut: Tuyên Quang = mean(90, 86) = 88 → third after Quảng Ninh and Hà Tĩnh.
    assert (report["rank"], report["of"], report["previous_rank"], report["rank_change"]) == (
        3, 34, 3, 0,
    )  # fmt: skip
    out = StringIO()
    call_command("national_report", province="Hà Tĩnh", year=2025, format="md", stdout=out)
    assert (
        "xếp thứ 2/34 tỉnh, thành phố, giữ nguyên thứ hạng so với năm 2024 (thứ hạng năm 2024 "
        "quy đổi theo 34 tỉnh, thành phố sau sắp xếp; năm 2024 xếp thứ 3/63)"
    ) in out.getvalue()
    assert D(report["index_percent"]) == D("88.50")
