"""Rounds with scored assessments for results tests, created in bulk.

The bulk builders live beside the models they write, outside the tests, because the benchmark
uses them too; they are re-exported here under their old names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.assessments.models import Assessment, Item
from parindex.assessments.scale import enrol as enrol
from parindex.indexsets.scale import store_index_set as store_index_set
from parindex.rounds.scale import make_round as make_round

# A small set with every feature the results depend on: choice, range, N/A exclusion, survey,
# bonus and penalty with caps, and the four usual bands.
SMALL_SET: dict[str, Any] = {
    "code": "SO-T",
    "name": "Bộ Chỉ số CCHC các sở (thử nghiệm)",
    "unit_type": "SO",
    "valid_from": 2024,
    "bands": [
        {"code": "TOT", "name": "Tốt", "min_percent": 90},
        {"code": "KHA", "name": "Khá", "min_percent": 80},
        {"code": "TB", "name": "Trung bình", "min_percent": 65},
        {"code": "YEU", "name": "Yếu", "min_percent": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "name": "Công tác chỉ đạo, điều hành CCHC",
            "children": [
                {
                    "code": "1.1",
                    "name": "Ban hành kế hoạch CCHC năm đúng hạn",
                    "max_points": 2,
                    "rule": {
                        "type": "choice",
                        "options": [
                            {"label": "Đúng hạn", "points": 2},
                            {"label": "Chậm", "points": 1},
                            {"label": "Không ban hành", "points": 0},
                        ],
                    },
                },
                {"code": "1.2", "name": "Mức độ hoàn thành kế hoạch", "max_points": 3},
            ],
        },
        {
            "code": "2",
            "name": "Cải cách thủ tục hành chính",
            "children": [
                {
                    "code": "2.1",
                    "name": "Công khai thủ tục hành chính",
                    "max_points": 3,
                    "not_applicable": "exclude",
                },
                {
                    "code": "2.2",
                    "name": "Giải quyết hồ sơ đúng hạn",
                    "max_points": 2,
                    "not_applicable": "exclude",
                },
            ],
        },
        {
            "code": "3",
            "name": "Tác động của CCHC (điều tra xã hội học)",
            "children": [
                {
                    "code": "3.1",
                    "name": "Mức độ hài lòng",
                    "max_points": 10,
                    "source": "survey",
                    "rule": {"type": "proportional"},
                }
            ],
        },
        {"code": "B", "name": "Điểm thưởng", "kind": "bonus", "max_points": 1},
        {"code": "P", "name": "Điểm trừ", "kind": "penalty", "max_points": 2},
    ],
}


def add_reason(assessment: Assessment, code: str, reason: str, by: Any, points: str) -> None:
    """An appraiser's adjustment with its reason on one item (first appraisal)."""
    from parindex.assessments.models import Appraisal

    item = Item.objects.get(assessment=assessment, criterion__code=code)
    Appraisal.objects.create(
        item=item,
        stage=Appraisal.Stage.FIRST,
        decision=Appraisal.Decision.ADJUST,
        answer={"points": points},
        points=Decimal(points),
        reason=reason,
        by=by,
    )
