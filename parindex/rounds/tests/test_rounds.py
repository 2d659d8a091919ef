"""Rounds: creation (browser and command), schedule checks, matrix, extensions, dashboard."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from parindex.assessments import services as assessment_services
from parindex.assessments.models import Assessment
from parindex.assessments.tests.factories import round_dates, save_index_set, small_spec
from parindex.assessments.tests.fixtures import TZ
from parindex.conftest import refuses
from parindex.core import pickers
from parindex.core.models import AuditEntry
from parindex.indexsets.models import Criterion
from parindex.rounds import services
from parindex.rounds.models import Assignment, Extension, Round
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.django_db


def form_dates(start: dt.date) -> dict[str, str]:
    return {key: value.isoformat() for key, value in round_dates(start.year, start).items()}


def test_officer_creates_a_round_in_the_browser_with_every_active_unit(
    client, par_officer, small_set, home_unit, other_unit
):
    UnitFactory(code="GONE", unit_type=unit_type("SO"), active_to=dt.date(2024, 6, 1))
    client.force_login(par_officer)
    page = client.get(reverse("rounds:create")).content.decode()
    assert "Bộ chỉ số cho" in page
    response = client.post(
        reverse("rounds:create"),
        {
            "code": "CCHC-2024",
            "year": 2024,
            "name": "Đánh giá năm 2024",
            "set_SO": small_set.pk,
            **form_dates(dt.date(2024, 12, 1)),
        },
    )
    round_ = Round.objects.get(code="CCHC-2024")
    assert response.status_code == 302
    assert set(round_.assessments.values_list("unit__code", flat=True)) == {"HOME", "OTHER"}
    assessment = round_.assessments.get(unit=home_unit)
    assert assessment.items.count() == 7  # every leaf, survey and bonus included
    assert AuditEntry.objects.filter(action="round.created", actor=par_officer).exists()


def test_phase_dates_out_of_order_are_refused_with_every_problem(client, par_officer, small_set):
    client.force_login(par_officer)
    dates = form_dates(dt.date(2024, 12, 1))
    dates["appraisal_closes_on"] = "2024-11-01"
    html = client.post(
        reverse("rounds:create"),
        {"code": "X", "year": 2024, "name": "X", "set_SO": small_set.pk, **dates},
    ).content.decode()
    assert "Hạn thẩm định (01/11/2024) đang trước Hạn tự đánh giá (31/12/2024)" in html
    assert not Round.objects.exists()


def test_create_round_command_uses_the_published_sets(small_set, home_unit, other_unit):
    out = io.StringIO()
    call_command(
        "create_round",
        "CCHC-2024",
        "--year",
        "2024",
        "--indexset",
        "SO=T-SO",
        "--opens",
        "2024-12-01",
        stdout=out,
    )
    round_ = Round.objects.get(code="CCHC-2024")
    assert round_.assessments.count() == 2
    assert round_.self_assessment_closes_on > round_.self_assessment_opens_on
    assert "CCHC-2024" in out.getvalue()


def test_create_round_command_refuses_an_unknown_set(small_set):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_round", "R", "--year", "2024", "--indexset", "SO=NOPE")
    assert not Round.objects.exists()


def test_matrix_assigns_appraisers_in_bulk_and_audits(
    client, round_, par_officer, appraiser, home_unit, other_unit
):
    areas = list(Criterion.objects.filter(index_set__code="T-SO", parent__isnull=True))
    client.force_login(par_officer)
    page = client.get(reverse("rounds:assignments", args=[round_.pk])).content.decode()
    assert "điền cả cột" in page
    data = {f"cell-{home_unit.pk}-{area.pk}": appraiser.pk for area in areas}
    client.post(reverse("rounds:assignments", args=[round_.pk]), data)
    assert Assignment.objects.filter(round=round_, appraiser=appraiser).count() == len(areas)
    assert not Assignment.objects.filter(unit=other_unit).exists()
    assert AuditEntry.objects.filter(action="round.appraiser_assigned").count() == len(areas)
    client.post(reverse("rounds:assignments", args=[round_.pk]), {})
    assert not Assignment.objects.exists()


def test_an_extension_reopens_the_self_assessment_for_one_unit_only(
    round_, assessment, other_assessment, par_officer, home_unit, unit_editor, clock
):
    clock.move_to(dt.datetime(2025, 1, 3, 10, 0, tzinfo=TZ))
    item = assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code="1.3"
    )
    with pytest.raises(assessment_services.Refused, match="31/12/2024"):
        assessment_services.save_self_item(
            item=item, by=unit_editor, version=0, answer=None, note="x", no_evidence_reason=""
        )
    services.grant_extension(
        by=par_officer,
        round_=round_,
        unit=home_unit,
        phase="self_assessment",
        until_on=dt.date(2025, 1, 10),
        reason="Công văn 15/SNV đề nghị gia hạn do thay đổi lãnh đạo",
    )
    assessment_services.save_self_item(
        item=item, by=unit_editor, version=0, answer=None, note="x", no_evidence_reason=""
    )
    entry = AuditEntry.objects.get(action="round.extension_granted")
    assert entry.reason.startswith("Công văn 15/SNV")
    from parindex.assessments import queries

    lock = queries.self_lock_for(Assessment.objects.get(pk=other_assessment.pk))
    assert lock is not None and lock.code == "phase_closed"
    clock.move_to(dt.datetime(2025, 1, 11, 0, 1, tzinfo=TZ))
    lock = queries.self_lock_for(Assessment.objects.get(pk=assessment.pk))
    assert lock is not None and "10/01/2025" in lock.message


def test_an_extension_needs_a_reason_and_a_later_day(round_, par_officer, home_unit):
    with refuses("extension.no_reason"):
        services.grant_extension(
            by=par_officer,
            round_=round_,
            unit=home_unit,
            phase="self_assessment",
            until_on=dt.date(2025, 1, 10),
            reason=" ",
        )
    with refuses("extension.too_early") as refused:
        services.grant_extension(
            by=par_officer,
            round_=round_,
            unit=home_unit,
            phase="self_assessment",
            until_on=dt.date(2024, 12, 20),
            reason="Lý do",
        )
    assert "31/12/2024" in str(refused.value)  # the round's own deadline is named
    assert not Extension.objects.exists()


@pytest.mark.parametrize(
    ("route", "unit_of"),
    [
        ("rounds:detail", lambda row: row.assessment.unit),
        ("rounds:units", lambda assessment: assessment.unit),
    ],
    ids=["dashboard", "units"],
)
def test_a_rounds_units_show_a_page_at_a_time_and_export_all_together(
    client, round_, assessment, par_officer, monkeypatch, route, unit_of
):
    from openpyxl import load_workbook

    from parindex.rounds import views

    monkeypatch.setattr(views, "DASHBOARD_PAGE", 1)
    client.force_login(par_officer)
    url = reverse(route, args=[round_.pk])
    shown = [
        [unit_of(row).code for row in client.get(url, {"page": page}).context["page_obj"]]
        for page in ("1", "2")
    ]
    assert shown == [["HOME"], ["OTHER"]]
    assert "page=2" in client.get(url).content.decode()
    response = client.get(reverse("rounds:export", args=[round_.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["HOME", "OTHER"]


def test_dashboard_filters_sorts_and_exports(client, round_, assessment, par_officer):
    from openpyxl import load_workbook

    client.force_login(par_officer)
    page = client.get(reverse("rounds:detail", args=[round_.pk]), {"sort": "-unit"})
    html = page.content.decode()
    assert html.index("OTHER") < html.index("HOME")
    html = client.get(
        reverse("rounds:detail", args=[round_.pk]), {"search": "Nhà"}
    ).content.decode()
    assert "Sở Nhà" in html and "Sở Khác" not in html
    response = client.get(reverse("rounds:export", args=[round_.pk]), {"sort": "unit"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn vị"
    assert [row[0] for row in rows[1:]] == ["HOME", "OTHER"]
    assert rows[1][9].date() == dt.date(2024, 12, 31)
    assert rows[1][10] == 21


def test_round_progress_xlsx_neutralises_formula_text(
    client, round_, assessment, par_officer, home_unit
):
    """Issue 10, finding 4: the unit's name is written as text that cannot run as a formula."""
    from openpyxl import load_workbook

    home_unit.name = '=HYPERLINK("http://x","Sở Nhà")'
    home_unit.save(update_fields=["name"])
    client.force_login(par_officer)
    response = client.get(reverse("rounds:export", args=[round_.pk]), {"sort": "unit"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "HOME")
    assert cell.value == '\'=HYPERLINK("http://x","Sở Nhà")'
    assert cell.data_type == "s"


def test_dashboard_runs_few_queries_whatever_the_number_of_units(
    client, par_officer, small_set, clock, django_assert_max_num_queries
):
    units = [UnitFactory(unit_type=unit_type("SO")) for _ in range(30)]
    created = services.create_round(
        by=par_officer,
        code="MANY",
        year=2024,
        name="Nhiều đơn vị",
        index_sets={"SO": small_set},
        dates=round_dates(2024),
        units=units,
    )
    client.force_login(par_officer)
    url = reverse("rounds:detail", args=[created.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_unit_out_only_while_untouched(round_, assessment, par_officer, home_unit, unit_editor):
    item = assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code="1.3"
    )
    from parindex import engine

    assessment_services.save_self_item(
        item=item, by=unit_editor, version=0, answer=engine.Count(0), note="", no_evidence_reason=""
    )
    with refuses("round.unit_has_scores"):
        services.remove_unit(by=par_officer, round_=round_, unit=home_unit, reason="nhầm")


def test_round_finalises_only_when_every_unit_is_approved(round_, council):
    with refuses("round.units_not_approved") as refused:
        services.finalise_round(by=council, round_=round_)
    assert "Sở Khác" in str(refused.value)  # the units still to approve are named


def test_index_set_for_another_unit_type_is_refused(par_officer):
    xa = save_index_set(small_spec(code="T-XA", unit_type_code="XA"))
    with refuses("round.invalid") as refused:
        services.create_round(
            by=par_officer,
            code="R",
            year=2024,
            name="R",
            index_sets={"SO": xa},
            dates=round_dates(2024),
        )
    assert "T-XA" in str(refused.value)


# --- the extensions page's unit picker ---------------------------------------------------------


def grant(client, round_, unit_text):
    return client.post(
        reverse("rounds:extensions", args=[round_.pk]),
        {
            "unit": unit_text,
            "phase": "self_assessment",
            "until_on": "10/01/2025",
            "reason": "Công văn 15/SNV đề nghị gia hạn",
        },
    )


def test_an_extension_goes_to_the_unit_whose_code_or_name_is_typed(
    client, round_, assessment, other_assessment, par_officer, home_unit, other_unit
):
    client.force_login(par_officer)
    page = client.get(reverse("rounds:extensions", args=[round_.pk])).content.decode()
    # the page offers no unit itself: a national round's 3,500 would be its whole weight
    assert 'list="id_unit-options"' in page and '<datalist id="id_unit-options">' in page
    assert home_unit.name not in page and other_unit.name not in page
    assert grant(client, round_, " home ").status_code == 302  # a code in any case
    assert grant(client, round_, "SỞ KHAC").status_code == 302  # its one name, case and marks aside
    granted = Extension.objects.filter(round=round_).values_list("unit__code", flat=True)
    assert sorted(granted) == ["HOME", "OTHER"]


def test_an_extension_for_a_unit_outside_the_round_is_refused_and_says_which(
    client, round_, assessment, par_officer
):
    outside = UnitFactory(code="NGOAI", name="Sở Ngoài", unit_type=unit_type("SO"))
    client.force_login(par_officer)
    for text in (outside.code, "KHONGCO", "Sở"):
        response = grant(client, round_, text)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"Không có đơn vị mã {text} tham gia đợt đánh giá này" in page
        assert f'value="{text}"' in page  # what was typed stays in the field
    assert not Extension.objects.exists()


def test_the_unit_picker_offers_the_rounds_units_matching_what_is_typed(
    client, round_, assessment, other_assessment, par_officer, monkeypatch
):
    UnitFactory(code="NGOAI", name="Sở Ngoài", unit_type=unit_type("SO"))  # not in the round
    client.force_login(par_officer)
    url = reverse("rounds:unit_options", args=[round_.pk])

    def offered(text):
        page = client.get(url, {"unit": text}).content.decode()
        return re.findall(r'<option value="([^"]+)">', page)

    assert offered("") == ["HOME", "OTHER"]
    assert offered("khác") == ["OTHER"]
    assert offered("SỞ KHAC") == ["OTHER"]  # case and marks ignored, on SQLite too
    assert offered("khac so") == ["OTHER"]  # every word, in any order
    assert offered("ome") == ["HOME"]
    assert offered("ngoai") == []
    monkeypatch.setattr(pickers, "OPTIONS", 1)
    assert offered("") == ["HOME"]
