"""Publication, verification and the figures of a round computed from its assessments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.results import queries

pytestmark = pytest.mark.django_db


def test_published_results_are_read_from_the_snapshot(scored):
    results = queries.round_results(scored.previous)
    assert not results.is_provisional
    assert results.sha256 == scored.snapshot.sha256
    so = results.types["SO"]
    home = so.score("HOME")
    # 1.1 2 + 1.2 appraised 1.5 + 2.x 5 + 3.1 80% of 10 = 8 → 16.5 of 20
    assert home.points == D("16.50")
    assert home.index_percent == D("82.50")
    assert home.band.name == "Khá"


def test_provisional_preview_is_marked(scored):
    results = queries.round_results(scored.current)
    assert results.is_provisional
    assert results.types["SO"].score("HOME").index_percent == D("100.00")
