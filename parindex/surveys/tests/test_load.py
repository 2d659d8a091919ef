"""A bounded load test on loopback: 50 people send the public form at once, with zero errors.

It runs on PostgreSQL (CI runs the suite on both databases): SQLite's in-memory test database
cannot hold concurrent writers, while a SQLite file waits its turn (busy timeout).
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from parindex.conftest import reseed
from parindex.surveys.models import Invitation, Response
from parindex.surveys.services import campaigns
from parindex.surveys.services.campaigns import Invitee
from parindex.surveys.tests.factories import campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type

SUBMITTERS = 50
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the form answers 302: keep it
        return None


def submit(base: str, token: str) -> int:
    """One respondent: open the form, then send it (cookies and CSRF as a browser would)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    url = f"{base}/surveys/f/{token}/"
    page = opener.open(url, timeout=30).read().decode()
    csrf = CSRF.search(page)
    assert csrf, "the form page has no CSRF token"
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "q-Q1": "A",
            "q-Q2": "B",
            "q-Q4": "C",
            "action": "send",
        }
    ).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url, "Origin": base})
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as answer:
        return answer.code


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database (SQLite's test database is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_people_send_the_public_form_at_once_without_an_error(live_server):
    reseed()  # an earlier transactional test's flush may have emptied the seeded tables
    survey_set()
    unit = UnitFactory(code="SNV", unit_type=unit_type("SO"))
    run = campaign(units=[unit])
    group = run.questionnaire.groups.get(code="LDP")
    issued = campaigns.issue_invitations(
        campaign=run, invitees=[Invitee(unit, group)] * SUBMITTERS, by=None
    )
    with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
        statuses = list(pool.map(lambda item: submit(live_server.url, item.token), issued))
    assert statuses == [302] * SUBMITTERS
    assert Response.objects.filter(campaign=run, channel="web").count() == SUBMITTERS
    assert not Invitation.objects.filter(used_on__isnull=True).exists()
