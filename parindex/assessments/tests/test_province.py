"""The province's own assessment: criterion owners, owner departments' entry, compiling, exports."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex.accounts import permissions
from parindex.accounts.models import Role
from parindex.assessments import province, queries, services
from parindex.assessments.models import Assessment, CriterionOwner, Evidence, Item
from parindex.assessments.tests.factories import round_dates, save_index_set, small_spec
from parindex.conftest import make_user, refuses
from parindex.indexsets.models import Criterion
from parindex.rounds import services as round_services
from parindex.units.models import Unit
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def province_spec() -> dict:
    """The small set as a central (TINH) set: area 1 owned by HOME, area 2 by OTHER, 2.2 HOME."""
    spec = small_spec(code="T-TINH", unit_type_code="TINH")
    areas = {area["code"]: area for area in spec["criteria"]}
    areas["1"]["owner"] = "HOME"
    areas["2"]["owner"] = "OTHER"
    areas["2"]["children"][1]["owner"] = "HOME"
    return spec


@pytest.fixture
def province_unit(db):
    return UnitFactory(code="PROV", name="Tỉnh Thử", unit_type=unit_type("TINH"))


@pytest.fixture
def province_assessment(clock, province_unit, home_unit, other_unit, par_officer) -> Assessment:
    index_set = save_index_set(province_spec())
    created = round_services.create_round(
        by=par_officer,
        code="CCHC-TINH-2024",
        year=2024,
        name="Tự đánh giá Chỉ số CCHC cấp tỉnh năm 2024",
        index_sets={"TINH": index_set},
        dates=round_dates(2024),
        units=[province_unit],
    )
    round_ = round_services.open_round(by=par_officer, round_=created)
    return Assessment.objects.get(round=round_, unit=province_unit)


def item(assessment: Assessment, code: str) -> Item:
    return Item.objects.select_related("criterion", "assessment__unit__unit_type").get(
        assessment=assessment, criterion__code=code
    )


def fresh(user):
    for name in ("_parindex_roles", "_parindex_owned"):
        user.__dict__.pop(name, None)
    return user


def test_owners_default_from_the_index_set_inherited_by_descendants(province_assessment):
    owners = province.owners(province_assessment.round_id, province_assessment.index_set_id)
    by_code = {
        c.code: owners[c.pk].unit_id
        for c in Criterion.objects.filter(index_set=province_assessment.index_set)
    }
    home, other = (Unit.objects.get(code=code).pk for code in ("HOME", "OTHER"))
    assert by_code["1"] == by_code["1.1"] == by_code["1.3"] == home
    assert by_code["2"] == by_code["2.1"] == other
    assert by_code["2.2"] == home  # its own owner in the index set
    assert by_code["B"] is None


def test_an_override_reaches_every_criterion_below_and_is_audited(
    province_assessment, other_unit, par_officer
):
    from parindex.core.models import AuditEntry

    area = Criterion.objects.get(index_set=province_assessment.index_set, code="2")
    changed = province.set_owners(
        round_=province_assessment.round,
        index_set_id=province_assessment.index_set_id,
        chosen={area.pk: other_unit.pk},
        by=par_officer,
    )
    assert changed == 0  # already OTHER by default: nothing to override
    first = Criterion.objects.get(index_set=province_assessment.index_set, code="1")
    changed = province.set_owners(
        round_=province_assessment.round,
        index_set_id=province_assessment.index_set_id,
        chosen={first.pk: other_unit.pk},
        by=par_officer,
    )
    assert changed == 1
    owners = province.owners(province_assessment.round_id, province_assessment.index_set_id)
    leaf = Criterion.objects.get(index_set=province_assessment.index_set, code="1.2")
    assert owners[leaf.pk] == province.Owned(other_unit.pk, True)
    assert CriterionOwner.objects.filter(round=province_assessment.round).count() == 1
    assert AuditEntry.objects.filter(action="round.criterion_owner_set").exists()


def test_the_owner_department_edits_exactly_its_criteria(
    province_assessment, unit_editor, unit_head, outsider
):
    other_editor = make_user("other_editor", Role.UNIT_EDITOR, province_assessment.unit)
    stranger_dept = make_user(
        "third_editor",
        Role.UNIT_EDITOR,
        UnitFactory(code="THIRD", name="Sở Ba", unit_type=unit_type("SO")),
    )
    owned, not_owned = item(province_assessment, "1.1"), item(province_assessment, "2.1")
    for user in (unit_editor, unit_head):
        assert permissions.has(fresh(user), "edit_province_item", owned)
        assert not permissions.has(fresh(user), "edit_province_item", not_owned)
        assert permissions.has(fresh(user), "view_province_share", province_assessment)
        assert not permissions.has(fresh(user), "view_assessment", province_assessment)
        assert not permissions.has(fresh(user), "submit_assessment", province_assessment)
    assert not permissions.has(fresh(stranger_dept), "edit_province_item", owned)
    assert not permissions.has(fresh(outsider), "view_province_share", province_assessment)
    # The province's own officers still edit everything, as for any unit.
    assert permissions.has(fresh(other_editor), "edit_assessment", province_assessment)


def test_the_owner_saves_its_criterion_and_is_refused_the_others(
    client, province_assessment, unit_editor
):
    client.force_login(unit_editor)
    owned, not_owned = item(province_assessment, "1.1"), item(province_assessment, "2.1")
    response = client.post(
        reverse("assessments:save_item", args=[owned.pk]),
        {"version": 0, "value": "Đúng hạn", "note": "Sở Nhà nhập"},
        headers=HTMX,
    )
    assert response.status_code == 200
    owned.refresh_from_db()
    assert owned.self_points == D("1.00") and owned.self_by == unit_editor
    assert (
        client.post(
            reverse("assessments:save_item", args=[not_owned.pk]),
            {"version": 0, "value": "1"},
            headers=HTMX,
        ).status_code
        == 404
    )
    assert client.get(reverse("assessments:item_history", args=[not_owned.pk])).status_code == 404
    assert (
        client.get(reverse("assessments:check", args=[province_assessment.pk])).status_code == 404
    )


def test_the_page_shows_only_the_owned_criteria(client, province_assessment, other_unit):
    other_editor = make_user("other_dept", Role.UNIT_EDITOR, other_unit)
    client.force_login(other_editor)
    page = client.get(reverse("assessments:detail", args=[province_assessment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Công khai thủ tục" in html  # 2.1, owned by OTHER
    assert "Khắc phục sau kiểm tra" not in html  # 2.2, owned by HOME
    assert "Ban hành kế hoạch" not in html  # area 1, HOME's
    page_one = client.get(
        reverse("assessments:detail", args=[province_assessment.pk]), {"area": "1"}
    ).content.decode()
    assert "Ban hành kế hoạch" not in page_one


def test_a_department_entering_its_share_is_not_told_nothing_applies(
    client, province_assessment, other_unit
):
    other_editor = make_user("other_dept", Role.UNIT_EDITOR, other_unit)
    enter(province_assessment, "2.1", "1", other_editor)
    client.force_login(other_editor)
    html = client.get(
        reverse("assessments:detail", args=[province_assessment.pk]), {"area": "2"}
    ).content.decode()
    assert "không có gì để tính điểm" not in html
    assert "Đã nhập" in html and "1/1" in html  # its share: one criterion, entered
    client.force_login(make_user("office_2", Role.PAR_OFFICER))
    html = client.get(reverse("assessments:detail", args=[province_assessment.pk])).content
    assert "không có gì để tính điểm" not in html.decode()  # the office reads the province's totals


def test_evidence_comes_from_the_owner_departments_library(
    client, province_assessment, unit_editor, home_unit, province_unit
):
    own = Evidence.objects.create(
        unit=home_unit, kind="document", title="Kế hoạch CCHC của Sở Nhà", added_by=unit_editor
    )
    theirs = Evidence.objects.create(
        unit=province_unit, kind="document", title="Văn bản của tỉnh", added_by=unit_editor
    )
    owned = item(province_assessment, "1.1")
    client.force_login(unit_editor)
    page = client.get(reverse("assessments:item_evidence", args=[owned.pk])).content.decode()
    assert "Kế hoạch CCHC của Sở Nhà" in page and "Văn bản của tỉnh" not in page
    client.post(reverse("assessments:item_evidence", args=[owned.pk]), {"evidence": own.pk})
    client.post(reverse("assessments:item_evidence", args=[owned.pk]), {"evidence": theirs.pk})
    assert list(owned.evidence_links.values_list("evidence_id", flat=True)) == [own.pk]
    other = Evidence.objects.create(
        unit=UnitFactory(code="X9", name="Sở X", unit_type=unit_type("SO")),
        kind="document",
        title="Lạ",
        added_by=unit_editor,
    )
    with refuses("evidence.foreign_document"):
        services.attach_evidence(item=owned, evidence=other, by=unit_editor)


def test_office_sees_the_whole_province_page(client, province_assessment, par_officer):
    client.force_login(par_officer)
    html = client.get(reverse("assessments:detail", args=[province_assessment.pk])).content
    assert "Ban hành kế hoạch" in html.decode()


def test_the_owner_department_sees_its_share_on_the_dashboard(
    client, province_assessment, unit_editor, par_officer
):
    client.force_login(unit_editor)
    html = client.get("/").content.decode()
    assert "CCHC-TINH-2024" in html and "31/12/2024" in html
    assert reverse("assessments:detail", args=[province_assessment.pk]) in html
    client.force_login(par_officer)
    html = client.get("/").content.decode()
    assert reverse("assessments:province", args=[province_assessment.pk]) in html


def enter(assessment, code, value, user, note=""):
    leaf = item(assessment, code)
    node = queries.engine_set_for(assessment).criterion(code)
    from parindex.assessments import answers

    services.save_self_item(
        item=leaf,
        by=user,
        version=leaf.version,
        answer=answers.parse_input(node, value, na=False),
        note=note,
        no_evidence_reason="",
    )
    return leaf


def test_compile_page_and_exports(client, province_assessment, unit_editor, par_officer, home_unit):
    import docx
    import openpyxl

    leaf = enter(province_assessment, "1.1", "Chậm", unit_editor, note="Ban hành chậm 10 ngày")
    doc = Evidence.objects.create(
        unit=home_unit,
        kind="document",
        title="Kế hoạch CCHC năm 2024",
        number="12/KH-SN",
        added_by=unit_editor,
    )
    services.attach_evidence(item=leaf, evidence=doc, by=unit_editor)
    client.force_login(par_officer)
    html = client.get(reverse("assessments:province", args=[province_assessment.pk])).content
    html = html.decode()
    assert "HOME" in html and "OTHER" in html
    assert "Ban hành chậm 10 ngày" in html and "12/KH-SN" in html

    response = client.get(reverse("assessments:province_xlsx", args=[province_assessment.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    first = next(row for row in rows if row[0] == "1.1")
    assert first[2] == "HOME" and first[3] == 1 and first[4] == 0.5
    assert "12/KH-SN" in first[6]
    totals = list(book.worksheets[1].iter_rows(values_only=True))
    assert next(row for row in totals if row[0] == "1")[3] == 0.5

    response = client.get(reverse("assessments:province_docx", args=[province_assessment.pk]))
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Ban hành kế hoạch" in cells and "0,5" in cells
    assert any("12/KH-SN" in text for text in cells)
    text = [p.text for p in document.paragraphs] + cells
    assert any("Bộ Nội vụ" in line for line in text)
    assert any("Chỉ số cải cách hành chính năm 2024" in line for line in text)


def test_ministry_points_entered_in_the_browser(client, province_assessment, par_officer):
    leaf = item(province_assessment, "1.2")
    client.force_login(par_officer)
    response = client.post(
        reverse("assessments:ministry", args=[province_assessment.pk]),
        {f"points-{leaf.pk}": "1,5"},
    )
    assert response.status_code == 302
    assert leaf.ministry.points == D("1.5")
    client.post(
        reverse("assessments:ministry", args=[province_assessment.pk]),
        {f"points-{leaf.pk}": "7"},
    )
    leaf.refresh_from_db()
    assert leaf.ministry.points == D("1.5")  # above the maximum: refused, nothing saved


def test_owners_page_saves_an_override(client, province_assessment, par_officer, other_unit):
    first = Criterion.objects.get(index_set=province_assessment.index_set, code="1")
    client.force_login(par_officer)
    url = reverse("assessments:owners", args=[province_assessment.round_id])
    assert "Ban hành kế hoạch" in client.get(url).content.decode()
    client.post(url, {f"owner-{first.pk}": other_unit.pk})
    assert CriterionOwner.objects.get(criterion=first).unit == other_unit


def test_the_national_appendix_is_fed_from_the_province_assessment(
    province_assessment, unit_editor, par_officer
):
    from parindex.core import services as core_services
    from parindex.national import queries as national

    enter(province_assessment, "1.1", "Chậm", unit_editor)  # 0,5 of 1
    enter(province_assessment, "1.2", "100%", unit_editor)  # 2 of 2 by itself
    ministry_leaf = item(province_assessment, "1.2")
    province.set_ministry_points(
        assessment=province_assessment, points={ministry_leaf.pk: D("1.25")}, by=par_officer
    )
    # Not our province: the imported appraised points (none here) are used.
    assert national.province_criteria("Tỉnh Thử", 2024) == []
    core_services.set_setting(key=national.OUR_PROVINCE_SETTING, value="Tỉnh Thử", by=None)
    lost = national.criteria_short_of_max(national.province_criteria("Tỉnh Thử", 2024))
    assert [(row.code, row.points, row.lost_points, row.owner) for row in lost] == [
        ("1.1", D("0.50"), D("0.50"), "Sở Nhà"),
        ("1.2", D("1.25"), D("0.75"), "Sở Nhà"),
    ]
    assert national.province_criteria("Tỉnh Thử", 2023) == []  # no assessment that year


def test_demo_province_round_is_part_filled_by_its_departments(client):
    from types import SimpleNamespace

    from parindex.accounts import demo as accounts_demo
    from parindex.accounts.models import User
    from parindex.assessments import demo as assessments_demo
    from parindex.assessments.tests.factories import load_sample
    from parindex.core.demo import DEMO_PASSWORD
    from parindex.units import demo as units_demo

    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    units_demo.load(world)
    load_sample("tinh-2024")
    accounts_demo.load(world)
    assessments_demo.load_province(world)
    assessment = world.province_assessment
    assert assessment.unit.code == "HT"
    canbo = User.objects.get(username="stp.canbo")
    owned = province.owned_criteria(canbo, assessment)
    entered = assessment.items.filter(self_answer__isnull=False)
    assert entered.filter(self_by=canbo).exists()
    assert set(entered.filter(self_by=canbo).values_list("criterion_id", flat=True)) <= owned
    assert entered.filter(criterion_id__in=owned, evidence_links__isnull=False).exists()
    client.force_login(canbo)
    assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 200
    client.force_login(User.objects.get(username="cchc"))
    html = client.get(reverse("assessments:province", args=[assessment.pk])).content.decode()
    assert "STP" in html and "SNV" in html


def test_ministry_points_imported_from_the_appraised_file(client, province_assessment, par_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = "criterion_code,criterion_name,max_points,points,owner\n"
    client.force_login(par_officer)
    url = reverse("assessments:ministry", args=[province_assessment.pk])
    bad = header + "1.1,Ban hành kế hoạch,1,0.5,HOME\n9.9,Không có,1,1,HOME\n"
    client.post(url, {"file": SimpleUploadedFile("d.csv", bad.encode())})
    assert (
        not item(province_assessment, "1.1")
        .__class__.objects.filter(ministry__isnull=False)
        .exists()
    )  # one bad line: nothing saved
    good = header + "1.1,Ban hành kế hoạch,1,0.5,HOME\n2.1,Công khai thủ tục,2,1.5,OTHER\n"
    response = client.post(url, {"file": SimpleUploadedFile("d.csv", good.encode())})
    assert response.status_code == 302
    assert item(province_assessment, "1.1").ministry.points == D("0.5")
    assert item(province_assessment, "2.1").ministry.points == D("1.5")


def test_a_malformed_ministry_file_is_refused_with_a_code_per_line(
    province_assessment, par_officer
):
    data = (
        "criterion_code,criterion_name,max_points,points,owner\n"
        "1.1,Ban hành kế hoạch,1,abc,HOME\n2.1,Công khai thủ tục,x,1,OTHER\n"
    ).encode()
    with refuses("ministry_points.file_invalid") as refused:
        province.import_ministry_points(assessment=province_assessment, data=data, by=par_officer)
    assert refused.value.codes == [
        "ministry_file.points_not_a_number",
        "ministry_file.max_not_positive",
    ]
    assert [problem.split(":")[0] for problem in refused.value.problems] == ["Dòng 2", "Dòng 3"]


def test_compile_page_runs_a_bounded_number_of_queries(
    client, province_assessment, par_officer, django_assert_max_num_queries
):
    client.force_login(par_officer)
    url = reverse("assessments:province", args=[province_assessment.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_provinces_officers_open_documents_departments_attached(
    province_assessment, unit_editor, home_unit, other_unit
):
    from django.http import Http404

    from parindex.assessments import queries

    doc = Evidence.objects.create(
        unit=home_unit, kind="document", title="Quyết định của Sở Nhà", added_by=unit_editor
    )
    services.attach_evidence(item=item(province_assessment, "1.1"), evidence=doc, by=unit_editor)
    province_officer = make_user("prov_officer", Role.UNIT_EDITOR, province_assessment.unit)
    assert queries.get_evidence_for_viewer(province_officer, doc.pk) == doc
    stranger = make_user("other_officer", Role.UNIT_EDITOR, other_unit)
    with pytest.raises(Http404, match="^$"):  # the bare refusal, not "No Evidence matches…"
        queries.get_evidence_for_viewer(stranger, doc.pk)
