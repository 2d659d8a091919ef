"""Numbers typed by people, and the 500s they caused (issue 10, findings 9 and 8): autosave and
scores import read them strictly, refuse in Vietnamese and save nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from parindex.assessments import services
from parindex.assessments.models import Item
from parindex.conftest import refuses

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def leaf(assessment, code) -> Item:
    return assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code=code
    )


def autosave(client, user, item, value):
    client.force_login(user)
    response = client.post(
        reverse("assessments:save_item", args=[item.pk]),
        {"version": item.version, "value": value},
        headers=HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    return response.content.decode()


# -- finding 9: numbers typed by people ---------------------------------------------------------


def _caused_by(code):
    """A command's error raised for a refusal with this code."""
    return lambda error: getattr(error.__cause__, "code", None) == code


def test_typed_count_99999999999999999999_is_refused_as_too_large(client, assessment, unit_editor):
    item = leaf(assessment, "1.3")  # deduction per late report
    html = autosave(client, unit_editor, item, "99999999999999999999")
    assert "“99999999999999999999” quá lớn: tối đa là 100.000." in html
    assert item.self_answer is None


def test_typed_0_5_with_an_underscore_is_not_read_as_5(client, assessment, unit_editor):
    item = leaf(assessment, "1.2")  # a rate in percent
    html = autosave(client, unit_editor, item, "0_5")
    assert "“0_5” không phải là số" in html
    assert item.self_answer is None


def test_typed_1e_30_is_not_a_number_rather_than_too_many_decimals(client, assessment, unit_editor):
    item = leaf(assessment, "2.1")  # points in steps of 0,5
    html = autosave(client, unit_editor, item, "1e-30")
    assert "“1e-30” không phải là số" in html
    assert "chữ số thập phân" not in html.split("“1e-30”", 1)[1].split("</", 1)[0]
    assert item.self_answer is None


@pytest.mark.parametrize(
    ("code", "typed", "stored"),
    [
        ("2.1", "1,5", {"points": "1.5"}),
        ("2.1", "0.5", {"points": "0.5"}),
        ("1.2", "87,5%", {"percent": "87.5"}),
        ("1.2", "9/10", {"ratio": [9, 10]}),
        ("1.3", "2", {"count": 2}),
    ],
    ids=["comma", "point", "percent", "ratio", "count"],
)
def test_typed_numbers_the_way_people_write_them_are_saved(
    client, assessment, unit_editor, code, typed, stored
):
    item = leaf(assessment, code)
    autosave(client, unit_editor, item, typed)
    assert item.self_answer == stored


@pytest.mark.parametrize("typed", ["9/1e3", "9_0/100", "-1/10"])
def test_typed_ratios_take_whole_numbers_only(client, assessment, unit_editor, typed):
    item = leaf(assessment, "1.2")
    html = autosave(client, unit_editor, item, typed)
    assert "không phải là số" in html or "số âm" in html
    assert item.self_answer is None


# -- finding 8: 500s become Vietnamese messages ------------------------------------------------


def test_autosave_of_1e308_says_why_in_vietnamese_and_saves_nothing(
    client, assessment, unit_editor
):
    item = leaf(assessment, "2.1")
    html = autosave(client, unit_editor, item, "1e308")
    assert "“1e308” không phải là số" in html
    assert item.self_answer is None and item.version == 0


def import_file(tmp_path, rows: str):
    path = tmp_path / "scores.csv"
    path.write_text("unit_code,criterion_code,stage,points,note\n" + rows, encoding="utf-8")
    call_command("import_scores", "CCHC-2024", str(path), stdout=io.StringIO())


def test_scores_import_of_1e308_says_why_in_vietnamese_and_saves_nothing(tmp_path, assessment):
    with pytest.raises(CommandError, match=" 3: “1e308”", check=_caused_by("scores.invalid")):
        import_file(tmp_path, "HOME,2.1,self,1,\nHOME,2.2,self,1e308,\n")
    assert leaf(assessment, "2.1").self_answer is None


def test_scores_import_while_an_item_is_being_edited_is_refused_and_saves_nothing(
    tmp_path, assessment, unit_editor, monkeypatch
):
    from parindex.assessments import bulk

    edited = leaf(assessment, "2.2")
    real = bulk._Writer.write

    def someone_saves_first(table, **kwargs):
        # The unit saves 2.2 after the file was checked, before the values are written.
        Item.objects.filter(pk=edited.pk).update(version=edited.version + 1)
        return real(table, **kwargs)

    monkeypatch.setattr(bulk._Writer, "write", someone_saves_first)
    with pytest.raises(
        CommandError, match="HOME / 2.2", check=_caused_by("scores.changed_meanwhile")
    ):
        import_file(tmp_path, "HOME,2.1,self,1,\nHOME,2.2,self,1,\n")
    assert leaf(assessment, "2.1").self_answer is None


def test_accepting_the_rest_while_an_item_is_being_edited_is_refused_and_accepts_nothing(
    assessment, unit_editor, unit_head, assigned_appraiser, monkeypatch
):
    from parindex.assessments.tests.test_services import fill

    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    area = assessment.items.get(criterion__code="1.1").area
    real = services.base._locked_update

    def someone_saves_first(item, version, **values):
        if item.criterion.code == "1.2":
            Item.objects.filter(pk=item.pk).update(version=version + 1)
        return real(item, version, **values)

    monkeypatch.setattr(services.appraisal, "_locked_update", someone_saves_first)
    with refuses("appraisal.changed_meanwhile") as refused:
        services.accept_undecided(assessment=assessment, area_id=area.pk, by=assigned_appraiser)
    assert "1.2" in str(refused.value)
    assert not assessment.items.filter(appraised_answer__isnull=False).exists()
