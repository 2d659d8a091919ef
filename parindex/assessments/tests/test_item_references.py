"""Items refer to their assessment, leaf, area and editor without database constraints
(decision 36): the writers derive the references from rows they read, Django's `on_delete` takes
an assessment's items with it, and a restore refuses a backup whose items point nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.assessments.models import Assessment, Item
from parindex.core import backup
from parindex.indexsets.models import Criterion
from parindex.rounds import services as round_services

pytestmark = pytest.mark.django_db


def test_a_new_round_s_items_are_the_leaves_and_areas_of_each_assessment_s_set(round_):
    assert backup.dangling_references([Item]) == []
    leaves = {
        row.pk: row
        for row in Criterion.objects.filter(index_set=round_.index_sets.get().index_set)
        if not row.children.exists()
    }
    items = Item.objects.filter(assessment__round=round_).select_related("assessment")
    assert items.count() == 2 * len(leaves)
    for item in items:
        leaf = leaves[item.criterion_id]
        assert leaf.index_set_id == item.assessment.index_set_id
        top = leaf
        while top.parent_id is not None:
            top = top.parent
        assert item.area_id == top.pk


def test_a_unit_taken_out_of_a_round_takes_its_items_along(
    round_, small_set, home_unit, par_officer
):
    leaving = Assessment.objects.get(round=round_, unit=home_unit)
    assert Item.objects.filter(assessment=leaving).exists()
    round_services.remove_unit(by=par_officer, round_=round_, unit=home_unit, reason="nhầm")
    assert not Item.objects.filter(assessment_id=leaving.pk).exists()
    assert Item.objects.filter(assessment__round=round_).count() == len(
        [row for row in Criterion.objects.filter(index_set=small_set) if not row.children.exists()]
    )
    assert backup.dangling_references([Item]) == []


@pytest.mark.parametrize("column", ["assessment_id", "criterion_id", "area_id", "self_by_id"])
def test_a_backup_whose_items_point_nowhere_is_refused_and_changes_nothing(
    round_, settings, tmp_path, column
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    (settings.VAR_DIR / "secret_key").write_text("s3cret-for-the-test")
    stray = Item.objects.filter(assessment__round=round_).order_by("pk").first()
    Item.objects.filter(pk=stray.pk).update(**{column: 10**9})
    backup.make_backup(tmp_path / "b")
    Item.objects.filter(pk=stray.pk).update(note="trước khi khôi phục")
    with pytest.raises(CommandError, match=f"assessments_item.{column}"):
        call_command("restore", str(tmp_path / "b"), "--force")
    assert Item.objects.get(pk=stray.pk).note == "trước khi khôi phục"
    assert not (Path(settings.MEDIA_ROOT) / "evidence").exists()
