"""`import_scores`: the DESIGN scores format, validated by the engine, all or nothing."""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.assessments import scorefile
from parindex.assessments.models import Item
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.documents.tests import hostile

pytestmark = pytest.mark.django_db

GOOD = """unit_code,criterion_code,stage,points,note
HOME,1.1,self,0.5,Ban hành chậm
HOME,1.2,self,2,
HOME,2.1,self,NA,Không có TTHC
HOME,1.2,appraised,"1,0",Thiếu bảng theo dõi
HOME,3.1,survey,2.4,
OTHER,1.3,self,0.75,
"""


def run(tmp_path, text, *args, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_scores", "CCHC-2024", str(path), *args, stdout=out)
    return out.getvalue()


def value(unit, code):
    return Item.objects.get(assessment__unit__code=unit, criterion__code=code)


def _caused_by(code):
    """A command's error raised for a refusal with this code."""
    return lambda error: getattr(error.__cause__, "code", None) == code


def test_good_file_loads_every_stage(tmp_path, round_):
    out = run(tmp_path, GOOD)
    assert "4" in out and "1" in out
    assert value("HOME", "1.1").self_points == D("0.50")
    assert value("HOME", "1.1").note == "Ban hành chậm"
    assert value("HOME", "2.1").self_answer == {"na": True}
    assert value("HOME", "1.2").appraised_points == D("1.00")
    assert value("HOME", "3.1").survey_points == D("2.40")
    assert value("OTHER", "1.3").self_points == D("0.75")
    assert AuditEntry.objects.filter(action="item.imported_self").count() == 4


def test_dry_run_saves_nothing(tmp_path, round_):
    out = run(tmp_path, GOOD, "--dry-run")
    assert "chạy thử" in out
    assert value("HOME", "1.1").self_answer is None


def test_any_problem_refuses_the_whole_file_and_lists_every_row(tmp_path, round_):
    bad = (
        "unit_code,criterion_code,stage,points,note\n"
        "HOME,1.1,self,0.5,\n"
        "NOPE,1.1,self,1,\n"
        "HOME,9.9,self,1,\n"
        "HOME,2.1,self,0.3,\n"
        "HOME,1.2,draft,1,\n"
        "HOME,1.3,self,abc,\n"
        "HOME,3.1,self,1,\n"
        "HOME,1.1,self,1,\n"
        "HOME,1.1,self,0.7,\n"
    )
    with pytest.raises(CommandError, check=_caused_by("scores.invalid")) as error:
        run(tmp_path, bad)
    refused = error.value.__cause__
    rows = [int(re.match(r"\D*(\d+)", problem).group(1)) for problem in refused.problems]
    assert list(zip(rows, refused.codes, strict=True)) == [
        (3, "scores.unit_not_in_round"),
        (4, "scores.not_a_leaf"),
        (5, "off_step"),  # the engine's code
        (6, "scores.bad_stage"),
        (7, "answer.invalid"),
        (8, "survey_answer_required"),
        (9, "scores.duplicate_row"),
        (10, "scores.duplicate_row"),
    ]
    assert "NOPE" in refused.problems[0] and "9.9" in refused.problems[1]
    assert " 0,5" in refused.problems[2]  # 0.3 is off the rule's step of 0,5
    assert value("HOME", "1.1").self_answer is None


def test_a_file_without_rows_is_refused(tmp_path, round_):
    with pytest.raises(CommandError, check=_caused_by("scores.invalid")) as error:
        run(tmp_path, "unit_code,criterion_code,stage,points,note\n")
    assert error.value.__cause__.codes == ["scores.no_rows"]


def test_xlsx_works_like_csv(tmp_path, round_):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["unit_code", "criterion_code", "stage", "points", "note"])
    sheet.append(["HOME", "1.1", "self", 1, None])
    sheet.append(["HOME", "2.1", "self", 1.5, "đã công khai"])
    path = tmp_path / "scores.xlsx"
    workbook.save(path)
    call_command("import_scores", "CCHC-2024", str(path), stdout=io.StringIO())
    assert value("HOME", "2.1").self_points == D("1.50")


def test_wrong_header_is_refused(tmp_path, round_):
    with pytest.raises(
        CommandError,
        match="unit_code,criterion_code,stage,points,note",
        check=_caused_by("scores.bad_header"),
    ):
        run(tmp_path, "unit,code,points\nHOME,1.1,1\n")


@pytest.mark.parametrize(
    ("build", "code"),
    [
        ("far_dimension", "too_many_columns"),
        ("huge_sheet", "zip_bomb"),
        ("billion_laughs", "xml_forbidden"),
    ],
    ids=["finding-3b-far-dimension", "finding-3c-huge-sheet-xml", "finding-8-billion-laughs"],
)
def test_hostile_xlsx_is_refused_by_the_scores_import(tmp_path, round_, build, code):
    """Issue 10, finding 3b: the 5 KB far-dimension file grew a worker to 5 GB."""
    data = hostile.HOSTILE[build]()
    with refuses("scores.file_unreadable") as refused:
        scorefile.read(io.BytesIO(data), "scores.xlsx")
    assert refused.value.__cause__.code == code
    path = tmp_path / "scores.xlsx"
    path.write_bytes(data)
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=re.escape(str(refused.value))):
        call_command("import_scores", "CCHC-2024", str(path), stdout=io.StringIO())
    assert AuditEntry.objects.count() == before


def test_a_semicolon_csv_from_excel_set_to_vietnamese_is_read(tmp_path, round_):
    text = GOOD.replace(",", ";").replace('"1;0"', '"1,0"')
    out = run(tmp_path, text)
    assert value("HOME", "1.2").appraised_points == D("1.00")
    assert out
