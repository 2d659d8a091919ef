"""The demo rounds: a finished previous year and a current round in every state."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.http import HttpRequest

from parindex.accounts import demo as accounts_demo
from parindex.assessments import demo as assessments_demo
from parindex.assessments import queries
from parindex.assessments.models import Assessment, ExplanationRequest
from parindex.assessments.tests.factories import load_sample
from parindex.core.demo import DEMO_PASSWORD
from parindex.rounds import demo as rounds_demo
from parindex.rounds.models import Round
from parindex.units import demo as units_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = SimpleNamespace(password=DEMO_PASSWORD, logins=[])
    units_demo.load(world)
    for name in ("so-2024", "tw-2024", "xa-2024", "xa-2026", "huyen-2024"):
        load_sample(name)
    accounts_demo.load(world)
    started = time.perf_counter()
    rounds_demo.load(world)
    assessments_demo.load(world)
    world.seconds = time.perf_counter() - started
    return world


def test_demo_rounds(world, client):
    """One load (it takes seconds), every property checked on it."""
    check_previous_round_is_finalised_with_approved_scores_for_every_unit(world)
    check_current_round_has_units_in_every_state(world)
    check_demo_pages_render(world, client)
    check_demo_loads_only_once(world)


def check_previous_round_is_finalised_with_approved_scores_for_every_unit(world):
    previous = Round.objects.get(pk=world.previous_round.pk)
    assert previous.status == Round.Status.FINALISED
    assessments = list(previous.assessments.all())
    assert assessments
    assert all(a.status == Assessment.Status.FINALISED and a.approved_at for a in assessments)
    for assessment in assessments:
        values, survey = queries.final_answers(assessment)
        assert values and survey
        items = queries.item_values(assessment.items.all())
        score = queries.score(queries.engine_set_for(assessment), items)
        assert score is not None and 50 < score.index_percent <= 100


def check_current_round_has_units_in_every_state(world):
    current = Round.objects.get(pk=world.current_round.pk)
    statuses = set(current.assessments.values_list("status", flat=True))
    assert {"draft", "submitted", "in_appraisal", "returned", "explained"} <= statuses
    assert ExplanationRequest.objects.filter(
        item__assessment__round=current, answered_at__isnull=True
    ).exists()
    featured = current.assessments.get(unit__code="STP")
    gaps = queries.completeness(featured)
    assert featured.status == "draft" and 1 <= len(gaps) <= 6
    assert queries.self_lock_for(featured) is None


def check_demo_pages_render(world, client):
    client.login(request=HttpRequest(), username="thamdinh", password=DEMO_PASSWORD)
    waiting = world.current_round.assessments.filter(status="in_appraisal").first()
    queue = client.get("/assessments/appraisal/", {"q": waiting.unit.code}).content.decode()
    assert waiting.unit.name in queue
    # The featured unit is still a draft: hidden from the queue until drafts are asked for.
    drafts = client.get("/assessments/appraisal/", {"drafts": "1", "q": "STP"}).content.decode()
    assert "Sở Tư pháp" in drafts
    client.login(request=HttpRequest(), username="stp.canbo", password=DEMO_PASSWORD)
    featured = world.current_round.assessments.get(unit__code="STP")
    assert client.get(f"/assessments/{featured.pk}/").status_code == 200


def check_demo_loads_only_once(world):
    count = Assessment.objects.count()
    rounds_demo.load(world)
    assessments_demo.load(world)
    assert Assessment.objects.count() == count
