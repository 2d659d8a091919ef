"""`assessments.bulk`: the scores import and a round's items written in bulk, same rules."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.assessments import bulk
from parindex.assessments.models import Item
from parindex.assessments.scorefile import ScoreRow
from parindex.conftest import refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def row(line, unit, code, stage, points, note=""):
    return ScoreRow(line, unit, code, stage, points, note)


def item(unit, code):
    return Item.objects.get(assessment__unit__code=unit, criterion__code=code)


def test_rows_are_read_from_a_generator_and_each_value_is_audited_with_its_old_value(round_):
    before = item("HOME", "1.1")
    rows = (
        r
        for r in [row(2, "HOME", "1.1", "self", "0,5", "chậm"), row(3, "OTHER", "1.3", "self", "1")]
    )
    counts = bulk.import_scores(round_=round_, rows=rows, by=None)
    assert counts == {"self": 2, "appraised": 0, "survey": 0}
    after = item("HOME", "1.1")
    assert (after.self_answer, after.self_points, after.note) == (
        {"points": "0.5"},
        D("0.50"),
        "chậm",
    )
    assert after.version == before.version + 1
    entry = AuditEntry.objects.get(action="item.imported_self", object_id=str(after.pk))
    assert entry.old == {"value": None}
    assert entry.new == {"value": {"points": "0.5"}, "points": "0.50"}
    assert entry.reason == "chậm" and entry.object_type == "assessments.item"
    bulk.import_scores(round_=round_, rows=[row(2, "HOME", "1.1", "self", "1")], by=None)
    again = AuditEntry.objects.filter(action="item.imported_self", object_id=str(after.pk)).first()
    assert again.old == {"value": {"points": "0.5"}}


def test_an_item_at_two_stages_is_written_once_with_both_values(round_):
    before = item("HOME", "1.2")
    bulk.import_scores(
        round_=round_,
        rows=[
            row(2, "HOME", "1.2", "self", "2", "tự chấm"),
            row(3, "HOME", "1.2", "appraised", "1"),
        ],
        by=None,
    )
    after = item("HOME", "1.2")
    assert (after.self_points, after.appraised_points) == (D("2.00"), D("1.00"))
    assert after.note == "tự chấm"
    assert after.version == before.version + 2


def test_an_item_saved_by_someone_else_during_the_import_undoes_it_all(round_, monkeypatch):
    write = bulk._Writer.write

    def someone_saves_first(self, **kwargs):
        Item.objects.filter(pk=item("OTHER", "1.3").pk).update(version=7)
        write(self, **kwargs)

    monkeypatch.setattr(bulk._Writer, "write", someone_saves_first)
    with refuses("scores.changed_meanwhile") as refused:
        bulk.import_scores(
            round_=round_,
            rows=[row(2, "HOME", "1.1", "self", "1"), row(3, "OTHER", "1.3", "self", "1")],
            by=None,
        )
    assert "OTHER / 1.3" in str(refused.value)
    assert item("HOME", "1.1").self_answer is None
    assert not AuditEntry.objects.filter(action="item.imported_self").exists()


def test_a_dry_run_checks_and_writes_nothing(round_):
    counts = bulk.import_scores(
        round_=round_, rows=[row(2, "HOME", "1.1", "self", "1")], by=None, dry_run=True
    )
    assert counts["self"] == 1
    assert item("HOME", "1.1").self_answer is None
    assert not AuditEntry.objects.filter(action__startswith="item.imported").exists()


def test_survey_values_are_written_audited_with_their_note(round_):
    counts = bulk.write_survey_values(
        round_=round_, values=[("HOME", "3.1", D("2.13"), "Khảo sát XHH: 71%")], by=None
    )
    assert counts == {"self": 0, "appraised": 0, "survey": 1}
    written = item("HOME", "3.1")
    assert (written.survey_answer, written.survey_points) == ({"points": "2.13"}, D("2.13"))
    entry = AuditEntry.objects.get(action="item.imported_survey", object_id=str(written.pk))
    assert entry.reason == "Khảo sát XHH: 71%"


def test_survey_values_for_other_leaves_are_refused_with_the_engines_reason(round_):
    with pytest.raises(bulk.ImportFailed, match="Dòng 2") as refused:
        bulk.write_survey_values(
            round_=round_,
            values=[
                ("HOME", "3.1", D("1"), ""),
                ("HOME", "1.1", D("1"), ""),  # self-assessed
                ("HOME", "3", D("1"), ""),  # a branch
                ("HOME", "9.9", D("1"), ""),  # no such criterion
            ],
            by=None,
        )
    problems = refused.value.problems
    assert [problem.split(":")[0] for problem in problems] == ["Dòng 2", "Dòng 3", "Dòng 4"]
    assert "không lấy điểm từ điều tra" in problems[0]
    assert "có tiêu chí con" in problems[1]
    assert "9.9 không phải tiêu chí chấm điểm" in problems[2]
    assert item("HOME", "3.1").survey_answer is None


def test_a_round_gets_one_item_per_leaf_in_document_order_and_one_entry_per_unit(round_):
    from parindex.assessments.models import Assessment

    assessments = Assessment.objects.filter(round=round_)
    assert assessments.count() == 2
    leaves = [
        (row.criterion.code, row.area.code, row.position)
        for row in Item.objects.filter(assessment=assessments[0])
        .select_related("criterion", "area")
        .order_by("position")
    ]
    assert [code for code, _area, _pos in leaves][:3] == ["1.1", "1.2", "1.3"]
    assert [pos for _code, _area, pos in leaves] == list(range(1, len(leaves) + 1))
    assert all(code.split(".")[0] == area for code, area, _pos in leaves)
    assert Item.objects.filter(assessment=assessments[1]).count() == len(leaves)
    added = AuditEntry.objects.filter(action="round.unit_added", object_id=str(round_.pk))
    assert sorted(entry.new["unit"] for entry in added) == ["HOME", "OTHER"]
    assert bulk.add_units(round_=round_, units=[assessments[0].unit], by=None) == 0


def test_units_added_are_audited_in_the_order_given_each_with_its_items_together(round_, home_unit):
    from parindex.units.tests.factories import UnitFactory

    first, second, third = (
        UnitFactory.create(code=code, unit_type=home_unit.unit_type) for code in ("X1", "X2", "X3")
    )
    assert bulk.add_units(round_=round_, units=[third, first, second], by=None) == 3
    added = AuditEntry.objects.filter(action="round.unit_added", object_id=str(round_.pk))
    assert [entry.new["unit"] for entry in added.order_by("pk")][-3:] == ["X3", "X1", "X2"]
    written = list(
        Item.objects.filter(assessment__unit__in=[first, second, third])
        .order_by("pk")
        .values_list("assessment__unit__code", "position")
    )
    leaves = Item.objects.filter(assessment__unit=home_unit, assessment__round=round_).count()
    assert len(written) == 3 * leaves
    for start in range(0, len(written), leaves):  # one unit's items at a time, leaf by leaf
        unit = written[start][0]
        assert written[start : start + leaves] == [(unit, n) for n in range(1, leaves + 1)]


@pytest.fixture
def chunks_of_two(monkeypatch):
    """Chunks of two values: a few rows take the path of a national file (on PostgreSQL, a
    thread writes the chunks while the next rows are checked)."""
    monkeypatch.setattr(bulk, "CHUNK", 2)


def test_a_file_written_in_chunks_keeps_every_rule(round_, chunks_of_two):
    before = {code: item("HOME", code) for code in ("1.1", "1.2", "1.3")}
    rows = [
        row(2, "HOME", "1.2", "self", "2", "tự chấm"),
        row(3, "HOME", "1.1", "self", "1"),
        row(4, "OTHER", "1.1", "self", "0,5"),
        row(5, "HOME", "1.3", "self", "1"),
        row(6, "HOME", "1.3", "appraised", "0"),  # same item, same chunk
        row(7, "HOME", "1.2", "appraised", "1"),  # same item as row 2, two chunks later
        row(8, "OTHER", "1.3", "self", "1"),
    ]
    counts = bulk.import_scores(round_=round_, rows=iter(rows), by=None)
    assert counts == {"self": 5, "appraised": 2, "survey": 0}
    twice = item("HOME", "1.2")
    assert (twice.self_points, twice.appraised_points, twice.note) == (
        D("2.00"),
        D("1.00"),
        "tự chấm",
    )
    assert twice.version == before["1.2"].version + 2
    both = item("HOME", "1.3")
    assert (both.self_points, both.appraised_points) == (D("1.00"), D("0.00"))
    assert both.version == before["1.3"].version + 2
    assert item("HOME", "1.1").version == before["1.1"].version + 1
    entries = AuditEntry.objects.filter(action__startswith="item.imported_").order_by("pk")
    assert [(entry.object_id, entry.action) for entry in entries] == [
        (str(item(unit, code).pk), f"item.imported_{stage}")
        for _line, unit, code, stage, *_ in rows
    ]
    assert entries[5].old == {"value": None}  # the appraised value before: none
    assert entries[5].new["points"] == "1.00"


def test_a_file_of_whole_chunks_is_written_whole(round_, chunks_of_two):
    rows = [row(line, "HOME", code, "self", "1") for line, code in enumerate(["1.1", "1.3"], 2)]
    rows += [row(4, "OTHER", "1.1", "self", "1"), row(5, "OTHER", "1.3", "self", "1")]
    assert bulk.import_scores(round_=round_, rows=iter(rows), by=None)["self"] == 4
    assert Item.objects.exclude(self_answer=None).count() == 4
    assert AuditEntry.objects.filter(action="item.imported_self").count() == 4


def test_a_problem_after_chunks_were_written_undoes_them(round_, chunks_of_two):
    rows = [row(line, "HOME", code, "self", "1") for line, code in enumerate(["1.1", "1.3"], 2)]
    rows += [row(4, "OTHER", "1.1", "self", "1"), row(5, "OTHER", "1.3", "self", "1")]
    rows += [row(6, "OTHER", "1.2", "self", "9")]  # over the maximum, after two chunks
    with refuses("scores.invalid") as refused:
        bulk.import_scores(round_=round_, rows=iter(rows), by=None)
    assert [problem.split(":")[0] for problem in refused.value.problems] == ["Dòng 6"]
    assert not Item.objects.exclude(self_answer=None).exists()
    assert not AuditEntry.objects.filter(action__startswith="item.imported_").exists()


def test_a_file_that_breaks_off_after_chunks_were_written_writes_nothing(round_, chunks_of_two):
    def rows():
        for line, code in enumerate(["1.1", "1.2", "1.3", "2.1"], 2):
            yield row(line, "HOME", code, "self", "1")
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk"):
        bulk.import_scores(round_=round_, rows=rows(), by=None)
    assert not Item.objects.exclude(self_answer=None).exists()
    assert not AuditEntry.objects.filter(action__startswith="item.imported_").exists()


def test_an_item_saved_before_its_chunk_is_written_undoes_the_chunks_before(
    round_, chunks_of_two, monkeypatch
):
    write = bulk._Writer.write
    saved = item("OTHER", "1.3").pk

    def someone_saves_between_chunks(self, *, rows):
        if not getattr(self, "saved", False):  # before the first write, on its connection
            self.saved = True
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE assessments_item SET version = version + 1 WHERE id = %s", [saved]
                )
        write(self, rows=rows)

    monkeypatch.setattr(bulk._Writer, "write", someone_saves_between_chunks)
    rows = [row(2, "HOME", "1.1", "self", "1"), row(3, "HOME", "1.3", "self", "1")]
    rows += [row(4, "OTHER", "1.1", "self", "1"), row(5, "OTHER", "1.3", "self", "1")]
    with refuses("scores.changed_meanwhile") as refused:
        bulk.import_scores(round_=round_, rows=iter(rows), by=None)
    assert "OTHER / 1.3" in str(refused.value)
    assert not Item.objects.exclude(self_answer=None).exists()
    assert not AuditEntry.objects.filter(action__startswith="item.imported_").exists()
