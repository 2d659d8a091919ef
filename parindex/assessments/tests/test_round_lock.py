"""Every write to a round's scores re-reads the round under the lock publication takes (issue 10,
finding 5; the race itself is in parindex/results/tests/test_publication_race.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.assessments import services, workflow
from parindex.assessments.models import Item
from parindex.assessments.scorefile import ScoreRow
from parindex.conftest import refuses
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
    with refuses("scores.round_published"):
        services.import_scores(round_=stale, rows=[row], by=None)


def test_autosave_rechecks_the_round_under_its_lock(assessment, unit_editor):
    item = leaf(assessment, "2.1")  # holds the round as it was read: open
    Round.objects.filter(pk=assessment.round_id).update(status=Round.Status.PUBLISHED)
    with refuses("assessment.published"):
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
    with refuses("assessment.finalised"):
        services.decide(item=item, by=assigned_appraiser, version=item.version, decision="accept")
    assert leaf(assessment, "2.1").appraised_answer is None


def test_every_lock_refusal_code_is_documented():
    """A lock refuses with `assessment.<lock code>`: each of them is listed in docs/refusals.md."""
    source = (Path(workflow.__file__)).read_text(encoding="utf-8")
    codes = set(re.findall(r'Lock\(\s*"([a-z_]+)"', source))
    assert {"not_open", "published", "finalised", "phase_closed", "submitted"} <= codes
    documented = (Path(workflow.__file__).resolve().parents[2] / "docs" / "refusals.md").read_text(
        encoding="utf-8"
    )
    missing = sorted(
        code for code in codes if f"`{workflow.Lock(code, '').refusal_code}`" not in documented
    )
    assert not missing, f"lock refusal codes missing from docs/refusals.md: {missing}"
