"""Small builders for index-set specs and answers used across the engine tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine import Criterion, IndexSet, parse_index_set
from parindex.engine.spec.reader import NODE_KEYS

D = Decimal

BANDS: list[dict[str, Any]] = [
    {"code": "TOT", "name": "Tốt", "min_percent": 90},
    {"code": "KHA", "name": "Khá", "min_percent": 80},
    {"code": "TB", "name": "Trung bình", "min_percent": 65},
    {"code": "YEU", "name": "Yếu", "min_percent": 0},
]


def choice(*options: tuple[str, Any]) -> dict[str, Any]:
    """A choice rule spec from (label, points) pairs."""
    return {"type": "choice", "options": [{"label": label, "points": p} for label, p in options]}


def tiers(*pairs: tuple[Any, Any]) -> dict[str, Any]:
    """A percent_tiers rule spec from (min_percent, points) pairs, highest first."""
    return {"type": "percent_tiers", "tiers": [{"min_percent": m, "points": p} for m, p in pairs]}


CHOICE = choice(("Đúng hạn", 1), ("Chậm", 0.5), ("Không ban hành", 0))
TIERS = tiers((100, 1), (80, 0.5))

# The example of docs/design.md ("Interchange formats"), verbatim.
DESIGN_YAML = """\
code: SO-2024                     # unique
name: Bộ Chỉ số CCHC các sở, ban, ngành năm 2024
unit_type: SO
valid_from: 2024
legal_basis: Quyết định số 123/QĐ-UBND ngày 15/01/2024
bands:                            # highest first; percent of effective max
  - {code: TOT, name: Tốt, min_percent: 90}
  - {code: KHA, name: Khá, min_percent: 80}
  - {code: TB, name: Trung bình, min_percent: 65}
  - {code: YEU, name: Yếu, min_percent: 0}
criteria:
  - code: "1"
    name: Công tác chỉ đạo, điều hành CCHC
    owner: SNV                    # optional: responsible department's unit code
    children:
      - code: "1.1"
        name: Kế hoạch CCHC năm
        children:
          - code: "1.1.1"
            name: Ban hành kế hoạch CCHC năm đúng hạn
            max_points: 1
            rule: {type: choice, options: [{label: Đúng hạn, points: 1}, {label: Chậm, points: 0.5}, {label: Không ban hành, points: 0}]}
            evidence: Quyết định ban hành kế hoạch
          - code: "1.1.2"
            name: Mức độ hoàn thành kế hoạch
            max_points: 1
            rule: {type: percent_tiers, tiers: [{min_percent: 100, points: 1}, {min_percent: 80, points: 0.5}]}
            not_applicable: none
  - code: "8"
    name: Tác động của CCHC (điều tra xã hội học)
    children:
      - {code: "8.1", name: Mức độ hài lòng, max_points: 20, source: survey, rule: {type: proportional}}
  - {code: "B", name: Điểm thưởng, kind: bonus, max_points: 2, rule: {type: range, step: 0.25}}
"""  # noqa: E501


def make_spec(
    *criteria: dict[str, Any], bands: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A valid set-level spec around the given top-level criteria."""
    return {
        "code": "T-2024",
        "name": "Bộ chỉ số thử",
        "unit_type": "SO",
        "valid_from": 2024,
        "bands": BANDS if bands is None else bands,
        "criteria": list(criteria),
    }


def make_set(*criteria: dict[str, Any], bands: list[dict[str, Any]] | None = None) -> IndexSet:
    """Parse (and so validate) an index set made of the given top-level criteria."""
    return parse_index_set(make_spec(*criteria, bands=bands))


def leaf(code: str, max_points: Any = 1, **fields: Any) -> dict[str, Any]:
    """A leaf criterion spec (default rule: range in steps of 0.01), keys in canonical order."""
    return _in_canonical_order(
        {"code": code, "name": f"Tiêu chí {code}", "max_points": max_points, **fields}
    )


def branch(code: str, *children: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A branch criterion spec whose maximum is derived from its children."""
    return _in_canonical_order(
        {"code": code, "name": f"Lĩnh vực {code}", **fields, "children": list(children)}
    )


def _in_canonical_order(node: dict[str, Any]) -> dict[str, Any]:
    order = {key: position for position, key in enumerate(NODE_KEYS)}
    return dict(sorted(node.items(), key=lambda item: order.get(item[0], len(order))))


def single_leaf(max_points: Any = 1, **fields: Any) -> Criterion:
    """A parsed leaf `L` (in area `A`), for testing one rule on its own."""
    return make_set(branch("A", leaf("L", max_points, **fields))).criterion("L")
