"""Rows of the survey exports (header first), written as CSV by the shared table writer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from parindex.documents.tables import write_csv
from parindex.surveys.scoring import CampaignScores, percent_text

RESULTS_HEADER = ["unit_code", "criterion_code", "responses", "percent", "points"]


def result_rows(scores: CampaignScores) -> Iterator[list[Any]]:
    """The machine CSV of survey results (docs/design.md): one row per unit and survey leaf."""
    yield RESULTS_HEADER
    for unit, result in scores.rows():
        yield [
            unit,
            result.criterion,
            result.responses,
            percent_text(result.percent_rounded),
            percent_text(result.points),
        ]


def results_csv(scores: CampaignScores) -> bytes:
    """The machine CSV's bytes (no byte-order mark: other systems read it)."""
    return write_csv(result_rows(scores), bom=False)
