"""The results of a round cached by revision in the shared cache (issue 15, decision 0013)."""

from __future__ import annotations

import zlib
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from parindex.assessments.models import Item
from parindex.core import revisions
from parindex.results import computing, queries, services
from parindex.rounds.models import Round
from parindex.units.services import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def computations(monkeypatch) -> list[int]:
    """One entry per computation of a round's results (the real one still runs)."""
    computed: list[int] = []
    real = queries.compute

    def counted(*args: Any, **kwargs: Any) -> Any:
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "compute", counted)
    return computed


def _home_index(round_) -> D:
    results = queries.round_results(Round.objects.get(pk=round_.pk))
    return results.types["SO"].score("HOME").index_percent


def test_a_preview_is_computed_once_and_served_to_every_process_until_data_changes(
    scored, monkeypatch, django_assert_max_num_queries
):
    first = queries.round_results(scored.current)
    assert first.is_provisional

    def must_not_compute(*args, **kwargs):
        raise AssertionError("recomputed although nothing changed")

    monkeypatch.setattr(queries, "compute", must_not_compute)
    monkeypatch.setattr(queries, "round_inputs", must_not_compute)
    with django_assert_max_num_queries(2):  # the snapshot's absence; the cache's entry is read
        again = queries.round_results(scored.current)
    assert (
        again.types["SO"].score("HOME").index_percent
        == first.types["SO"].score("HOME").index_percent
    )
    assert again is not first  # read from the shared cache: nothing is kept in the process


def test_no_results_are_kept_in_the_process(scored, computations):
    """Issue 15: the shared cache is the only cache: once it lost an entry (evicted, or
    cleared by another process), the results are computed again, never served from a copy a
    process kept."""
    queries.round_results(scored.current)
    assert computations == [1]
    computations.clear()
    queries.round_results(scored.current)
    assert computations == []  # the shared cache's entry
    cache.clear()
    queries.round_results(scored.current)
    assert computations == [1]


def test_a_score_change_is_seen_at_once(scored, par_officer):
    before = _home_index(scored.current)
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    services.save_survey_points(
        by=par_officer, round_=scored.current, values={item.pk: ("10", item.version)}
    )
    assert _home_index(scored.current) < before


def test_a_renamed_unit_and_a_changed_round_are_seen_at_once(scored, par_officer):
    assert queries.round_results(scored.current).types["SO"].units["HOME"].name == "Sở Nhà"
    home = scored.home
    registry.update_unit(
        by=par_officer,
        unit=home,
        name="Sở Nhà mới",
        unit_type=home.unit_type,
        parent=home.parent,
        peer_group=home.peer_group,
        reason="Sửa tên",
    )
    results = queries.round_results(Round.objects.get(pk=scored.current.pk))
    assert results.types["SO"].units["HOME"].name == "Sở Nhà mới"
    key = queries.preview_key(scored.current)
    round_ = Round.objects.get(pk=scored.current.pk)
    round_.name = "Đổi tên không qua dịch vụ"  # not audited: the round's own stamp still moves
    round_.save()
    assert queries.preview_key(Round.objects.get(pk=scored.current.pk)) != key


def test_a_published_round_is_cached_by_its_sha256(scored):
    results = queries.round_results(scored.previous)
    assert not results.is_provisional and results.sha256 == scored.snapshot.sha256
    version = computing.engine_version()
    assert cache.get(f"results:published:{scored.snapshot.sha256}:{version}") is not None


def test_the_revision_changes_once_per_transaction_when_it_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.undo()  # the real `touch`, not the tests' one (see the root conftest)
    token = revisions.current()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        revisions.touch()
        revisions.touch()
        assert revisions.current() == token  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert revisions.current() != token


def test_the_revision_is_drawn_again_when_the_cache_lost_it():
    token = revisions.current()
    cache.delete(revisions.KEY)
    assert revisions.current() not in ("", token)


def test_details_come_out_of_the_cache_packed_and_unpack_on_first_read(scored):
    computed = queries.round_results(scored.current).types["SO"].details
    cached_type = queries.round_results(scored.current).types["SO"]
    # the ranking never pays for ~10^5 small dicts it does not show
    assert "details" not in vars(cached_type)
    cached = cached_type.details
    assert cached.get("HOME") == computed.get("HOME") and cached.get("HOME")
    assert "details" in vars(cached_type)
    assert dict(cached) == dict(computed) and cached.get("NOBODY") is None


