"""Results pages: ranking, unit, analysis, headroom (htmx), survey entry, publication, public."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parindex.assessments.models import Item
from parindex.results import analysis, queries, services
from parindex.results.tests.factories import SMALL_SET, enrol, make_round, store_index_set
from parindex.rounds.models import Round
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.django_db


def test_ranking_page_shows_ranks_bands_areas_and_the_change(client, scored, par_officer):
    client.force_login(par_officer)
    response = client.get(reverse("results:ranking", args=[scored.current.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tạm tính" in text
    assert "Sở Nhà" in text and "100,00" in text
    assert "▲ 3" in text  # HOME was fourth in 2024 (82.50) and is first now
    assert "<svg" in text and "chart-bars" in text


def test_ranking_shows_points_with_two_decimals_like_the_index(client, scored, par_officer):
    """Issue 14: "70,6" beside "70,60" read as two different numbers."""
    client.force_login(par_officer)
    text = client.get(reverse("results:ranking", args=[scored.previous.pk])).content.decode()
    cells = re.findall(
        r'class="unit-name">.*?</td>\s*<td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>',
        text,
        flags=re.S,
    )
    assert cells
    assert all(re.fullmatch(r"\d+,\d\d", value) for pair in cells for value in pair), cells


def test_ranking_filters_and_sorting_stay_in_the_url(client, scored, viewer):
    client.force_login(viewer)
    url = reverse("results:ranking", args=[scored.previous.pk])
    response = client.get(url, {"band": "Khá", "sort": "name"})
    text = response.content.decode()
    assert "Sở Nhà" in text and "Sở Khác" not in text
    fragment = client.get(url, {"q": "tài chính"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "Sở Tài chính" in fragment.content.decode()


def test_unit_page_shows_deductions_with_the_appraisers_reasons(client, scored, unit_head):
    client.force_login(unit_head)
    response = client.get(reverse("results:unit", args=[scored.previous.pk, "HOME"]))
    text = response.content.decode()
    assert "Chưa có báo cáo kết quả thực hiện kế hoạch" in text
    assert "82,50" in text and "Khá" in text


def test_a_unit_officer_cannot_read_another_units_details(client, scored, unit_head):
    client.force_login(unit_head)
    response = client.get(reverse("results:unit", args=[scored.previous.pk, "OTHER"]))
    assert response.status_code == 403


def test_what_if_answers_live_with_the_new_index_band_and_rank(client, scored, unit_editor):
    client.force_login(unit_editor)
    url = reverse("results:headroom", args=[scored.previous.pk, "HOME"])
    page = client.get(url)
    assert "1.2" in page.content.decode()
    fragment = client.get(url, {"c": ["1.2"]}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text
    # 1.2 at its maximum: 18/20 = 90.00 → Tốt, rank 3 → 3 (peers at 100, 100, 97.5)
    assert "90,00" in text and "Tốt" in text


def test_analysis_ranks_criteria_by_lost_points_with_a_heat_map(client, scored, par_officer):
    client.force_login(par_officer)
    response = client.get(reverse("results:analysis", args=[scored.previous.pk]))
    text = response.content.decode()
    assert "Mức độ hoàn thành kế hoạch" in text
    assert "heat-cell" in text and "—" in text  # STP's area 2 is not applicable
    detail = client.get(reverse("results:criterion", args=[scored.previous.pk, "SO", "1.2"]))
    assert "Chưa có báo cáo kết quả thực hiện kế hoạch" in detail.content.decode()


def test_the_heat_map_shows_its_units_a_page_at_a_time_in_rank_order(
    client, scored, par_officer, monkeypatch
):
    from parindex.results import views

    monkeypatch.setattr(views, "RANKING_PAGE", 3)
    client.force_login(par_officer)
    url = reverse("results:analysis", args=[scored.previous.pk])
    ranked = [
        row.unit_code
        for row in analysis.ranking(queries.round_results(scored.previous).types["SO"])
    ]
    shown = []
    for page in ("1", "2"):
        response = client.get(url, {"page": page})
        heat = response.context["heat_rows"]
        shown.append([row.unit_code for row, _cells in heat])
        assert all(len(cells) == len(response.context["areas"]) for _row, cells in heat)
    assert shown == [ranked[:3], ranked[3:]]
    assert "page=2" in client.get(url).content.decode()  # the link to the next page


def test_a_criterion_lists_its_losing_units_a_page_at_a_time(
    client, scored, par_officer, monkeypatch
):
    from parindex.results import views

    monkeypatch.setattr(views, "RANKING_PAGE", 1)
    client.force_login(par_officer)
    url = reverse("results:criterion", args=[scored.previous.pk, "SO", "1"])
    first, second = (client.get(url, {"page": page}) for page in ("1", "2"))
    losing = first.context["losing"]
    assert len(losing) >= 2  # the count and the total still cover every unit
    assert list(first.context["page_obj"]) == losing[:1]
    assert list(second.context["page_obj"]) == losing[1:2]
    assert "page=2" in first.content.decode()


def test_survey_grid_saves_values_and_lists_problems(client, scored, par_officer):
    client.force_login(par_officer)
    url = reverse("results:survey", args=[scored.current.pk])
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    response = client.post(url, {f"s_{item.pk}": "x1", f"v_{item.pk}": item.version})
    assert response.status_code == 200 and "x1" in response.content.decode()
    response = client.post(url, {f"s_{item.pk}": "70", f"v_{item.pk}": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.survey_answer == {"percent": "70"}


def test_the_survey_grid_shows_its_units_a_page_at_a_time_and_saves_on_its_page(
    client, scored, par_officer, monkeypatch
):
    from parindex.results import views

    monkeypatch.setattr(views, "SURVEY_PAGE", 2)
    client.force_login(par_officer)
    url = reverse("results:survey", args=[scored.current.pk])
    pages = [client.get(url, {"page": page}).context["grid"] for page in ("1", "2")]
    codes = [[row["unit"].code for row in grid] for grid in pages]
    assert codes == [["HOME", "OTHER"], ["STC", "STP"]]  # by unit code, two a page
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit__code="STP", criterion__code="3.1"
    )
    response = client.post(f"{url}?page=2", {f"s_{item.pk}": "70", f"v_{item.pk}": item.version})
    assert response.status_code == 302 and response.url.endswith("?page=2")
    item.refresh_from_db()
    assert item.survey_answer == {"percent": "70"}


@pytest.mark.parametrize(
    ("typed", "version", "problem"),
    [
        ("1e308", None, "“1e308” không phải là số"),
        ("0_5", None, "“0_5” không phải là số"),
        ("101", None, "“101” quá lớn: tối đa là 100."),
        ("70", "abc", "HOME / 3.1: người khác đã lưu giá trị này"),
    ],
    ids=["exponent", "underscore", "too-large", "tampered-version"],
)
def test_survey_grid_refuses_bad_typed_numbers_in_vietnamese(
    client, scored, par_officer, typed, version, problem
):
    client.force_login(par_officer)
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    data = {f"s_{item.pk}": typed, f"v_{item.pk}": version or item.version}
    response = client.post(reverse("results:survey", args=[scored.current.pk]), data)
    assert response.status_code == 200
    assert problem in response.content.decode()
    item.refresh_from_db()
    assert item.survey_answer == {"percent": "100"}


def test_publish_from_the_page_freezes_a_finalised_round(client, scored, par_officer):
    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    client.force_login(par_officer)
    response = client.post(reverse("results:publish", args=[scored.current.pk]), follow=True)
    assert "SHA-256" in response.content.decode()
    # On the results pages the fingerprint sits in a "Kiểm chứng" detail, not the header.
    html = client.get(reverse("results:ranking", args=[scored.current.pk])).content.decode()
    check = r"<details[^>]*><summary>Kiểm chứng</summary>[^<]*<code>[0-9a-f]{64}</code>"
    assert re.search(check, html)
    assert hasattr(Round.objects.get(pk=scored.current.pk), "snapshot")
    verify = client.get(reverse("results:verify", args=[scored.current.pk]))
    assert "Nguyên vẹn" in verify.content.decode()


def test_public_page_needs_no_login_once_opened(client, scored, par_officer):
    url = reverse("results:public", args=[scored.previous.pk])
    assert client.get(url).status_code == 404
    services.set_public_page(by=par_officer, round_=scored.previous, is_public=True)
    response = client.get(url)
    assert response.status_code == 200 and "Sở Tài chính" in response.content.decode()


def test_the_ranking_of_a_500_unit_round_runs_a_bounded_number_of_queries(
    client, par_officer, django_assert_max_num_queries
):
    index_set = store_index_set(SMALL_SET)
    so = unit_type("SO")
    units = UnitFactory.create_batch(500, unit_type=so)
    round_ = make_round("BIG", 2025, [index_set])
    enrol(round_, index_set, {unit: {"1.2": i % 4} for i, unit in enumerate(units)})
    client.force_login(par_officer)
    url = reverse("results:ranking", args=[round_.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.FINALISED)
    services.publish_round(by=par_officer, round_=round_)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_home_page_lists_published_results_and_rounds_to_publish(
    client, scored, viewer, par_officer
):
    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    client.force_login(viewer)
    text = client.get("/").content.decode()
    assert "Kết quả đã công bố: Đánh giá Chỉ số CCHC năm 2024" in text
    client.force_login(par_officer)
    assert "R2025 đã chốt" in client.get("/").content.decode()


def _page_queries(client, round_, unit_code) -> dict[str, int]:
    """Queries of each results page of a round, computed (empty cache) then served again."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {
        "ranking": reverse("results:ranking", args=[round_.pk]),
        "unit": reverse("results:unit", args=[round_.pk, unit_code]),
        "analysis": reverse("results:analysis", args=[round_.pk]),
        "csv": reverse("results:download", args=[round_.pk, "csv"]),
    }
    counts = {}
    for name, url in urls.items():
        for state in ("computed", "cached"):
            if state == "computed":
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, (name, state)
            counts[f"{name} {state}"] = len(captured.captured_queries)
    return counts


def test_results_pages_of_an_unpublished_round_run_as_many_queries_for_30_units_as_for_3(
    client, par_officer
):
    index_set = store_index_set(SMALL_SET)
    so = unit_type("SO")
    client.force_login(par_officer)
    counts = []
    for size in (3, 30):
        units = UnitFactory.create_batch(size, unit_type=so)
        round_ = make_round(f"N{size}", 2020 + size % 7, [index_set])
        enrol(round_, index_set, {unit: {"1.2": i % 4} for i, unit in enumerate(units)})
        counts.append(_page_queries(client, round_, units[0].code))
    assert counts[0] == counts[1]
    assert max(counts[1].values()) <= 40, counts[1]
    assert all(counts[1][f"{page} cached"] <= 20 for page in ("ranking", "unit", "analysis", "csv"))
