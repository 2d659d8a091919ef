"""Index sets, questionnaires, rounds and campaigns for survey tests, made through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone

from parindex import engine
from parindex.indexsets import services as indexset_services
from parindex.indexsets.models import IndexSet
from parindex.rounds import services as rounds_services
from parindex.rounds.models import Round, RoundIndexSet
from parindex.surveys import files
from parindex.surveys.models import Answer, Campaign, Questionnaire, Response
from parindex.surveys.services import campaigns, questionnaires
from parindex.units.models import Unit
from parindex.units.tests.factories import unit_type

DATA = Path(__file__).resolve().parent / "data"
QUESTIONNAIRE_YAML = (DATA / "xhh-so.yaml").read_text("utf-8")


def _leaf(code: str, max_points: int, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Tiêu chí {code}",
        "max_points": max_points,
        "source": "survey",
        "rule": {"type": "proportional"},
        **extra,
    }


def survey_set_spec(code: str = "SO-XHH", valid_from: int = 2025) -> dict[str, Any]:
    """A small departments' set: one self-assessed leaf and four survey leaves."""
    return {
        "code": code,
        "name": "Bộ Chỉ số CCHC các sở (thử nghiệm điều tra)",
        "unit_type": "SO",
        "valid_from": valid_from,
        "bands": [
            {"code": "TOT", "name": "Tốt", "min_percent": 90},
            {"code": "YEU", "name": "Yếu", "min_percent": 0},
        ],
        "criteria": [
            {
                "code": "1",
                "name": "Công tác chỉ đạo, điều hành",
                "children": [{"code": "1.1", "name": "Kế hoạch CCHC", "max_points": 2}],
            },
            {
                "code": "8",
                "name": "Tác động của CCHC (điều tra xã hội học)",
                "children": [
                    _leaf("8.1", 4),
                    _leaf("8.2", 2),
                    _leaf(
                        "8.3",
                        2,
                        rule={
                            "type": "percent_tiers",
                            "tiers": [
                                {"min_percent": 80, "points": 2},
                                {"min_percent": 50, "points": 1},
                            ],
                        },
                    ),
                    _leaf("8.4", 2, not_applicable="exclude"),
                ],
            },
        ],
    }


def survey_set(code: str = "SO-XHH", valid_from: int = 2025) -> IndexSet:
    """The small set, published."""
    unit_type("SO")
    source = engine.parse_index_set(survey_set_spec(code, valid_from))
    return indexset_services.import_index_set(source=source, by=None).index_set


def questionnaire(text: str = QUESTIONNAIRE_YAML, by: Any = None) -> Questionnaire:
    """The test questionnaire (its index set must exist)."""
    spec = files.read_questionnaire_file(text.encode("utf-8"), "xhh.yaml")
    return questionnaires.import_questionnaire(spec=spec, by=by).questionnaire


def dates(year: int) -> dict[str, dt.date]:
    day = dt.date(year + 1, 1, 5)
    return dict.fromkeys(
        (
            "self_assessment_opens_on",
            "self_assessment_closes_on",
            "appraisal_closes_on",
            "explanation_closes_on",
            "second_appraisal_closes_on",
            "council_closes_on",
            "publication_on",
        ),
        day,
    )


def make_round(code: str, year: int, index_sets: list[IndexSet], **extra: Any) -> Round:
    """An open round scoring each set's unit type on it."""
    round_ = Round.objects.create(
        code=code,
        year=year,
        name=f"Đánh giá Chỉ số CCHC năm {year}",
        status=extra.pop("status", Round.Status.OPEN),
        **dates(year),
    )
    for index_set in index_sets:
        RoundIndexSet.objects.create(
            round=round_, unit_type=index_set.unit_type, index_set=index_set
        )
    return round_


def campaign(
    stored: Questionnaire | None = None,
    round_: Round | None = None,
    by: Any = None,
    units: Sequence[Unit] = (),
) -> Campaign:
    """A campaign of the test questionnaire in a 2025 round (taking part: `units`)."""
    stored = stored or questionnaire()
    round_ = round_ or make_round("CCHC-2025", 2025, [stored.index_set])
    if units:
        rounds_services.add_units(by=None, round_=round_, units=units)
    return campaigns.create_campaign(
        questionnaire=stored,
        round_=round_,
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        by=by,
    )


_counter = iter(range(1, 10**9))


def add_response(
    campaign: Campaign, unit: Unit, group: str, answers: dict[str, str], **extra: Any
) -> Response:
    """A response straight in the tables (scoring tests; the services are tested elsewhere)."""
    questionnaire = campaign.questionnaire
    response = Response.objects.create(
        campaign=campaign,
        response_id=extra.pop("response_id", f"T{next(_counter)}"),
        unit=unit,
        group=questionnaire.groups.get(code=group),
        channel=extra.pop("channel", Response.Channel.FILE),
        received_on=dt.date(2026, 1, 10),
        **extra,
    )
    for code, option in answers.items():
        question = questionnaire.questions.get(code=code)
        scale = (
            question.options
            if question.has_own_options
            else questionnaire.options.filter(question=None)
        )
        Answer.objects.create(
            response=response,
            question=question,
            option=scale.get(code=option) if option else None,
        )
    return response