def _finalised(round_) -> Round:
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.FINALISED)
    return Round.objects.get(pk=round_.pk)


def _texts_gathered_now(round_) -> tuple[str, str]:
    inputs = queries.round_inputs(round_)
    texts = queries.snapshot_texts_of(inputs, computing.compute(inputs, is_provisional=False))
    return texts[0].decode(), texts[1].decode()


def test_publication_freezes_the_texts_the_preview_computed_for_the_same_data(
    scored, par_officer, monkeypatch
):
    round_ = _finalised(scored.current)
    expected = _texts_gathered_now(round_)
    queries.round_results(round_)  # the office opens the results page, then publishes
    # the real `touch`: publication's own lock draws a new revision when it commits, not before
    monkeypatch.undo()

    def must_not_gather(*args, **kwargs):
        raise AssertionError("gathered again although nothing changed since the preview")

    monkeypatch.setattr(queries, "round_inputs", must_not_gather)
    snapshot = services.publish_round(by=par_officer, round_=round_)
    assert (snapshot.inputs, snapshot.outputs) == expected
    monkeypatch.undo()
    assert services.verify_round(round_=round_).is_intact


def test_publication_gathers_the_data_again_after_a_change_since_the_preview(scored, par_officer):
    queries.round_results(scored.current)
    item = Item.objects.get(
        assessment__round=scored.current, assessment__unit=scored.home, criterion__code="3.1"
    )
    services.save_survey_points(
        by=par_officer, round_=scored.current, values={item.pk: ("10", item.version)}
    )
    round_ = _finalised(scored.current)
    expected = _texts_gathered_now(round_)
    assert '"3.1":{"percent":"10"}' in expected[0]
    snapshot = services.publish_round(by=par_officer, round_=round_)
    assert (snapshot.inputs, snapshot.outputs) == expected


def test_scores_and_ranking_areas_come_out_of_the_cache_packed_and_read_alike(scored):
    from parindex.results import analysis

    computed = queries.round_results(scored.current).types["SO"]
    rows = analysis.ranking(computed)
    cached = queries.round_results(scored.current).types["SO"]
    assert "scores" not in vars(cached)  # the ranking reads its rows, not ~10^5 scores
    cached_rows = analysis.ranking(cached)
    assert all("areas" not in vars(row) for row in cached_rows)
    assert cached_rows == rows  # equality reads every field, the areas built back
    assert cached.score("HOME") == computed.score("HOME")
    assert cached.scores.ranks == computed.scores.ranks


def test_packed_results_are_lz4_frames_and_anything_else_is_refused():
    value = {"HOME": [D("85.95"), "Đạt", None]}
    packed = computing.pack(value)
    assert packed.startswith(b"\x04\x22\x4d\x18")  # an lz4 frame's magic number
    assert computing.unpack(packed) == value
    with pytest.raises(ValueError, match="lz4"):
        computing.decompress(zlib.compress(b"written by an earlier version", 1))


def test_snapshot_texts_an_earlier_version_cached_are_computed_again(
    scored, par_officer, monkeypatch
):
    round_ = _finalised(scored.current)
    expected = _texts_gathered_now(round_)
    queries.round_results(round_)  # the office opens the results page
    key = f"{queries.preview_key(round_)}:snapshot"
    stale = tuple(zlib.compress(text, 1) for text in cache.get(key))  # zlib, as before lz4
    cache.set(key, stale)
    monkeypatch.undo()  # the real `touch`: publication's lock draws a new revision on commit
    refused = []
    real = computing.decompress

    def decompress(data):
        try:
            return real(data)
        except ValueError:
            refused.append(data)
            raise

    monkeypatch.setattr(computing, "decompress", decompress)
    snapshot = services.publish_round(by=par_officer, round_=round_)
    assert refused == [stale[0]]  # the stale entry was read, refused, and gathered again
    assert (snapshot.inputs, snapshot.outputs) == expected
    assert services.verify_round(round_=round_).is_intact


def test_results_an_earlier_version_cached_are_computed_again(scored, computations):
    key = queries.preview_key(scored.current)
    cache.set(key, zlib.compress(b"not results", 1))
    assert queries.round_results(scored.current).types["SO"].score("HOME")
    assert computations == [1]
