"""The demo's national tables reproduce what is public about Hà Tĩnh, the memo's province."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.core.demo import load_demo
from parindex.national import queries
from parindex.national.models import NationalTable, Province
from parindex.national.report import build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_world):
    return Province.objects.get(name="Hà Tĩnh")


def test_demo_tables_match_the_published_figures(demo):
    assert list(NationalTable.objects.order_by("year").values_list("year", flat=True)) == [
        2021, 2022, 2023, 2024, 2025,
    ]  # fmt: skip
    assert queries.our_province_name() == "Hà Tĩnh"
    expected = {
        2022: (D("85.95"), 28, 63, 8, -20),
        2023: (D("88.35"), 18, 63, 28, 10),
        2024: (D("89.72"), 15, 63, 18, 3),
    }
    for year, figures in expected.items():
        a = build_report(province=demo, year=year).analysis
        assert (a.index_percent, a.rank, a.of, a.previous_rank, a.rank_change) == figures
    averages = {year: table.average() for year, table in queries.load_tables().items()}
    assert (averages[2021], averages[2023], averages[2024]) == (D("86.37"), D("86.98"), D("88.37"))
    assert build_report(province=demo, year=2025).analysis.of == 34


def test_demo_areas_led_by_the_department_moved_up_as_in_the_memo(demo):
    areas = {a.code: a.rank_change for a in build_report(province=demo, year=2022).analysis.areas}
    assert (areas["1"], areas["4"], areas["5"]) == (4, 1, 4)


def test_demo_appendix_accounts_for_every_lost_point(demo):
    report = build_report(province=demo, year=2022)
    assert sum(item.lost_points for item in report.appendix) == D("100") - D("85.95")
    assert {item.owner for item in report.appendix} >= {"Sở Nội vụ", "Sở Tư pháp"}
    assert report.analysis.area_headroom and report.analysis.owner_headroom


def test_demo_loads_once(demo):
    load_demo()
    assert NationalTable.objects.count() == 5


def test_every_criterion_the_demo_province_lost_has_an_owner_department(demo):
    """The demo's registry of criterion owners is filled: the national analysis can draft a
    remediation plan with a task for every lost criterion."""
    latest = max(queries.years())
    losses = queries.losses_to_remedy(latest)
    assert losses and all(loss.owner for loss in losses)


def test_demo_shows_our_survey_criteria_year_on_year(demo):
    survey = queries.survey_results("Hà Tĩnh", 2025)
    assert [row.code for row in sorted(survey.criteria, key=lambda row: row.code)] == [
        "8.1.1", "8.1.2", "8.1.3", "8.2.1", "8.2.2", "8.2.3", "8.3.1", "8.3.2",
    ]  # fmt: skip
    assert survey.max_points == 25 and survey.lost_points > 0
    assert survey.previous_year == 2024
    assert all(row.before is not None for row in survey.criteria)
