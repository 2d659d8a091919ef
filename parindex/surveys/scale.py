"""A national-size survey campaign for `parindex bench`: 3,500 communes on the 2026 commune
set, the sample commune questionnaire, and long-form response rows drawn from a fixed seed.

Not test code: the benchmarks run on an install without the development tools. The round and
its items are written in bulk by the apps' own scale helpers; the questionnaire and campaign
go through the services.
"""

from __future__ import annotations

import http.cookiejar
import random
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import yaml
from django.core.servers.basehttp import ThreadedWSGIServer
from django.utils import timezone

from parindex.surveys import files
from parindex.surveys.models import Campaign
from parindex.surveys.services import campaigns, questionnaires

HERE = Path(__file__).resolve().parent
COMMUNE_SET = HERE.parent / "indexsets" / "samples" / "xa-2026.yaml"
COMMUNE_QUESTIONNAIRE = HERE / "samples" / "xhh-xa-2026.yaml"


def commune_campaign(units: int) -> Campaign:
    """A campaign of the commune questionnaire in a round of `units` communes."""
    import datetime as dt

    from parindex.assessments.scale import enrol
    from parindex.indexsets.scale import store_index_set
    from parindex.rounds.scale import make_round
    from parindex.units.models import Unit, UnitType

    index_set = store_index_set(yaml.safe_load(COMMUNE_SET.read_text("utf-8")))
    xa = UnitType.objects.get(code="XA")
    Unit.objects.bulk_create(
        Unit(code=f"XQ{n:04d}", name=f"Xã Khảo Sát {n}", unit_type=xa) for n in range(units)
    )
    communes = list(Unit.objects.filter(code__startswith="XQ").order_by("code"))
    round_ = make_round("BENCH-XHH", 2026, [index_set])
    enrol(round_, index_set, {unit: {} for unit in communes})
    spec = files.read_questionnaire_file(COMMUNE_QUESTIONNAIRE.read_bytes(), "xa.yaml")
    stored = questionnaires.import_questionnaire(spec=spec, by=None).questionnaire
    return campaigns.create_campaign(
        questionnaire=stored,
        round_=round_,
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        by=None,
    )


# Questions asked of each group of the commune questionnaire.
ASKED = {"HDND": ("Q1",), "LDS": ("Q2", "Q3"), "ND": ("Q4", "Q5", "Q6", "Q7", "Q8", "Q9")}


def response_rows(units: int, rows: int, seed: int = 2026) -> list[list[str]]:
    """About `rows` long-form rows (response_id,group,unit_code,question_code,answer)."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    number = 0
    while len(out) < rows:
        number += 1
        unit = f"XQ{rng.randrange(units):04d}"
        group = rng.choice(("ND", "ND", "ND", "LDS", "HDND"))
        for question in ASKED[group]:
            out.append([f"B{number:07d}", group, unit, question, rng.choice("AABBBCCDX ").strip()])
    return out


# -- the public form under load --------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the form answers 302 once sent: keep that status


class ProductionBacklog(ThreadedWSGIServer):
    """Django's test server with gunicorn's listen backlog (2048), for the 50 submitters who
    open and send the public form at once. Django's keeps 10 connections waiting to be
    accepted: beyond them the kernel drops or resets the others, as a busy CI run once met
    (ConnectionResetError). That is a limit of the test server, not of the application."""

    request_queue_size = 2048


def submit_form(base: str, token: str, answers: Mapping[str, str]) -> int:
    """One respondent on the public form, as a browser: open it (cookies, CSRF token), then send
    `answers` ({question code: option code}); the status of the sending (302 when taken)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url = f"{base}/surveys/f/{token}/"
    try:
        page = opener.open(url, timeout=30).read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code
    csrf = CSRF.search(page)
    if csrf is None:
        return 0  # no form to send
    fields = {f"q-{code}": option for code, option in answers.items()}
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf.group(1), **fields, "action": "send"}
    ).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url, "Origin": base})
    try:
        return int(opener.open(request, timeout=30).status)
    except urllib.error.HTTPError as answer:
        return answer.code
