"""Test data for rounds and assessments: index sets from specs, rounds, assessed units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from parindex.indexsets.models import IndexSet
from parindex.indexsets.scale import big_spec as big_spec
from parindex.indexsets.scale import store_index_set
from parindex.indexsets.tests.factories import sample_set

SAMPLES = Path(__file__).resolve().parents[2] / "indexsets" / "samples"


def save_index_set(spec: dict[str, Any], *, published: bool = True) -> IndexSet:
    """Store an index-set spec as rows through the index-set service (validated by the engine)."""
    return store_index_set(spec, draft=not published)


def load_sample(name: str = "so-2024") -> IndexSet:
    """One of the sample index sets shipped in parindex/indexsets/samples, published."""
    code = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))["code"]
    existing = IndexSet.objects.filter(code=code).first()
    return existing or sample_set(f"{name}.yaml")


def small_spec(code: str = "T-SO", unit_type_code: str = "SO", year: int = 2024) -> dict:
    """A small set with every rule shape, N/A policies, a survey leaf and a bonus."""
    return {
        "code": code,
        "name": f"Bộ thử {code}",
        "unit_type": unit_type_code,
        "valid_from": year,
        "bands": [
            {"code": "TOT", "name": "Tốt", "min_percent": 90},
            {"code": "YEU", "name": "Yếu", "min_percent": 0},
        ],
        "criteria": [
            {
                "code": "1",
                "name": "Chỉ đạo điều hành",
                "children": [
                    {
                        "code": "1.1",
                        "name": "Ban hành kế hoạch",
                        "max_points": 1,
                        "rule": {
                            "type": "choice",
                            "options": [
                                {"label": "Đúng hạn", "points": 1},
                                {"label": "Chậm", "points": 0.5},
                                {"label": "Không ban hành", "points": 0},
                            ],
                        },
                        "evidence": "Quyết định ban hành kế hoạch",
                        "guidance": "Đúng hạn: trước ngày 31/01.",
                    },
                    {
                        "code": "1.2",
                        "name": "Hoàn thành kế hoạch",
                        "max_points": 2,
                        "rule": {
                            "type": "percent_tiers",
                            "tiers": [
                                {"min_percent": 100, "points": 2},
                                {"min_percent": 80, "points": 1},
                            ],
                        },
                    },
                    {
                        "code": "1.3",
                        "name": "Báo cáo định kỳ",
                        "max_points": 1,
                        "rule": {"type": "deduction", "per_item": 0.25},
                    },
                ],
            },
            {
                "code": "2",
                "name": "Thủ tục hành chính",
                "children": [
                    {
                        "code": "2.1",
                        "name": "Công khai thủ tục",
                        "max_points": 2,
                        "rule": {"type": "range", "step": 0.5},
                        "not_applicable": "exclude",
                    },
                    {
                        "code": "2.2",
                        "name": "Khắc phục sau kiểm tra",
                        "max_points": 1,
                        "rule": {"type": "proportional"},
                        "not_applicable": "full",
                    },
                ],
            },
            {
                "code": "3",
                "name": "Điều tra xã hội học",
                "children": [
                    {
                        "code": "3.1",
                        "name": "Mức độ hài lòng",
                        "max_points": 3,
                        "source": "survey",
                        "rule": {"type": "proportional"},
                    }
                ],
            },
            {
                "code": "B",
                "name": "Điểm thưởng",
                "kind": "bonus",
                "max_points": 1,
                "rule": {"type": "range", "step": 0.25},
            },
        ],
    }


def round_dates(year: int = 2024, start: dt.date | None = None) -> dict[str, dt.date]:
    """Phase dates of a round assessing `year`, starting on `start` (default 1 December)."""
    start = start or dt.date(year, 12, 1)
    return {
        "self_assessment_opens_on": start,
        "self_assessment_closes_on": start + dt.timedelta(days=30),
        "appraisal_closes_on": start + dt.timedelta(days=45),
        "explanation_closes_on": start + dt.timedelta(days=52),
        "second_appraisal_closes_on": start + dt.timedelta(days=60),
        "council_closes_on": start + dt.timedelta(days=70),
        "publication_on": start + dt.timedelta(days=80),
    }


D = Decimal
