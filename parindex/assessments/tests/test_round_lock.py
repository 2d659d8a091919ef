"""Every write to a round's scores re-reads the round under the lock publication takes (issue 10,
finding 5; the race itself is in parindex/results/tests/test_publication_race.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.assessments import services
from parindex.assessments.models import Item
from parindex.assessments.scorefile import ScoreRow
from parindex.rounds.models import Round

pytestmark = pytest.mark.django_db


def leaf(assessment, code) -> Item:
    return assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code=code
    )


# -- finding 5: every score write re-reads its round under the publication lock ---------------


def test_scores_import_rechecks_the_round_under_its_lock(assessment):
    stale = Round.objects.get(pk=assessment.round_id)
    Round.objects.filter(pk=stale.pk).update(status=Round.Status.PUBLISHED)
    row = ScoreRow(2, "HOME", "2.1", "self", "1", "")
    with pytest.raises(services.ImportFailed) as refused:
        services.import_scores(round_=stale, rows=[row], by=None)
    assert refused.value.problems == ["Đợt đánh giá đã công bố; điểm không còn thay đổi."]


def test_autosave_rechecks_the_round_under_its_lock(assessment, unit_editor):
    item = leaf(assessment, "2.1")  # holds the round as it was read: open
    Round.objects.filter(pk=assessment.round_id).update(status=Round.Status.PUBLISHED)
    with pytest.raises(services.Refused, match="Kết quả đã được công bố"):
        services.save_self_item(
            item=item,
            by=unit_editor,
            version=0,
            answer=Decimal("1"),
            note="",
            no_evidence_reason="",
        )
    assert leaf(assessment, "2.1").self_answer is None


def test_an_appraisal_decision_rechecks_the_round_under_its_lock(
    assessment, unit_editor, unit_head, assigned_appraiser
):
    from parindex.assessments.tests.test_services import fill

    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    item = leaf(assessment, "2.1")  # holds the round as it was read: open
    Round.objects.filter(pk=assessment.round_id).update(status=Round.Status.FINALISED)
    with pytest.raises(services.Refused, match="Đợt đánh giá đã chốt lúc"):
        services.decide(item=item, by=assigned_appraiser, version=item.version, decision="accept")
    assert leaf(assessment, "2.1").appraised_answer is None
