"""A published round and a provisional one for the results tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from parindex.assessments.models import Assessment
from parindex.results import services
from parindex.results.tests.factories import (
    SMALL_SET,
    add_reason,
    enrol,
    make_round,
    store_index_set,
)
from parindex.rounds.models import Round
from parindex.units.tests.factories import UnitFactory, unit_type


def scored_world(officer, home_unit=None, other_unit=None) -> SimpleNamespace:
    """Four departments scored in 2024 (published) and 2025 (provisional), with a tie."""
    index_set = store_index_set(SMALL_SET)
    so = unit_type("SO")
    home = home_unit or UnitFactory.create(code="HOME", name="Sở Nhà", unit_type=so)
    other = other_unit or UnitFactory.create(code="OTHER", name="Sở Khác", unit_type=so)
    tư_pháp = UnitFactory.create(code="STP", name="Sở Tư pháp", unit_type=so)
    tài_chính = UnitFactory.create(code="STC", name="Sở Tài chính", unit_type=so)
    full = {"1.1": {"choice": "Đúng hạn"}, "1.2": 3, "2.1": 3, "2.2": 2, "3.1": {"percent": "100"}}
    previous = make_round("R2024", 2024, [index_set], status=Round.Status.FINALISED)
    enrol(
        previous,
        index_set,
        {
            home: {**full, "1.2": {"self": 3, "appraised": 1.5}, "3.1": {"percent": "80"}},
            other: full,
            tư_pháp: {**full, "2.1": {"na": True}, "2.2": {"na": True}},
            tài_chính: {**full, "1.1": {"choice": "Chậm"}, "B": 1, "P": 0.5},
        },
    )
    home_assessment = Assessment.objects.get(round=previous, unit=home)
    add_reason(home_assessment, "1.2", "Chưa có báo cáo kết quả thực hiện kế hoạch", officer, "1.5")
    snapshot = services.publish_round(by=officer, round_=previous)
    current = make_round("R2025", 2025, [index_set])
    enrol(
        current,
        index_set,
        {
            home: full,
            other: {**full, "1.2": 2},
            tư_pháp: {**full, "1.2": 2},
            tài_chính: {**full, "3.1": {"percent": "50"}},
        },
        status=Assessment.Status.IN_APPRAISAL,
    )
    return SimpleNamespace(
        index_set=index_set,
        previous=previous,
        current=current,
        snapshot=snapshot,
        home=home,
        other=other,
        tu_phap=tư_pháp,
        tai_chinh=tài_chính,
    )


@pytest.fixture
def scored(par_officer, home_unit, other_unit):
    return scored_world(par_officer, home_unit, other_unit)
