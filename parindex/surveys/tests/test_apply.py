"""Applying a campaign writes the round's survey points through the assessments' service."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from parindex.assessments.models import Item
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.rounds.models import Round
from parindex.surveys.services import apply
from parindex.surveys.tests.factories import add_response, campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def run(db):
    survey_set()
    so = unit_type("SO")
    units = [UnitFactory(code=code, unit_type=so) for code in ("SNV", "STC")]
    run = campaign(units=units)
    add_response(run, units[0], "LDP", {"Q1": "A", "Q2": "B", "Q4": "A"})
    add_response(run, units[0], "DN", {"Q1": "C", "Q3": "C", "Q4": "C"})
    return run


def survey_values(unit: str) -> dict[str, tuple]:
    return {
        item.criterion.code: (item.survey_answer, item.survey_points)
        for item in Item.objects.filter(
            assessment__unit__code=unit, criterion__source="survey"
        ).select_related("criterion")
    }


def test_applying_writes_exact_points_audited_and_lists_leaves_without_data(run, par_officer):
    applied = apply.apply_campaign(campaign=run, by=par_officer)
    snv = survey_values("SNV")
    # Q1: (2 × 100 + 20) / 3 = 73.33…; Q2: 60 → 8.1: 66.66…% of 4 = 2.67
    assert snv["8.1"] == ({"points": "2.67"}, D("2.67"))
    assert snv["8.2"] == ({"points": "2.00"}, D("2.00"))  # Q3: 100 % of 2
    assert snv["8.3"] == ({"points": "1.00"}, D("1.00"))  # Q4: (200 + 20) / 3 = 73.3 → tier 50
    assert snv["8.4"] == (None, None)  # no question: listed among the uncovered leaves
    assert applied.written == 3
    assert sorted(applied.without_data) == [("STC", "8.1"), ("STC", "8.2"), ("STC", "8.3")]
    entries = AuditEntry.objects.filter(action="item.imported_survey", actor=par_officer)
    assert sorted(entry.reason for entry in entries) == [
        "Điều tra XHH-SO-T: 100,00% từ 1 câu trả lời.",
        "Điều tra XHH-SO-T: 66,67% từ 3 câu trả lời.",
        "Điều tra XHH-SO-T: 73,33% từ 2 câu trả lời.",
    ]
    run.refresh_from_db()
    assert run.applied_at is not None and run.applied_by == par_officer
    assert AuditEntry.objects.filter(action="survey_campaign.applied").exists()


def test_applying_again_changes_only_what_changed_and_keeps_na(run):
    apply.apply_campaign(campaign=run, by=None)
    Item.objects.filter(assessment__unit__code="SNV", criterion__code="8.2").update(
        survey_answer={"na": True}, survey_points=None
    )
    again = apply.apply_campaign(campaign=run, by=None)
    assert (again.written, again.unchanged, again.kept_na) == (0, 2, 1)
    run.responses.update(excluded_reason="Thử")
    cleared = apply.apply_campaign(campaign=run, by=None)
    assert cleared.written == 2  # the leaves that had points now score 0
    assert survey_values("SNV")["8.1"] == ({"points": "0.00"}, D("0.00"))


def test_a_dry_run_writes_nothing(run):
    applied = apply.apply_campaign(campaign=run, by=None, dry_run=True)
    assert applied.dry_run and applied.written == 3
    assert survey_values("SNV")["8.1"] == (None, None)
    run.refresh_from_db()
    assert run.applied_at is None


def test_a_published_round_is_refused(run):
    Round.objects.filter(pk=run.round_id).update(status=Round.Status.PUBLISHED)
    run.refresh_from_db()
    with refuses("campaign.round_published"):
        apply.apply_campaign(campaign=run, by=None)
    assert survey_values("SNV")["8.1"] == (None, None)


def test_the_command_applies_and_reports(run, capsys):
    call_command("apply_survey", "XHH-SO-T", "CCHC-2025")
    captured = capsys.readouterr()
    assert "3 survey values written" in captured.out
    assert "no data: STC 8.1 (scores 0)" in captured.err
    with pytest.raises(CommandError, match="CCHC-1999"):
        call_command("apply_survey", "XHH-SO-T", "CCHC-1999")
