"""The demo rounds: a finished previous year and a current round in every state."""

from __future__ import annotations

import pytest
from django.http import HttpRequest

from parindex.assessments import demo as assessments_demo
from parindex.assessments import queries
from parindex.assessments.models import Assessment, ExplanationRequest
from parindex.core.demo import DEMO_PASSWORD
from parindex.rounds import demo as rounds_demo
from parindex.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_demo_rounds(demo_world, client):
    """Every property checked on the demo province as `load_demo()` leaves it (the suite loads
    it for real once and copies it: `parindex.conftest.demo_world`)."""
    check_previous_round_is_published_with_approved_scores_for_every_unit(demo_world)
    check_current_round_has_units_in_every_state(demo_world)
    check_demo_pages_render(demo_world, client)
    check_demo_loads_only_once(demo_world)


def check_previous_round_is_published_with_approved_scores_for_every_unit(world):
    previous = Round.objects.get(pk=world.previous_round.pk)
    assert previous.status == Round.Status.PUBLISHED  # finalised, then published by results
    assessments = list(previous.assessments.all())
    assert assessments
    assert all(a.status == Assessment.Status.PUBLISHED and a.approved_at for a in assessments)
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
