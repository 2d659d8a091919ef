"""Rounds written in one go, for `parindex bench` and the results tests.

Not test code: the benchmarks run on an install without the development tools. The round is
stored in the state asked for, without walking the workflow (the bulk data needs no history).
"""

from __future__ import annotations

import datetime as dt

from parindex.indexsets.models import IndexSet
from parindex.rounds.models import Round, RoundIndexSet


def make_round(
    code: str,
    year: int,
    index_sets: list[IndexSet],
    *,
    status: str = Round.Status.OPEN,
    by_peer_groups: bool = False,
) -> Round:
    """A round of a year scoring each unit type on the given set."""
    day = dt.date(year + 1, 1, 5)
    round_ = Round.objects.create(
        code=code,
        year=year,
        name=f"Đánh giá Chỉ số CCHC năm {year}",
        status=status,
        self_assessment_opens_on=day,
        self_assessment_closes_on=day,
        appraisal_closes_on=day,
        explanation_closes_on=day,
        second_appraisal_closes_on=day,
        council_closes_on=day,
        publication_on=day,
        rank_within_peer_groups=by_peer_groups,
    )
    for index_set in index_sets:
        RoundIndexSet.objects.create(
            round=round_, unit_type=index_set.unit_type, index_set=index_set
        )
    return round_
