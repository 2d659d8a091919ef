"""Our province's results in the Ministry's survey: criteria found through the province's index
set, points lost by criterion, area and department, year on year; the page that shows them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex.assessments.tests.factories import save_index_set
from parindex.national import queries, services
from parindex.national.importing import parse_appraised
from parindex.national.models import Province
from parindex.national.survey import SurveyPoints, analyse_survey
from parindex.national.tests.factories import make_table


def test_criteria_are_ordered_by_points_lost_and_grouped_by_area_and_department():
    rows = [
        SurveyPoints("3.6.1", "Công khai TTHC", D("1"), D("0.80"), "Văn phòng UBND tỉnh"),
        SurveyPoints("8.1.1", "Hài lòng dịch vụ hành chính công", D("4"), D("3.10"), "Sở Nội vụ"),
        SurveyPoints("8.1.2", "Hài lòng y tế", D("2"), D("2"), "Sở Y tế"),
    ]
    before = [SurveyPoints("8.1.1", "", D("4"), D("3.50")), SurveyPoints("9.9", "", D("1"), D(0))]
    survey = analyse_survey(
        year=2024,
        rows=rows,
        all_lost_points=D("3.60"),
        area_names={"8": "Tác động của CCHC"},
        previous_year=2023,
        previous=before,
    )
    assert [row.code for row in survey.criteria] == ["8.1.1", "3.6.1", "8.1.2"]
    first = survey.criteria[0]
    assert (first.lost_points, first.percent, first.before, first.change) == (
        D("0.90"),
        D("77.50"),
        D("87.50"),
        D("-10.00"),
    )
    assert survey.criteria[1].before is None and survey.criteria[1].change is None
    assert [(a.key, a.name, a.lost_points) for a in survey.by_area] == [
        ("8", "Tác động của CCHC", D("0.90")),
        ("3", "3", D("0.20")),
    ]
    assert [o.key for o in survey.by_owner] == ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Y tế"]
    assert (survey.points, survey.max_points, survey.lost_points) == (D("5.90"), D(7), D("1.10"))
    assert survey.percent == D("84.29")  # 5.9 / 7 = 84.2857…
    assert survey.lost_share == D("30.56")  # 1.1 of the 3.6 points lost in all


def tinh_spec(valid_from: int, survey: list[str]) -> dict:
    leaves: list[dict[str, str | int]] = [
        {"code": code, "name": f"Tiêu chí {code}", "max_points": 1, "source": "survey"}
        for code in survey
    ]
    return {
        "code": "TINH-T",
        "name": "Bộ chỉ số cấp tỉnh",
        "unit_type": "TINH",
        "valid_from": valid_from,
        "bands": [{"code": "A", "name": "A", "min_percent": 0}],
        "criteria": [
            {
                "code": "3",
                "name": "Thủ tục hành chính",
                "children": [
                    {"code": "3.1", "name": "Công khai", "max_points": 2},
                    *[leaf for leaf in leaves if str(leaf["code"]).startswith("3.")],
                ],
            },
            {
                "code": "8",
                "name": "Tác động",
                "children": [leaf for leaf in leaves if str(leaf["code"]).startswith("8.")],
            },
        ],
    }


APPRAISED = {  # year → the Ministry's points of 3.1 (self-assessed), 3.6.1 and 8.1.1 (survey)
    2023: ("2", "0.9", "0.75"),
    2024: ("1.5", "0.7", "0.8"),
}


@pytest.fixture
def imported(db):
    save_index_set(tinh_spec(2024, ["3.6.1", "8.1.1"]))
    hatinh = Province.objects.get(name="Hà Tĩnh")
    for year, (p31, p361, p811) in APPRAISED.items():
        make_table(year, {"Hà Tĩnh": "88", "Nghệ An": "86"}, {"Hà Tĩnh": {"3": "90", "8": "80"}})
        body = (
            "criterion_code,criterion_name,max_points,points,owner\n"
            f"3.1,Công khai,2,{p31},VPUBND\n3.6.1,Minh bạch TTHC,1,{p361},VPUBND\n"
            f"8.1.1,Hài lòng,1,{p811},SNV\n"
        )
        rows = parse_appraised(body.encode())
        services.import_appraised(by=None, province=hatinh, year=year, rows=rows)
    services.set_our_province(by=None, province=hatinh)
    return hatinh


def test_survey_criteria_come_from_the_set_in_force_else_the_earliest(imported):
    save_index_set({**tinh_spec(2026, ["8.1.1"]), "code": "TINH-T"})
    assert queries.survey_codes(2024) == queries.survey_codes(2023) == {"3.6.1", "8.1.1"}
    assert queries.survey_codes(2027) == {"8.1.1"}


def test_the_page_shows_where_survey_points_were_lost_and_the_year_before(
    imported, client, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("national:survey"), {"year": 2024})
    assert response.status_code == 200
    survey = response.context["results"]
    assert [row.code for row in survey.criteria] == ["3.6.1", "8.1.1"]  # 3.1 is not a survey one
    assert (survey.lost_points, survey.all_lost_points) == (D("0.50"), D("1.00"))
    assert survey.previous_year == 2023
    assert survey.criteria[0].change == D("-20.00")
    text = response.content.decode()
    assert "Minh bạch TTHC" in text and "So với năm 2023" in text


def test_without_our_province_the_page_says_what_to_do_first(db, client, par_officer):
    client.force_login(par_officer)
    response = client.get(reverse("national:survey"))
    assert response.status_code == 200 and response.context["results"] is None
