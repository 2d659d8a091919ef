"""Fixtures shared by the rounds and assessments tests: an open round with the home unit in it.

The clock is frozen on 10/12/2024 (self-assessment from 01/12 to 31/12/2024) unless a test
travels elsewhere with time-machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from parindex.accounts.models import Role
from parindex.assessments.models import Assessment
from parindex.assessments.tests.factories import round_dates, save_index_set, small_spec
from parindex.conftest import make_user
from parindex.rounds import services as round_services
from parindex.rounds.models import Round

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2024, 12, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def clock():
    """Freeze time on 10/12/2024 09:00 in the province (inside the self-assessment phase)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def small_set(db):
    return save_index_set(small_spec())


@pytest.fixture
def round_(clock, small_set, home_unit, other_unit, par_officer, unit_editor, unit_head) -> Round:
    """An open round 2024 scoring SO units on the small set; HOME and OTHER take part.

    The home unit's officers exist before the round opens, so they are notified.
    """
    created = round_services.create_round(
        by=par_officer,
        code="CCHC-2024",
        year=2024,
        name="Đánh giá Chỉ số CCHC năm 2024",
        index_sets={"SO": small_set},
        dates=round_dates(2024),
        units=[home_unit, other_unit],
    )
    return round_services.open_round(by=par_officer, round_=created)


@pytest.fixture
def assessment(round_, home_unit) -> Assessment:
    return Assessment.objects.get(round=round_, unit=home_unit)


@pytest.fixture
def other_assessment(round_, other_unit) -> Assessment:
    return Assessment.objects.get(round=round_, unit=other_unit)


@pytest.fixture
def assigned_appraiser(round_, home_unit, appraiser, par_officer):
    """The appraiser persona, assigned every area of the home unit."""
    from parindex.indexsets.models import Criterion

    areas = Criterion.objects.filter(index_set__code="T-SO", parent__isnull=True)
    round_services.assign_appraisers(
        by=par_officer,
        round_=round_,
        cells={(home_unit.pk, area.pk): appraiser for area in areas},
    )
    appraiser.__dict__.pop("_parindex_appraisals", None)
    return appraiser


@pytest.fixture
def other_editor(other_unit):
    return make_user("o_editor", Role.UNIT_EDITOR, other_unit)


def build_world(world) -> None:
    """The objects the permission matrix requests: a round in progress with the home unit's
    assessment (an item with evidence and an explanation request) and the other unit's."""
    if hasattr(world, "round"):
        return
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parindex.assessments import services
    from parindex.assessments.models import ExplanationRequest
    from parindex.indexsets.models import Criterion
    from parindex.rounds.deadlines import today

    index_set = save_index_set(small_spec(code="MATRIX-SO"))
    start = today() - dt.timedelta(days=10)
    created = round_services.create_round(
        by=world.par_officer,
        code="MATRIX",
        year=start.year,
        name="Đợt thử ma trận quyền",
        index_sets={"SO": index_set},
        dates=round_dates(start.year, start),
        units=[world.home_unit, world.other_unit],
    )
    world.round = round_services.open_round(by=world.par_officer, round_=created)
    world.home_assessment = Assessment.objects.get(round=world.round, unit=world.home_unit)
    world.other_assessment = Assessment.objects.get(round=world.round, unit=world.other_unit)
    areas = Criterion.objects.filter(index_set=index_set, parent__isnull=True)
    round_services.assign_appraisers(
        by=world.par_officer,
        round_=world.round,
        cells={(world.home_unit.pk, area.pk): world.appraiser for area in areas},
    )
    world.home_item = world.home_assessment.items.select_related("assessment__round").get(
        criterion__code="1.1"
    )
    world.evidence, _ = services.upload_evidence(
        unit=world.home_unit,
        by=world.unit_editor,
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 minimal", content_type="application/pdf"),
        title="Kế hoạch CCHC",
    )
    services.attach_evidence(item=world.home_item, evidence=world.evidence, by=world.unit_editor)
    world.request = ExplanationRequest.objects.create(
        item=world.home_item, question="Bổ sung?", asked_by=world.appraiser
    )
