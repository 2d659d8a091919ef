"""Long-form response imports: all or nothing, Vietnamese problems per row, flags, speed path."""

from __future__ import annotations

import pytest

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.surveys.models import Answer, Response, Target
from parindex.surveys.services import responses
from parindex.surveys.services.responses import ResponsesRefused
from parindex.surveys.tests.factories import campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def run(db):
    survey_set()
    so = unit_type("SO")
    units = [UnitFactory(code=code, unit_type=so) for code in ("SNV", "STC")]
    UnitFactory(code="SXD", unit_type=so)  # not in the round
    return campaign(units=units)


def rows(*lines: str) -> list[tuple[int, list[str]]]:
    return [(number, line.split(",")) for number, line in enumerate(lines, start=2)]


def test_a_valid_file_becomes_responses_with_their_answers(run, par_officer):
    stored = responses.import_responses(
        campaign=run,
        rows=rows(
            "R1,LDP,SNV,Q1,A",
            "R1,LDP,SNV,Q2,",
            "R2,DN,STC,Q1,B",
            "R2,DN,STC,Q3,K",
        ),
        by=par_officer,
    )
    assert (stored.responses, stored.answers) == (2, 4)
    r1 = Response.objects.get(response_id="R1")
    assert (r1.unit.code, r1.group.code, r1.channel) == ("SNV", "LDP", "file")
    assert Answer.objects.get(response=r1, question__code="Q2").option is None
    assert (
        Answer.objects.get(response__response_id="R2", question__code="Q3").option.label == "Không"
    )
    entry = AuditEntry.objects.get(action="survey.responses_imported")
    assert entry.new["responses"] == 2 and entry.actor == par_officer


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("R9,HDND,SNV,Q1,A", "survey_responses.unknown_group"),
        ("R9,LDP,SXD,Q1,A", "survey_responses.unit_not_evaluated"),
        ("R9,LDP,SNV,Q9,A", "survey_responses.unknown_question"),
        ("R9,LDP,SNV,Q3,C", "survey_responses.question_not_asked"),
        ("R9,LDP,SNV,Q1,Z", "survey_responses.unknown_option"),
        (",LDP,SNV,Q1,A", "survey_responses.no_id"),
        ("R1,LDP,SNV,Q1,B", "survey_responses.answered_twice"),
        ("R1,DN,SNV,Q3,C", "survey_responses.unit_or_group_changed"),
    ],
    ids=[
        "unknown-group",
        "unit-not-in-campaign",
        "unknown-question",
        "question-not-asked-of-group",
        "unknown-option",
        "empty-id",
        "question-twice",
        "response-changes-unit-or-group",
    ],
)
def test_any_bad_row_refuses_the_whole_file(run, line, code):
    with refuses("survey_responses.invalid") as refused:
        responses.import_responses(campaign=run, rows=rows("R1,LDP,SNV,Q1,A", line), by=None)
    assert refused.value.codes == [code]
    assert " 3: " in refused.value.problems[0]  # the second row of data
    assert not Response.objects.exists()


def test_a_response_already_imported_is_refused(run):
    responses.import_responses(campaign=run, rows=rows("R1,LDP,SNV,Q1,A"), by=None)
    with refuses("survey_responses.invalid") as refused:
        responses.import_responses(campaign=run, rows=rows("R1,LDP,SNV,Q1,A"), by=None)
    assert refused.value.codes == ["survey_responses.already_imported"]
    assert "R1" in str(refused.value)


def test_problems_are_capped_with_a_count_of_the_rest(run):
    lines = [f"R{n},XX,SNV,Q1,A" for n in range(250)]
    with refuses("survey_responses.invalid") as refused:
        responses.import_responses(campaign=run, rows=rows(*lines), by=None)
    assert len(refused.value.problems) == responses.MAX_PROBLEMS + 1
    assert refused.value.codes[-1] == "survey_responses.more_problems"
    assert " 50 " in refused.value.problems[-1]


def test_targets_restrict_which_groups_evaluate_which_units(run):
    snv = run.round.assessments.get(unit__code="SNV").unit
    ldp = run.questionnaire.groups.get(code="LDP")
    Target.objects.create(campaign=run, unit=snv, group=ldp, sample=10)
    with refuses("survey_responses.invalid") as refused:
        responses.import_responses(campaign=run, rows=rows("R1,DN,SNV,Q1,A"), by=None)
    assert refused.value.codes == ["survey_responses.group_not_evaluating"]


def test_duplicates_and_straight_lining_are_flagged_not_refused(run, monkeypatch):
    monkeypatch.setattr(responses, "DUPLICATE_MIN", 3)  # the test form has three questions
    monkeypatch.setattr(responses, "STRAIGHT_LINE_MIN", 3)
    stored = responses.import_responses(
        campaign=run,
        rows=rows(
            *(f"R1,LDP,SNV,{q},A" for q in ("Q1", "Q2", "Q4")),
            *(f"R2,LDP,SNV,{q},A" for q in ("Q1", "Q2", "Q4")),
            *(f"R3,DN,SNV,{q},{a}" for q, a in (("Q1", "B"), ("Q3", "C"), ("Q4", "D"))),
        ),
        by=None,
    )
    assert (stored.duplicates, stored.straightlined) == (1, 2)  # R1 and R2: A, A, A
    assert list(
        Response.objects.filter(is_duplicate=True).values_list("response_id", flat=True)
    ) == ["R2"]
    # a later file repeating R3's answers is flagged against the stored responses
    later = responses.import_responses(
        campaign=run,
        rows=rows(*(f"R4,DN,SNV,{q},{a}" for q, a in (("Q1", "B"), ("Q3", "C"), ("Q4", "D")))),
        by=None,
    )
    assert later.duplicates == 1


def test_a_dry_run_checks_everything_and_saves_nothing(run):
    stored = responses.import_responses(
        campaign=run, rows=rows("R1,LDP,SNV,Q1,A"), by=None, dry_run=True
    )
    assert stored.dry_run and stored.responses == 1
    assert (
        not Response.objects.exists()
        and not AuditEntry.objects.filter(action="survey.responses_imported").exists()
    )


def test_a_closed_campaign_takes_no_responses(run):
    run.status = run.Status.CLOSED
    run.save()
    with refuses("campaign.closed", ResponsesRefused):
        responses.import_responses(campaign=run, rows=rows("R1,LDP,SNV,Q1,A"), by=None)


def test_excluded_responses_leave_the_scores_and_come_back(run, par_officer):
    responses.import_responses(campaign=run, rows=rows("R1,LDP,SNV,Q1,A"), by=None)
    pk = Response.objects.get().pk
    assert responses.exclude_responses(campaign=run, ids=[pk], reason="Trùng", by=par_officer) == 1
    assert Response.objects.get().excluded_reason == "Trùng"
    assert responses.include_responses(campaign=run, ids=[pk], by=par_officer) == 1
    assert Response.objects.get().excluded_reason == ""
