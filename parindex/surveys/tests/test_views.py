"""The survey pages: what each shows, the office's actions, filters in the URL, bounded queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parindex.assessments.models import Item
from parindex.conftest import make_user
from parindex.surveys.models import (
    Campaign,
    Invitation,
    PaperEntry,
    Questionnaire,
    Response,
    Target,
)
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
def run(db):
    survey_set()
    so = unit_type("SO")
    units = [UnitFactory(code=f"S{n:02d}", name=f"Sở số {n}", unit_type=so) for n in range(1, 8)]
    run = campaign(units=units)
    for unit in units[:5]:
        add_response(run, unit, "LDP", {"Q1": "A", "Q2": "B", "Q4": "C"})
        add_response(run, unit, "DN", {"Q1": "C", "Q3": "K", "Q4": "D"})
    return run


def get(client, user, name, **kwargs):
    client.force_login(user)
    params = kwargs.pop("params", "")
    return client.get(reverse(f"surveys:{name}", kwargs=kwargs) + params)


def test_the_overview_lists_campaigns_with_filters_and_sorting(client, run, viewer):
    response = get(client, viewer, "index", params="?status=open&sort=-responses")
    text = response.content.decode()
    assert response.status_code == 200
    assert "XHH-SO-T" in text and "Đang thu thập" in text
    assert (
        "XHH-SO-T"
        not in get(client, viewer, "index", params="?status=closed")
        .content.decode()
        .split("<h2")[1]
    )


def test_the_progress_page_shows_bars_per_unit_and_group(client, run, par_officer):
    Target.objects.create(
        campaign=run,
        unit=run.round.assessments.get(unit__code="S01").unit,
        group=run.questionnaire.groups.get(code="LDP"),
        sample=4,
    )
    text = get(client, par_officer, "campaign", pk=run.pk, params="?group=LDP").content.decode()
    assert '<progress class="survey-bar" max="100" value="25"' in text
    assert "Doanh nghiệp" not in text.split("<tbody>")[1]
    short = get(client, par_officer, "campaign", pk=run.pk, params="?state=short").content.decode()
    assert "S01" in short


def test_pages_run_a_bounded_number_of_queries(
    client, run, par_officer, django_assert_max_num_queries
):
    client.force_login(par_officer)
    for name in ("campaign", "campaign_results", "campaign_analysis", "campaign_responses"):
        url = reverse(f"surveys:{name}", kwargs={"pk": run.pk})
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200


def test_the_results_page_lists_leaves_without_data_and_offers_the_csv(client, run, council):
    text = get(client, council, "campaign_results", pk=run.pk).content.decode()
    assert "S06 8.1" in text and "S07 8.3" in text  # units without responses score 0
    assert "8.4" in text  # the survey criterion no question covers
    assert "Lãnh đạo cấp phòng" in text  # answers per group
    assert "Áp dụng vào đợt đánh giá" not in text  # the council reads, the office applies
    unit = get(client, council, "campaign_unit", pk=run.pk, code="S01").content.decode()
    assert "Chất lượng tham mưu" in unit and "Điểm bị mất" in unit
    assert get(client, council, "campaign_unit", pk=run.pk, code="NOPE").status_code == 404


def test_the_office_applies_the_points_after_a_preview(client, run, par_officer):
    preview = get(client, par_officer, "campaign_apply", pk=run.pk).content.decode()
    assert "15 giá trị điểm điều tra sẽ được ghi" in preview
    assert not Item.objects.exclude(survey_answer=None).exists()
    response = client.post(reverse("surveys:campaign_apply", kwargs={"pk": run.pk}))
    assert response.status_code == 302  # to the background job's page, which reports it
    assert Item.objects.exclude(survey_answer=None).count() == 15
    job = client.get(response["Location"]).content.decode()
    assert "Đã ghi 15 giá trị điểm điều tra" in job


def test_the_analysis_page_for_the_province_and_for_a_unit(client, run, viewer):
    text = get(client, viewer, "campaign_analysis", pk=run.pk).content.decode()
    assert "Q3" in text and "Doanh nghiệp" in text
    unit = get(client, viewer, "campaign_analysis", pk=run.pk, params="?unit=s02")
    assert unit.context["unit"] == "S02"  # a code in any case
    # the page lists no unit: the picker asks the campaign's units as one types
    assert 'list="id_unit-options"' in text and "Sở số 2" not in text
    named = get(client, viewer, "campaign_analysis", pk=run.pk, params="?unit=so+so+2")
    assert named.context["unit"] == "S02"  # its one name, marks aside
    unknown = get(client, viewer, "campaign_analysis", pk=run.pk, params="?unit=KHONGCO")
    assert unknown.context["unit"] == "" and "KHONGCO" in unknown.content.decode()
    options = client.get(reverse("surveys:campaign_unit_options", args=[run.pk]), {"unit": "s02"})
    assert '<option value="S02">' in options.content.decode()  # readers of the campaign too


def test_the_office_starts_a_campaign_and_sets_targets(client, par_officer, db):
    index_set = survey_set()
    stored = questionnaire()
    round_ = make_round("CCHC-2026", 2026, [index_set])
    UnitFactory(code="SNV", unit_type=unit_type("SO"))
    client.force_login(par_officer)
    response = client.post(
        reverse("surveys:campaign_create"),
        {"questionnaire": stored.pk, "round": round_.pk, "closes_on": "2099-01-31"},
    )
    run = Campaign.objects.get()
    assert response["Location"] == reverse("surveys:campaign", kwargs={"pk": run.pk})
    from parindex.rounds import services as rounds_services

    rounds_services.add_units(
        by=None, round_=round_, units=list(UnitFactory._meta.model.objects.all())
    )
    group = run.questionnaire.groups.get(code="DN")
    client.post(
        reverse("surveys:campaign_targets", kwargs={"pk": run.pk}),
        {"group": group.pk, "population": 100},
    )
    assert Target.objects.get().sample == 80


def test_the_office_downloads_qr_cards_for_new_links(client, run, par_officer):
    unit = run.round.assessments.get(unit__code="S01").unit
    group = run.questionnaire.groups.get(code="LDP")
    client.force_login(par_officer)
    response = client.post(
        reverse("surveys:campaign_invite", kwargs={"pk": run.pk}),
        {"sheet-unit": unit.code, "sheet-group": group.pk, "sheet-count": 3},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Invitation.objects.filter(campaign=run).count() == 3


def test_the_office_leaves_responses_out_and_back(client, run, par_officer):
    ids = list(Response.objects.filter(unit__code="S01").values_list("pk", flat=True))
    client.force_login(par_officer)
    url = reverse("surveys:campaign_responses", kwargs={"pk": run.pk})
    client.post(url, {"ids": ids, "action": "exclude", "reason": "Trùng phiếu"})
    assert Response.objects.exclude(excluded_reason="").count() == 2
    text = client.get(url + "?flag=excluded").content.decode()
    assert "Trùng phiếu" in text
    client.post(url, {"ids": ids, "action": "include"})
    assert not Response.objects.exclude(excluded_reason="").exists()


def test_the_responses_are_found_by_their_units_name_without_marks_or_by_their_id(
    client, run, par_officer
):
    client.force_login(par_officer)
    url = reverse("surveys:campaign_responses", kwargs={"pk": run.pk})
    first = Response.objects.filter(unit__code="S01").order_by("pk").first()

    def found(text):
        rows = client.get(url, {"q": text}).context["page_obj"].object_list
        return {(row.unit.code, row.response_id) for row in rows}

    assert {code for code, _id in found("SO so 1")} == {"S01"}
    by_id = found(first.response_id)  # "T1" is also in "T10"
    assert ("S01", first.response_id) in by_id
    assert all(first.response_id in response_id for _code, response_id in by_id)
    assert found("zzqq") == set()


def test_data_entry_types_a_paper_form_twice(client, run):
    unit = run.round.assessments.get(unit__code="S06").unit
    group = run.questionnaire.groups.get(code="LDP")
    url = reverse("surveys:paper", kwargs={"pk": run.pk})
    data = {
        "unit": unit.code,
        "group": group.pk,
        "form_number": "A-1",
        "q-Q1": "a",
        "q-Q2": "B",
        "q-Q4": "",
    }
    first, second = make_user("nhap1", "par_officer"), make_user("nhap2", "par_officer")
    client.force_login(first)
    page = client.get(url + f"?unit={unit.code}&group={group.pk}").content.decode()
    assert 'name="q-Q1"' in page and 'name="q-Q3"' not in page
    client.post(url, data)
    assert PaperEntry.objects.count() == 1 and not Response.objects.filter(channel="paper").exists()
    client.force_login(second)
    client.post(url, data)
    assert Response.objects.filter(channel="paper", response_id="P-A-1").exists()


def test_questionnaires_export_and_import_from_the_pages(client, run, par_officer, tmp_path):
    stored = run.questionnaire
    client.force_login(par_officer)
    yaml_file = client.get(
        reverse("surveys:questionnaire_export", kwargs={"pk": stored.pk}) + "?format=yaml"
    )
    assert yaml_file.content.decode() == QUESTIONNAIRE_YAML
    xlsx = client.get(
        reverse("surveys:questionnaire_export", kwargs={"pk": stored.pk}) + "?format=xlsx"
    )
    assert xlsx.content.startswith(b"PK")
    upload = tmp_path / "q.yaml"
    upload.write_text(QUESTIONNAIRE_YAML.replace("weight: 2}", "weight: 4}"), "utf-8")
    with upload.open("rb") as handle:
        client.post(reverse("surveys:questionnaire_import"), {"file": handle, "dry_run": "on"})
    assert Questionnaire.objects.count() == 1
    with upload.open("rb") as handle:
        response = client.post(
            reverse("surveys:questionnaire_import"), {"file": handle, "dry_run": ""}
        )
    assert response.status_code == 302 and Questionnaire.objects.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "v2" in detail


def test_sipas_and_papi_pages(client, viewer, db):
    so = unit_type("SO")
    UnitFactory(code="SNV", name="Sở Nội vụ", unit_type=so)
    indices.import_sipas(
        rows=[(2, ["2025", "SNV", "Dịch vụ", "Tiếp cận", "Địa điểm", "9", "10"])], by=None
    )
    header = [*indices.PAPI_HEADER, "total"]
    indices.import_papi(
        header=header,
        rows=[(2, ["2024", "Hà Tĩnh", *["5"] * 8, ""]), (3, ["2024", "Nghệ An", *["4"] * 8, ""])],
        by=None,
    )
    sipas = get(client, viewer, "sipas").content.decode()
    assert "90,00%" in sipas and "Sở Nội vụ" in sipas
    papi = get(client, viewer, "papi", params="?province=Nghệ An").content.decode()
    assert "Hà Tĩnh" in papi and "32,00" in papi


def test_targets_are_set_for_the_unit_typed_and_listed_a_page_at_a_time(
    client, run, par_officer, monkeypatch
):
    from parindex.surveys.views import office

    monkeypatch.setattr(office, "TARGETS_PAGE", 2)
    outside = UnitFactory(code="NGOAI", name="Sở Ngoài", unit_type=unit_type("SO"))
    group = run.questionnaire.groups.get(code="DN")
    client.force_login(par_officer)
    url = reverse("surveys:campaign_targets", kwargs={"pk": run.pk})
    refused = client.post(url, {"unit": outside.code, "group": group.pk, "sample": 5})
    assert "Không có đơn vị mã NGOAI trong đợt điều tra này" in refused.content.decode()
    assert not Target.objects.exists()
    client.post(url, {"unit": "s03", "group": group.pk, "sample": 5})  # a code in any case
    assert list(Target.objects.values_list("unit__code", "sample")) == [("S03", 5)]
    client.post(url, {"unit": "", "group": group.pk, "sample": 4})  # left empty: every unit
    assert Target.objects.count() == 7
    first, last = (client.get(url, {"page": page}).content.decode() for page in ("1", "4"))
    assert "Sở số 1" in first and "Sở số 2" in first and "Sở số 3" not in first
    assert "Sở số 7" in last and "Sở số 1" not in last
    assert 'list="id_unit-options"' in first  # the form offers no unit itself


def test_the_unit_picker_offers_the_campaigns_units_matching_what_is_typed(
    client, run, par_officer
):
    UnitFactory(code="S99", name="Sở số 99", unit_type=unit_type("SO"))  # not in the campaign
    client.force_login(par_officer)
    url = reverse("surveys:campaign_unit_options", kwargs={"pk": run.pk})

    def offered(text):
        page = client.get(url, {"unit": text}).content.decode()
        return re.findall(r'<option value="([^"]+)">', page)

    assert offered("") == [f"S{n:02d}" for n in range(1, 8)]
    assert offered("số 3") == ["S03"]
    assert offered("S9") == []
    page = client.get(url, {"sheet-unit": "số 4"}).content.decode()  # the links form's prefix
    assert re.findall(r'<option value="([^"]+)">', page) == ["S04"]


def test_a_paper_form_for_a_unit_outside_the_campaign_is_not_offered(client, run, par_officer):
    group = run.questionnaire.groups.get(code="LDP")
    client.force_login(par_officer)
    url = reverse("surveys:paper", kwargs={"pk": run.pk})
    page = client.get(url, {"unit": "KHONGCO", "group": group.pk}).content.decode()
    assert "Không có đơn vị mã KHONGCO trong đợt điều tra này" in page
    assert 'name="q-Q1"' not in page and 'value="KHONGCO"' in page
