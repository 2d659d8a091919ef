"""Results computed from assessments, publication, verification and survey points."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.db import connection

from parindex.assessments.models import Assessment, Item
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.results import computing, queries, services
from parindex.results.models import Snapshot
from parindex.results.tests.factories import SMALL_SET, enrol, make_round, store_index_set
from parindex.rounds.models import Round
from parindex.units.models import Unit
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.django_db


def test_final_points_take_the_appraised_value_over_the_self_value(scored):
    results = queries.round_results(scored.previous)
    home = results.types["SO"].score("HOME")
    # 1.1 2 + 1.2 appraised 1.5 (self 3) + 2.x 5 + 3.1 survey 80% of 10 = 8 → 16.5 of 20
    assert home.points == D("16.50")
    assert home.index_percent == D("82.50")
    assert home.band.name == "Khá"


def test_published_results_are_read_from_the_snapshot(scored):
    results = queries.round_results(scored.previous)
    assert not results.is_provisional
    assert results.sha256 == scored.snapshot.sha256
    Item.objects.filter(assessment__round=scored.previous).update(self_answer={"points": "0"})
    again = queries.round_results(scored.previous)
    assert again.types["SO"].score("OTHER").index_percent == D("100.00")


def test_provisional_preview_is_marked(scored):
    results = queries.round_results(scored.current)
    assert results.is_provisional
    assert results.types["SO"].score("HOME").index_percent == D("100.00")


def test_ties_share_a_rank_and_the_next_rank_is_skipped(scored):
    scores = queries.round_results(scored.current).types["SO"].scores
    # OTHER and STP both lost 1 point on 1.2: 19/20 = 95.00
    assert scores.ranks == {"HOME": 1, "OTHER": 2, "STP": 2, "STC": 4}


def test_not_applicable_leaves_renormalise_the_index(scored):
    score = queries.round_results(scored.previous).types["SO"].score("STP")
    assert score.max_points == D("15.00")
    assert score.index_percent == D("100.00")
    area = next(a for a in score.areas if a.code == "2")
    assert area.percent is None


def test_bonus_and_penalty_are_capped_and_the_total_clamped(scored):
    score = queries.round_results(scored.previous).types["SO"].score("STC")
    # base 19 + bonus 1 − penalty 0.5 = 19.5 of 20
    assert score.bonus_points == D("1.00")
    assert score.penalty_points == D("0.50")
    assert score.points == D("19.50")


def test_rounding_is_half_up_at_the_boundary(par_officer):
    index_set = store_index_set(
        {
            **SMALL_SET,
            "code": "R-T",
            "criteria": [
                {
                    "code": "1",
                    "name": "A",
                    "children": [{"code": "1.1", "name": "x", "max_points": 40}],
                }
            ],
        }
    )
    round_ = make_round("RR", 2024, [index_set])
    so = unit_type("SO")
    # 34.37 / 40 = 85.925 → 85.93 (half-up; banker's rounding would give 85.92)
    # 35.99 / 40 = 89.975 → 89.98, just below the Tốt band at 90
    units = {UnitFactory(code=f"U{v}", unit_type=so): {"1.1": v} for v in ("34.37", "35.99")}
    enrol(round_, index_set, units)
    scores = queries.round_results(round_).types["SO"].scores.units
    assert scores["U34.37"].index_percent == D("85.93")
    assert scores["U35.99"].index_percent == D("89.98")
    assert scores["U35.99"].band.name == "Khá"


def test_publish_freezes_inputs_outputs_and_engine_version(scored):
    snapshot = scored.snapshot
    assert len(snapshot.sha256) == 64
    assert snapshot.engine_version == computing.engine_version()
    assert snapshot.sha256 == computing.digest(
        snapshot.engine_version, snapshot.inputs, snapshot.outputs
    )
    scored.previous.refresh_from_db()
    assert scored.previous.status == Round.Status.PUBLISHED
    assert set(
        Assessment.objects.filter(round=scored.previous).values_list("status", flat=True)
    ) == {Assessment.Status.PUBLISHED}
    assert AuditEntry.objects.filter(action="round.published").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's binding on PostgreSQL")
def test_the_snapshot_texts_travel_apart_from_its_insert(scored, par_officer, monkeypatch):
    """A national snapshot's ~30 MB of text are sent as parameters of the INSERT rather than
    quoted into it (server-side binding), and the connection binds on the client again after,
    whether the publication succeeded or failed."""
    from django.db.backends.postgresql.base import Cursor, ServerBindingCursor

    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    scored.current.refresh_from_db()
    seen: dict[str, type] = {}

    def spy(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO "):
            seen[sql.split(" ", 3)[2]] = type(context["cursor"].cursor)
        return execute(sql, params, many, context)

    def failing(*texts):
        raise RuntimeError("the digest failed")

    real_digest = computing.digest
    monkeypatch.setattr(computing, "digest", failing)
    with pytest.raises(RuntimeError, match="digest failed"), connection.execute_wrapper(spy):
        services.publish_round(by=par_officer, round_=scored.current)
    assert connection.connection.cursor_factory is Cursor
    monkeypatch.setattr(computing, "digest", real_digest)
    with connection.execute_wrapper(spy):
        services.publish_round(by=par_officer, round_=scored.current)
    assert seen['"results_snapshot"'] is ServerBindingCursor
    assert seen['"core_auditentry"'] is Cursor  # the audit entry, after, binds as usual
    assert connection.connection.cursor_factory is Cursor
    assert services.verify_round(round_=scored.current).is_intact


def test_publishing_twice_or_an_unfinalised_round_is_refused(scored, par_officer):
    with refuses("results.already_published"):
        services.publish_round(by=par_officer, round_=scored.previous)
    with refuses("results.round_not_finalised"):
        services.publish_round(by=par_officer, round_=scored.current)


def test_verify_passes_on_an_intact_snapshot(scored):
    assert services.verify_round(round_=scored.previous).is_intact


def test_verify_detects_tampered_outputs(scored):
    outputs = json.loads(scored.snapshot.outputs)
    outputs["unit_types"][0]["units"][0]["index_percent"] = "99.99"
    Snapshot.objects.filter(pk=scored.snapshot.pk).update(outputs=computing.canonical_json(outputs))
    report = services.verify_round(round_=scored.previous)
    assert not report.is_intact
    assert any("SHA-256" in problem for problem in report.problems)
    assert any("index_percent" in problem and "99.99" in problem for problem in report.problems)


def test_verify_detects_tampered_inputs_even_with_a_fresh_digest(scored):
    snapshot = scored.snapshot
    inputs = json.loads(snapshot.inputs)
    inputs["unit_types"][0]["answers"]["OTHER"]["1.2"] = {"points": "0"}
    text = computing.canonical_json(inputs)
    sha = computing.digest(snapshot.engine_version, text, snapshot.outputs)
    Snapshot.objects.filter(pk=snapshot.pk).update(inputs=text, sha256=sha)
    report = services.verify_round(round_=scored.previous)
    assert not report.is_intact
    assert any("OTHER" in problem for problem in report.problems)


def test_survey_points_are_saved_through_the_engine_and_audited(scored, par_officer):
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    saved, problems = services.save_survey_points(
        by=par_officer, round_=scored.current, values={item.pk: ("87,5", item.version)}
    )
    assert (saved, problems) == (1, [])
    item.refresh_from_db()
    assert item.survey_answer == {"percent": "87.5"}
    assert item.survey_points == D("8.75")
    assert AuditEntry.objects.filter(action="item.survey_saved").exists()


def test_bad_survey_values_change_nothing_and_are_listed(scored, par_officer):
    items = list(
        Item.objects.filter(assessment__round=scored.current, criterion__code="3.1").order_by("pk")
    )
    values = {items[0].pk: ("50", items[0].version), items[1].pk: ("abc", items[1].version)}
    saved, problems = services.save_survey_points(
        by=par_officer, round_=scored.current, values=values
    )
    assert saved == 0 and len(problems) == 1 and "abc" in problems[0]
    items[0].refresh_from_db()
    assert items[0].survey_answer == {"percent": "100"}


def test_a_stale_survey_version_is_refused(scored, par_officer):
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    _saved, problems = services.save_survey_points(
        by=par_officer, round_=scored.current, values={item.pk: ("60", item.version - 1)}
    )
    assert len(problems) == 1
    assert problems[0].startswith("HOME / 3.1")


def test_scores_of_a_published_round_no_longer_change(scored, par_officer):
    item = Item.objects.get(
        assessment__round=scored.previous, assessment__unit=scored.home, criterion__code="3.1"
    )
    with refuses("results.published", services.ResultsRefused):
        services.save_survey_points(
            by=par_officer, round_=scored.previous, values={item.pk: ("10", item.version)}
        )
    with refuses("results.published"):
        services.ensure_scores_editable(scored.previous)


def test_the_previous_round_comparison_follows_a_merger(par_officer):
    import datetime as dt

    from parindex.results import pages
    from parindex.units.services.reorganisations import NewUnit, merge_units

    index_set = store_index_set(SMALL_SET)
    so = unit_type("SO")
    full = {"1.1": {"choice": "Đúng hạn"}, "1.2": 3, "2.1": 3, "2.2": 2, "3.1": {"percent": "100"}}
    a, b, c = (UnitFactory(code=code, unit_type=so) for code in ("A", "B", "C"))
    before = make_round("M2024", 2024, [index_set], status=Round.Status.FINALISED)
    enrol(before, index_set, {a: {**full, "1.2": 1}, b: full, c: {**full, "1.2": 2}})
    services.publish_round(by=par_officer, round_=before)
    merge_units(
        by=par_officer,
        predecessors=[a, b],
        effective_date=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết số 1/NQ-HĐND",
        new_unit=NewUnit(code="AB", name="Sở A và B", unit_type=so),
    )
    merged = Unit.objects.get(code="AB")
    after = make_round("M2025", 2025, [index_set])
    enrol(after, index_set, {merged: full, c: {**full, "1.2": 0}})
    rows = {row.unit_code: row for row in pages.ranking_context(after, {"type": "SO"})["rows"]}
    assert rows["AB"].previous_rank == 3  # A: 18/20 = 90.00, third
    assert rows["AB"].index_change == D("10.00")
    assert rows["AB"].rank_change == 2
    assert rows["C"].index_change == D("-10.00")


def test_the_demo_publishes_the_previous_years_finalised_round(par_officer):
    from types import SimpleNamespace

    from parindex.results import demo

    index_set = store_index_set(SMALL_SET)
    units = UnitFactory.create_batch(3, unit_type=unit_type("SO"))
    previous = make_round("D2024", 2024, [index_set], status=Round.Status.FINALISED)
    enrol(previous, index_set, {unit: {"1.2": 2} for unit in units})
    current = make_round("D2025", 2025, [index_set])
    enrol(current, index_set, {unit: {"1.2": 3} for unit in units})
    world = SimpleNamespace(par_officer=par_officer)
    demo.load(world)
    assert world.published_round == previous
    assert queries.round_results(current).is_provisional
    assert not queries.round_results(previous).is_provisional
    assert queries.is_public(previous)
    demo.load(world)  # nothing left to publish: a re-run changes nothing
    assert Snapshot.objects.count() == 1
