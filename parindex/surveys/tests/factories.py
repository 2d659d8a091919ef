"""Index sets, questionnaires, rounds and campaigns for survey tests, made through the services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from parindex import engine
from parindex.indexsets import services as indexset_services
from parindex.indexsets.models import IndexSet
from parindex.surveys import files
from parindex.surveys.models import Questionnaire
from parindex.surveys.services import questionnaires
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
