"""Synthetic index sets at benchmark size, for `parindex bench` and the query-count tests.

Not test code: the benchmarks run on an install without the development tools.
"""

from __future__ import annotations

from typing import Any

from parindex import engine
from parindex.indexsets import services
from parindex.indexsets.models import IndexSet
from parindex.units.models import UnitType

AREAS, CRITERIA, SUBCRITERIA = 6, 5, 5  # 6 × 5 × 5 = 150 leaves


def generated_spec(code: str = "BENCH-2027") -> dict[str, Any]:
    """A 150-leaf set with every rule type, survey leaves, N/A exclusions and a bonus."""
    options = [{"label": "Đạt", "points": 1}, {"label": "Không", "points": 0}]
    tiers = [{"min_percent": 100, "points": 1}, {"min_percent": 80, "points": 0.5}]
    rules = [
        {"type": "choice", "options": options},
        {"type": "percent_tiers", "tiers": tiers},
        {"type": "deduction", "per_item": 0.25},
        {"type": "proportional"},
        {"type": "range", "step": 0.25},
    ]
    areas: list[dict[str, Any]] = []
    for a in range(1, AREAS + 1):
        criteria = []
        for c in range(1, CRITERIA + 1):
            leaves = []
            for s in range(1, SUBCRITERIA + 1):
                leaf: dict[str, Any] = {
                    "code": f"{a}.{c}.{s}",
                    "name": f"Tiêu chí thành phần {a}.{c}.{s} về cải cách hành chính",
                    "max_points": 1,
                    "rule": rules[s - 1],
                    "evidence": "Văn bản, báo cáo kèm theo",
                }
                if s == 4:
                    leaf["source"] = "survey"
                if c == 5:
                    leaf["not_applicable"] = "exclude"
                leaves.append(leaf)
            criteria.append({"code": f"{a}.{c}", "name": f"Tiêu chí {a}.{c}", "children": leaves})
        areas.append(
            {"code": str(a), "name": f"Lĩnh vực {a}", "owner": "SNV", "children": criteria}
        )
    areas.append(
        {"code": "B", "name": "Điểm thưởng", "kind": "bonus", "max_points": 2, "rule": rules[4]}
    )
    return {
        "code": code,
        "name": "Bộ chỉ số đo hiệu năng",
        "unit_type": "SO",
        "valid_from": 2027,
        "bands": [
            {"code": "A", "name": "Đạt", "min_percent": 50},
            {"code": "B", "name": "Chưa", "min_percent": 0},
        ],
        "criteria": areas,
    }


def big_spec(leaves: int = 150, code: str = "BIG-SO") -> dict:
    """A set with `leaves` leaves in 10 areas (the query-count and benchmark size)."""
    per_area = leaves // 10
    criteria = []
    for area in range(1, 11):
        children = []
        for n in range(1, per_area + 1):
            leaf: dict[str, Any] = {
                "code": f"{area}.{n}",
                "name": f"Tiêu chí thành phần {area}.{n}",
                "max_points": 1,
                "evidence": "Văn bản chứng minh",
            }
            if n % 3 == 0:
                leaf["rule"] = {
                    "type": "choice",
                    "options": [{"label": "Đạt", "points": 1}, {"label": "Không đạt", "points": 0}],
                }
            elif n % 3 == 1:
                leaf["rule"] = {
                    "type": "percent_tiers",
                    "tiers": [
                        {"min_percent": 100, "points": 1},
                        {"min_percent": 80, "points": 0.5},
                    ],
                }
            else:
                leaf["rule"] = {"type": "deduction", "per_item": 0.25}
            children.append(leaf)
        criteria.append({"code": str(area), "name": f"Lĩnh vực {area}", "children": children})
    return {
        "code": code,
        "name": "Bộ lớn",
        "unit_type": "SO",
        "valid_from": 2024,
        "bands": [{"code": "TOT", "name": "Tốt", "min_percent": 0}],
        "criteria": criteria,
    }


def store_index_set(spec: dict[str, Any], *, draft: bool = False) -> IndexSet:
    """Store a spec through the index-set service (checked by the engine), published unless
    `draft`; its unit type is made first if a transactional test flushed the standard ones."""
    parsed = engine.parse_index_set(spec)
    UnitType.objects.get_or_create(code=parsed.unit_type, defaults={"name": parsed.unit_type})
    return services.import_index_set(source=parsed, by=None, draft=draft).index_set
