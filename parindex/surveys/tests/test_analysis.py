"""Analysis: distributions, points lost per question and group, year on year, SIPAS, PAPI."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.conftest import refuses
from parindex.core.models import AuditEntry, Setting
from parindex.surveys import analysis, scoring
from parindex.surveys.models import PapiScore, SipasRecord
from parindex.surveys.services import indices
from parindex.surveys.tests.factories import (
    QUESTIONNAIRE_YAML,
    add_response,
    campaign,
    make_round,
    questionnaire,
    survey_set,
)
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def units(db):
    so = unit_type("SO")
    return [UnitFactory(code=code, name=f"Sở {code}", unit_type=so) for code in ("SNV", "STC")]


@pytest.fixture
def scores(units):
    survey_set()
    run = campaign(units=units)
    snv, stc = units
    add_response(run, snv, "LDP", {"Q1": "A", "Q2": "C", "Q4": "A"})
    add_response(run, snv, "LDP", {"Q1": "B", "Q2": "X", "Q4": "B"})
    add_response(run, snv, "DN", {"Q1": "D", "Q3": "K", "Q4": "X"})
    add_response(run, stc, "DN", {"Q1": "C", "Q3": "C"})
    return scoring.campaign_scores(run)


def test_the_distribution_counts_answers_per_group_and_option(scores):
    leaves = {leaf.code: leaf for leaf in analysis.distribution(scores, "SNV")}
    q1 = leaves["8.1"].questions[0]
    ldp, dn = q1.groups
    assert [(code, n) for code, _label, n in ldp.counts] == [
        ("A", 1),
        ("B", 1),
        ("C", 0),
        ("D", 0),
        ("X", 0),
    ]
    assert (ldp.answers, ldp.counted, ldp.percent) == (2, 2, D("80.00"))
    assert (dn.answers, dn.percent) == (1, D("0.00"))
    assert q1.percent == D("53.33")  # (2 × 80 + 0) / 3
    assert leaves["8.1"].responses == 4
    province = {leaf.code: leaf for leaf in analysis.distribution(scores)}
    assert province["8.2"].responses == 2 and province["8.2"].units_without_data == 0
    assert province["8.3"].units_without_data == 1  # STC has no answer to Q4


def test_lost_points_split_over_questions_and_groups(scores):
    lost = analysis.lost_points(scores, "SNV")
    by_question = {row.question: row.lost for row in lost.by_question}
    # 8.1 (max 4): Q1 53.33 %, Q2 20 % → each question stands for 2 points
    assert by_question["Q1"] == D("0.93") and by_question["Q2"] == D("1.60")
    assert by_question["Q3"] == D("2.00")  # 0 % of 2
    by_group = {row.group: row.lost for row in lost.by_group}
    assert set(by_group) == {"LDP", "DN"}
    assert lost.without_data == 0
    province = analysis.lost_points(scores)
    assert province.without_data == D("2.00")  # STC: 8.3 without data
    assert province.by_question[0].lost >= province.by_question[-1].lost
    exact_total = sum(
        (r.max_points - r.points for u in scores.results.values() for r in u.values()), D(0)
    )
    assert abs(province.total - exact_total) <= D("0.05")


def test_year_on_year_compares_each_question_with_last_years_campaign(units):
    survey_set("SO-XHH-24", 2024)
    survey_set()
    old = questionnaire(
        QUESTIONNAIRE_YAML.replace("XHH-SO-T", "XHH-SO-24").replace(
            "index_set: SO-XHH", "index_set: SO-XHH-24"
        )
    )
    old_run = campaign(old, make_round("CCHC-2024", 2024, [old.index_set]))
    add_response(old_run, units[0], "LDP", {"Q1": "B", "Q2": "B"})
    new_run = campaign(units=units)
    add_response(new_run, units[0], "LDP", {"Q1": "A", "Q2": "C"})
    assert analysis.previous_campaign(new_run) == old_run
    rows = {
        row.code: row
        for row in analysis.year_on_year(
            scoring.campaign_scores(new_run), scoring.campaign_scores(old_run)
        )
    }
    assert (rows["Q1"].now, rows["Q1"].before, rows["Q1"].change) == (
        D("100.00"),
        D("60.00"),
        D("40.00"),
    )
    assert rows["Q2"].change == D("-40.00")
    assert rows["Q3"].now is None and rows["Q3"].change is None


SIPAS = [
    "2025,SNV,Chính sách,Trách nhiệm giải trình,Công khai,8,10",
    "2025,SNV,Chính sách,Sự tham gia,Lấy ý kiến,1,4",
    "2025,STC,Chính sách,Trách nhiệm giải trình,Công khai,10,10",
    "2025,STC,Dịch vụ hành chính công,Tiếp cận,Địa điểm,3,4",
    "2024,SNV,Chính sách,Trách nhiệm giải trình,Công khai,5,10",
]


def _rows(lines):
    return [(number, line.split(",")) for number, line in enumerate(lines, start=2)]


def test_sipas_shares_per_unit_and_pooled_with_the_trend(units, par_officer):
    result = indices.import_sipas(rows=_rows(SIPAS), by=par_officer)
    assert (result.years, result.rows) == ([2024, 2025], 5)
    index, (policy,) = analysis.sipas_tree(2025, "SNV")
    assert policy.percent_rounded == D("52.50")  # (80 + 25) / 2
    assert [f.percent_rounded for f in policy.children] == [D("80.00"), D("25.00")]
    index, aspects = analysis.sipas_tree(2025)
    assert aspects[0].children[0].percent_rounded == D("90.00")  # 18 of 20, pooled
    names, units_rows = analysis.sipas_units(2025)
    assert names == ["Chính sách", "Dịch vụ hành chính công"]
    assert [(row.code, row.index) for row in units_rows] == [
        ("STC", D("87.50")),
        ("SNV", D("52.50")),
    ]
    trend = analysis.sipas_trend("SNV")
    assert [(year, value) for year, value, _aspects in trend] == [
        (2024, D("50.00")),
        (2025, D("52.50")),
    ]
    assert AuditEntry.objects.filter(action="surveys.sipas_imported", actor=par_officer).exists()
    # importing a year again replaces it
    indices.import_sipas(rows=_rows(SIPAS[:1]), by=None)
    assert SipasRecord.objects.filter(year=2025).count() == 1
    assert SipasRecord.objects.filter(year=2024).count() == 1


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("25,SNV,A,B,C,1,2", "survey_index_file.bad_year"),
        ("2025,SXX,A,B,C,1,2", "survey_index_file.unknown_unit"),
        ("2025,SNV,A,B,C,3,2", "survey_index_file.more_satisfied_than_answered"),
        ("2025,SNV,,B,C,1,2", "survey_index_file.empty"),
        ("2025,SNV,A,B,C,x,2", "survey_index_file.not_a_count"),
    ],
    ids=["year", "unit", "more-satisfied-than-answered", "empty-aspect", "not-a-count"],
)
def test_a_bad_sipas_row_refuses_the_file(units, line, code):
    with refuses("survey_index_file.invalid") as refused:
        indices.import_sipas(rows=_rows([line]), by=None)
    assert refused.value.codes == [code]
    assert " 2: " in refused.value.problems[0]
    assert not SipasRecord.objects.exists()


PAPI_HEADER = indices.PAPI_HEADER + ["total"]


def _papi(year, province, base, total=""):
    return f"{year},{province}," + ",".join(str(base + i / 10) for i in range(8)) + f",{total}"


def test_papi_puts_the_province_beside_the_national_average_and_peers(db):
    Setting.objects.create(key="national.province", value="Hà Tĩnh")
    lines = [
        _papi(2024, "Hà Tĩnh", 5),
        _papi(2024, "Nghệ An", 4),
        _papi(2024, "Quảng Bình", 6),
        _papi(2023, "Hà Tĩnh", 4.5),
        _papi(2023, "Nghệ An", 4, total="40.5"),
    ]
    result = indices.import_papi(header=PAPI_HEADER, rows=_rows(lines), by=None)
    assert result.years == [2023, 2024]
    assert PapiScore.objects.get(year=2024, province="Hà Tĩnh").total == D("42.8")
    assert PapiScore.objects.get(year=2023, province="Nghệ An").total == D("40.5")
    assert analysis.our_province() == "Hà Tĩnh"
    peers = analysis.default_peers(2024, "Hà Tĩnh")
    assert peers == ["Nghệ An", "Quảng Bình"]
    rows = {row.code: row for row in analysis.papi_view(2024, "Hà Tĩnh", peers)}
    assert rows["participation"].ours == D("5.0")
    assert rows["participation"].national == D("5")
    assert rows["participation"].peers == [D("4.0"), D("6.0")]
    assert rows["participation"].change == D("0.5")
    assert rows["total"].ours == D("42.8")
    trend = analysis.papi_trend("Hà Tĩnh")
    assert [(year, rank, of) for year, _ours, _avg, rank, of in trend] == [
        (2023, 2, 2),
        (2024, 2, 3),
    ]


@pytest.mark.parametrize(
    ("line", "code", "named"),
    [
        ("2024,Hà Tĩnh,11,1,1,1,1,1,1,1,", "survey_index_file.out_of_range", "participation"),
        ("2024,,1,1,1,1,1,1,1,1,", "survey_index_file.bad_province", ""),
        ("2024,Hà Tĩnh,1,1,1,1,1,1,1,1,90", "survey_index_file.out_of_range", "total"),
    ],
    ids=["dimension-above-10", "no-province", "total-above-80"],
)
def test_a_bad_papi_row_refuses_the_file(db, line, code, named):
    with refuses("survey_index_file.invalid") as refused:
        indices.import_papi(header=PAPI_HEADER, rows=_rows([line]), by=None)
    assert refused.value.codes == [code]
    assert named in refused.value.problems[0]
    with refuses("survey_index_file.bad_header") as refused:
        indices.import_papi(header=["nam", "tinh"], rows=[], by=None)
    assert "year,province" in str(refused.value)
