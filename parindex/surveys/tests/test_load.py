"""A bounded load test on loopback: 50 people send the public form at once, with zero errors.

It runs on PostgreSQL (CI runs the suite on both databases): SQLite's in-memory test database
cannot hold concurrent writers, while a SQLite file waits its turn (busy timeout).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from parindex.conftest import reseed
from parindex.surveys.models import Invitation, Response
from parindex.surveys.scale import ProductionBacklog, submit_form
from parindex.surveys.services import campaigns
from parindex.surveys.services.campaigns import Invitee
from parindex.surveys.tests.factories import campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type

SUBMITTERS = 50
ANSWERS = {"Q1": "A", "Q2": "B", "Q4": "C"}


@pytest.fixture
def server():
    """A live server of its own for the load test, with the production server's backlog."""
    live = LiveServer("localhost", start=False)
    live.thread.server_class = ProductionBacklog
    live.start()
    yield live
    live.stop()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database (SQLite's test database is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_people_send_the_public_form_at_once_without_an_error(server):
    reseed()  # an earlier transactional test's flush may have emptied the seeded tables
    survey_set()
    unit = UnitFactory(code="SNV", unit_type=unit_type("SO"))
    run = campaign(units=[unit])
    group = run.questionnaire.groups.get(code="LDP")
    issued = campaigns.issue_invitations(
        campaign=run, invitees=[Invitee(unit, group)] * SUBMITTERS, by=None
    )
    with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
        statuses = list(pool.map(lambda item: submit_form(server.url, item.token, ANSWERS), issued))
    assert statuses == [302] * SUBMITTERS
    assert Response.objects.filter(campaign=run, channel="web").count() == SUBMITTERS
    assert not Invitation.objects.filter(used_on__isnull=True).exists()
