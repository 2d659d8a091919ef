"""A scores import running beside publication, on two database connections (PostgreSQL).

Every write to a round's scores takes the round's lock shared and publication takes it
exclusive: the import either commits before the snapshot is taken (and is in it), or waits and
is refused because the round is published. Either way `verify` finds the snapshot and the live
data in agreement.
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection

from parindex.assessments import services as assessment_services
from parindex.assessments.models import Item
from parindex.assessments.scorefile import ScoreRow
from parindex.indexsets import queries as indexset_queries
from parindex.results import queries, services
from parindex.results.models import Snapshot
from parindex.results.tests.factories import SMALL_SET, enrol, make_round, store_index_set
from parindex.rounds.models import Round
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need a server database"
)

WAIT_S = 0.5  # long enough for a thread that is not blocked to finish its work
FULL = {"1.1": {"choice": "Đúng hạn"}, "1.2": 3, "2.1": 3, "2.2": 2, "3.1": {"percent": "100"}}


@pytest.fixture
def finalised(transactional_db):
    """A finalised round of two departments, and a file lowering one self-assessed value."""
    index_set = store_index_set(SMALL_SET)
    so = unit_type("SO")
    units = [UnitFactory(code=code, unit_type=so) for code in ("RACE-A", "RACE-B")]
    round_ = make_round("RACE", 2025, [index_set], status=Round.Status.FINALISED)
    enrol(round_, index_set, {unit: FULL for unit in units})
    rows = [ScoreRow(2, "RACE-A", "1.2", "self", "1,5", "")]
    return round_, rows


def _self_points() -> Decimal | None:
    return Item.objects.get(assessment__unit__code="RACE-A", criterion__code="1.2").self_points


def _snapshot_value() -> dict:
    inputs = json.loads(Snapshot.objects.get(round__code="RACE").inputs)
    return inputs["unit_types"][0]["answers"]["RACE-A"]["1.2"]


def _run(target, outcome: dict, key: str) -> threading.Thread:
    def work():
        try:
            outcome[key] = target()
        except Exception as error:  # the test inspects what each side met
            outcome[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _import(round_, rows):
    return lambda: assessment_services.import_scores(round_=round_, rows=rows, by=None)


def _publish(round_, officer):
    return lambda: services.publish_round(by=officer, round_=round_)


def _assert_consistent(round_):
    queries.forget_results(round_)
    report = services.verify_round(round_=Round.objects.get(pk=round_.pk))
    assert report.is_intact, report.problems


def _hold(monkeypatch, module, name: str) -> tuple[threading.Event, threading.Event]:
    """Make `module.name`, called once the round's lock is held, wait until the test says go."""
    locked, go = threading.Event(), threading.Event()
    real = getattr(module, name)

    def held(*args):
        locked.set()
        go.wait(5)
        return real(*args)

    monkeypatch.setattr(module, name, held)
    return locked, go


def _second_waits_for_first(monkeypatch, first, second, hold) -> dict:
    """Start `first` and, once it holds the round's lock, `second`, which must wait for it."""
    locked, go = _hold(monkeypatch, *hold)
    outcome: dict = {}
    first_thread = _run(first, outcome, "first")
    assert locked.wait(5)
    second_thread = _run(second, outcome, "second")
    second_thread.join(WAIT_S)
    assert second_thread.is_alive(), "the second writer did not wait for the lock"
    go.set()
    first_thread.join(10)
    second_thread.join(10)
    monkeypatch.undo()
    return outcome


def test_scores_import_beside_publish_lands_in_the_snapshot_when_it_locks_first(
    finalised, par_officer, monkeypatch
):
    round_, rows = finalised
    outcome = _second_waits_for_first(
        monkeypatch,
        _import(round_, rows),
        _publish(round_, par_officer),
        hold=(indexset_queries, "engine_index_set"),  # the import asks once it holds the lock
    )
    assert outcome["first"] == {"self": 1, "appraised": 0, "survey": 0}
    assert isinstance(outcome["second"], Snapshot)
    assert _self_points() == Decimal("1.5")
    assert _snapshot_value() == {"points": "1.5"}
    _assert_consistent(round_)


def test_scores_import_beside_publish_is_refused_when_publication_locks_first(
    finalised, par_officer, monkeypatch
):
    round_, rows = finalised
    outcome = _second_waits_for_first(
        monkeypatch,
        _publish(round_, par_officer),
        _import(round_, rows),
        hold=(queries, "round_inputs"),  # publication asks once it holds the lock
    )
    assert isinstance(outcome["first"], Snapshot)
    refused = outcome["second"]
    assert isinstance(refused, assessment_services.ImportFailed)
    assert refused.code == "scores.round_published"
    assert _self_points() == Decimal("3")
    assert _snapshot_value() == {"points": "3"}
    _assert_consistent(round_)


def test_scores_import_racing_publish_ends_one_way_or_the_other(finalised, par_officer):
    round_, rows = finalised
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def after_barrier(work):
        def run():
            barrier.wait(5)
            return work()

        return run

    threads = [
        _run(after_barrier(_import(round_, rows)), outcome, "import"),
        _run(after_barrier(_publish(round_, par_officer)), outcome, "publish"),
    ]
    for thread in threads:
        thread.join(10)
    assert isinstance(outcome["publish"], Snapshot)
    if isinstance(outcome["import"], assessment_services.ImportFailed):
        assert _self_points() == Decimal("3") and _snapshot_value() == {"points": "3"}
    else:
        assert _self_points() == Decimal("1.5") and _snapshot_value() == {"points": "1.5"}
    _assert_consistent(round_)
