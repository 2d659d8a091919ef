"""The API's read endpoints: index sets, units, rounds, results, national, monitoring, surveys.

Each endpoint names the scope it needs (`auth.require`) and reads through the apps' queries, so
the figures are the ones the pages show. Results are the publication snapshot's (with its
SHA-256); a provisional preview is given only to a token with `results:provisional`.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from parindex.api import schemas
from parindex.api.auth import require
from parindex.api.errors import get_or_404
from parindex.api.scopes import Scope
from parindex.monitoring.models import Plan, Progress
from parindex.rounds.models import PHASE_FIELDS, Phase, Round
from parindex.units.models import Unit

router = Router()

ERRORS: dict[int, Any] = {
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}


def answers(ok: Any) -> dict[int, Any]:
    """The documented answers of an endpoint: 200 with `ok`, and the errors."""
    return {200: ok, **ERRORS}


# --- index sets -----------------------------------------------------------------------------------


@router.get(
    "/indexsets",
    response=answers(list[schemas.IndexSetSummary]),
    summary="Bộ chỉ số đã ban hành / Published index sets",
    description="Mọi phiên bản đã ban hành. Every published version. Scope: indexsets:read.",
    tags=["indexsets"],
)
def index_sets(request: HttpRequest) -> Any:
    from parindex.indexsets.models import IndexSet

    require(request, Scope.READ_INDEXSETS)
    rows = IndexSet.objects.filter(status=IndexSet.Status.PUBLISHED).select_related("unit_type")
    return [
        {
            "code": row.code,
            "version": row.version,
            "name": row.name,
            "unit_type": row.unit_type.code,
            "valid_from": row.valid_from,
            "legal_basis": row.legal_basis,
        }
        for row in rows.order_by("code", "version")
    ]


@router.get(
    "/indexsets/{code}",
    response=answers(dict[str, Any]),
    summary="Một bộ chỉ số (YAML chuẩn dạng JSON) / One index set (the canonical YAML as JSON)",
    description=(
        "Phiên bản mới nhất đã ban hành, hoặc ?version=N. The latest published version, or "
        "?version=N, in the shape of the index set's YAML file. Scope: indexsets:read."
    ),
    tags=["indexsets"],
)
def index_set(request: HttpRequest, code: str, version: int | None = None) -> Any:
    from parindex import engine
    from parindex.indexsets.models import IndexSet
    from parindex.indexsets.queries import engine_index_set

    require(request, Scope.READ_INDEXSETS)
    sets = IndexSet.objects.filter(status=IndexSet.Status.PUBLISHED)
    if version is not None:
        sets = sets.filter(version=version)
    found = get_or_404(
        sets.select_related("unit_type").order_by("-version"),
        f"bộ chỉ số đã ban hành {code}",
        f"published index set {code}",
        code=code,
    )
    spec = engine.to_spec(engine_index_set(found))
    return {"version": found.version, **spec}


# --- units ----------------------------------------------------------------------------------------


def _unit_row(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "unit_type": unit.unit_type.code,
        "parent": unit.parent.code if unit.parent else None,
        "peer_group": unit.peer_group.code if unit.peer_group else None,
        "active_from": unit.active_from,
        "active_to": unit.active_to,
    }


@router.get(
    "/units",
    response=answers(list[schemas.UnitOut]),
    summary="Danh mục đơn vị / The units",
    description=(
        "Mọi đơn vị (kể cả đã giải thể), lọc theo loại hoặc ngày còn hoạt động. Every unit "
        "(retired ones too), filtered by type or by a day they existed on. Scope: units:read."
    ),
    tags=["units"],
)
def units(
    request: HttpRequest,
    unit_type: str = "",
    active_on: schemas.IsoDate | None = None,
    limit: int = Query(1000, ge=1, le=5000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    from parindex.units.queries import active_on as active_filter

    require(request, Scope.READ_UNITS)
    rows = Unit.objects.select_related("unit_type", "parent", "peer_group").order_by("code")
    if unit_type:
        rows = rows.filter(unit_type__code=unit_type)
    if active_on is not None:
        rows = rows.filter(active_filter(active_on))
    return [_unit_row(unit) for unit in rows[offset : offset + limit]]


@router.get(
    "/units/{code}",
    response=answers(schemas.UnitDetail),
    summary="Một đơn vị và quá trình sắp xếp / One unit and its lineage",
    description=(
        "Các lần sáp nhập, chia tách, đổi tên và đơn vị tương ứng cuối mỗi năm. Its mergers, "
        "splits and renames, and the units it corresponds to at the end of each year. "
        "Scope: units:read."
    ),
    tags=["units"],
)
def unit(request: HttpRequest, code: str) -> Any:
    from parindex.units.queries import lineage

    require(request, Scope.READ_UNITS)
    found = get_or_404(
        Unit.objects.select_related("unit_type", "parent", "peer_group"),
        f"đơn vị {code}",
        f"unit {code}",
        code=code,
    )
    line = lineage(found)
    return {
        **_unit_row(found),
        "reorganisations": [
            {
                "kind": event.kind,
                "effective_date": event.effective_date,
                "legal_basis": event.legal_basis,
                "predecessors": sorted(unit.code for unit in event.predecessors),
                "successors": sorted(unit.code for unit in event.successors),
            }
            for event in line.events
        ],
        "lineage": [
            {"year": year.year, "units": [unit.code for unit in year.units]} for year in line.years
        ],
    }


# --- rounds ---------------------------------------------------------------------------------------


def _round_row(round_: Round) -> dict[str, Any]:
    return {
        "code": round_.code,
        "year": round_.year,
        "name": round_.name,
        "status": round_.status,
        "self_assessment_opens_on": round_.self_assessment_opens_on,
        "phases": [
            {"phase": phase.value, "label": str(phase.label), "closes_on": round_.closes_on(phase)}
            for phase in Phase
            if phase in PHASE_FIELDS
        ],
        "is_published": round_.status == Round.Status.PUBLISHED,
    }


def _visible_rounds() -> Any:
    return Round.objects.exclude(status=Round.Status.DRAFT).order_by("-year", "code")


def visible_round(code: str) -> Round:
    """A round that has opened (a round being prepared is not shown), else 404."""
    return get_or_404(_visible_rounds(), f"kỳ đánh giá {code}", f"round {code}", code=code)


@router.get(
    "/rounds",
    response=answers(list[schemas.RoundOut]),
    summary="Các kỳ đánh giá / Assessment rounds",
    description=(
        "Các kỳ đã mở, với hạn của từng giai đoạn. Rounds that have opened, with each phase's "
        "last day. Scope: rounds:read."
    ),
    tags=["rounds"],
)
def rounds(request: HttpRequest) -> Any:
    require(request, Scope.READ_ROUNDS)
    return [_round_row(round_) for round_ in _visible_rounds()]


@router.get(
    "/rounds/{code}",
    response=answers(schemas.RoundDetail),
    summary="Một kỳ đánh giá / One round",
    description=(
        "Giai đoạn, bộ chỉ số theo loại đơn vị, số đơn vị. Phases, index set per unit type, "
        "number of units. Scope: rounds:read."
    ),
    tags=["rounds"],
)
def round_detail(request: HttpRequest, code: str) -> Any:
    from parindex.rounds.queries import round_index_sets

    require(request, Scope.READ_ROUNDS)
    round_ = visible_round(code)
    return {
        **_round_row(round_),
        "index_sets": [
            {
                "unit_type": row.unit_type.code,
                "index_set": row.index_set.code,
                "version": row.index_set.version,
            }
            for row in round_index_sets(round_)
        ],
        "unit_count": round_.assessments.count(),
    }


@router.get(
    "/rounds/{code}/results",
    response=answers(schemas.Results),
    summary="Kết quả đã công bố / Published results",
    description=(
        "Số liệu của bản chốt công bố và mã SHA-256 của nó (thứ hạng, điểm, chỉ số, xếp loại, "
        "lĩnh vực, từng tiêu chí). Chưa công bố: 404, trừ khóa có quyền results:provisional "
        "(khi đó là kết quả tạm tính, provisional=true). The publication snapshot's figures and "
        "its SHA-256 (rank, points, index, band, areas, each leaf). Before publication: 404, "
        "unless the token holds results:provisional (then a provisional preview, "
        "provisional=true). Scope: results:read."
    ),
    tags=["results"],
)
def round_results(request: HttpRequest, code: str) -> Any:
    from parindex.results import computing
    from parindex.results import queries as results_queries
    from parindex.results.models import Snapshot

    token = require(request, Scope.READ_RESULTS)
    round_ = visible_round(code)
    snapshot = Snapshot.objects.filter(round=round_).first()
    if snapshot is not None:
        return {
            "round": round_.code,
            "year": round_.year,
            "provisional": False,
            "sha256": snapshot.sha256,
            "engine_version": snapshot.engine_version,
            "published_at": snapshot.published_at,
            "unit_types": json.loads(snapshot.outputs)["unit_types"],
        }
    if Scope.READ_PROVISIONAL not in token.scopes:
        raise HttpError(404, "Kết quả chưa công bố / the results are not published yet")
    results = results_queries.round_results(round_)
    return {
        "round": round_.code,
        "year": round_.year,
        "provisional": True,
        "sha256": None,
        "engine_version": None,
        "published_at": None,
        "unit_types": computing.outputs_of(results)["unit_types"],
    }


# --- national -------------------------------------------------------------------------------------


@router.get(
    "/national/tables",
    response=answers(list[int]),
    summary="Các năm có bảng xếp hạng quốc gia / Years with a national table",
    description="Scope: national:read.",
    tags=["national"],
)
def national_years(request: HttpRequest) -> Any:
    from parindex.national import queries as national_queries

    require(request, Scope.READ_NATIONAL)
    return national_queries.years()


@router.get(
    "/national/tables/{year}",
    response=answers(dict[str, Any]),
    summary="Bảng xếp hạng PAR Index một năm / A year's national PAR Index table",
    description=(
        "Các tỉnh xếp theo chỉ số, với nhóm và từng lĩnh vực (giá trị, thứ hạng). The provinces "
        "ranked, with group and each area's value and rank. Scope: national:read."
    ),
    tags=["national"],
)
def national_table(request: HttpRequest, year: int) -> Any:
    from parindex.national import queries as national_queries
    from parindex.national.models import NationalTable

    require(request, Scope.READ_NATIONAL)
    table = get_or_404(
        NationalTable, f"bảng xếp hạng quốc gia năm {year}", f"national table for {year}", year=year
    )
    areas, rows = national_queries.ranked_rows(table)
    return {
        "year": year,
        "areas": [{"code": area.code, "name": area.name} for area in areas],
        "provinces": [
            {
                "rank": row.rank,
                "province": row.province,
                "index_percent": _text(row.index_percent),
                "group": getattr(row.group, "code", row.group),
                "is_ours": row.is_ours,
                "areas": {
                    area.code: {"percent": _text(value), "rank": rank}
                    for area, (value, rank) in zip(areas, row.areas, strict=True)
                },
            }
            for row in rows
        ],
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@router.get(
    "/national/analysis",
    response=answers(dict[str, Any]),
    summary="Phân tích vị trí của tỉnh / The province's analysis",
    description=(
        "Chỉ số, thứ hạng trên tổng số, thay đổi so với năm trước, từng lĩnh vực. Index, rank "
        "of N, change since the previous year, each area. Scope: national:read."
    ),
    tags=["national"],
)
def national_analysis(request: HttpRequest, year: int, province: str = "") -> Any:
    from parindex.national import exports, report
    from parindex.national import queries as national_queries

    require(request, Scope.READ_NATIONAL)
    name = province or national_queries.our_province_name() or ""
    try:
        found = report.resolve_province(name)
        return exports.to_json(report.build_report(province=found, year=year))
    except report.ReportError as error:
        raise HttpError(404, str(error)) from None


# --- monitoring -----------------------------------------------------------------------------------


@router.get(
    "/monitoring/rates",
    response=answers(list[dict[str, Any]]),
    summary="Tỷ lệ theo dõi của các đơn vị / Units' monitoring rates",
    description=(
        "Số nhiệm vụ, báo cáo, kết luận kiểm tra đến hạn và hoàn thành đúng hạn của mỗi đơn vị "
        "(như `parindex monitoring rates`). Each unit's tasks, reports and findings due and done "
        "on time (as `parindex monitoring rates`). Scope: monitoring:read."
    ),
    tags=["monitoring"],
)
def monitoring_rates(
    request: HttpRequest,
    year: int = Query(..., ge=2000, le=2100),
    as_of: schemas.IsoDate | None = None,
) -> Any:
    from parindex.monitoring import rates

    require(request, Scope.READ_MONITORING)
    header, *rows = rates.rates_table(year, as_of)
    return [dict(zip(header, row, strict=True)) for row in rows]


def progress_row(progress: Progress) -> dict[str, Any]:
    """One unit's progress on a task, as the API shows it."""
    return {
        "id": progress.pk,
        "plan": progress.task.plan.code,
        "task": progress.task.code,
        "title": progress.task.title,
        "unit": progress.unit.code,
        "status": progress.status,
        "deadline": progress.deadline,
        "completed_on": progress.completed_on,
        "review": progress.review,
        "document": progress.evidence_id,
        "note": progress.note,
        "reported_at": progress.reported_at,
    }


@router.get(
    "/monitoring/plans",
    response=answers(list[schemas.PlanOut]),
    summary="Kế hoạch CCHC / PAR plans",
    description="Scope: monitoring:read.",
    tags=["monitoring"],
)
def plans(request: HttpRequest, year: int | None = None) -> Any:
    require(request, Scope.READ_MONITORING)
    rows = Plan.objects.order_by("-year", "code")
    if year is not None:
        rows = rows.filter(year=year)
    return [
        {
            "code": plan.code,
            "year": plan.year,
            "title": plan.title,
            "status": plan.status,
            "issued_on": plan.issued_on,
        }
        for plan in rows
    ]


@router.get(
    "/monitoring/plans/{code}",
    response=answers(schemas.PlanDetail),
    summary="Một kế hoạch: nhiệm vụ và tiến độ / A plan: tasks and progress",
    description=(
        "Mỗi nhiệm vụ với tiến độ của từng đơn vị được giao (lọc ?unit=). Each task with each "
        "assigned unit's progress (filter ?unit=). Scope: monitoring:read."
    ),
    tags=["monitoring"],
)
def plan_detail(request: HttpRequest, code: str, unit: str = "") -> Any:
    require(request, Scope.READ_MONITORING)
    plan = get_or_404(Plan, f"kế hoạch {code}", f"plan {code}", code=code)
    progress = Progress.objects.select_related("unit").order_by("unit__code")
    if unit:
        progress = progress.filter(unit__code=unit)
    tasks = plan.tasks.order_by("position", "pk").prefetch_related(
        Prefetch("progress", queryset=progress)
    )
    rows = []
    for task in tasks:
        task.plan = plan
        items = []
        for row in task.progress.all():
            row.task = task
            items.append(progress_row(row))
        rows.append(
            {"code": task.code, "title": task.title, "deadline": task.deadline, "progress": items}
        )
    return {
        "code": plan.code,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "issued_on": plan.issued_on,
        "tasks": rows,
    }


@router.get(
    "/monitoring/progress/{progress_id}",
    response=answers(schemas.ProgressOut),
    summary="Tiến độ của một đơn vị với một nhiệm vụ / A unit's progress on a task",
    description="Scope: monitoring:read.",
    tags=["monitoring"],
)
def progress_detail(request: HttpRequest, progress_id: int) -> Any:
    require(request, Scope.READ_MONITORING)
    found = get_or_404(
        Progress.objects.select_related("task__plan", "unit"),
        f"tiến độ {progress_id}",
        f"progress {progress_id}",
        pk=progress_id,
    )
    return progress_row(found)


# --- surveys --------------------------------------------------------------------------------------


@router.get(
    "/surveys/results",
    response=answers(list[dict[str, Any]]),
    summary="Kết quả khảo sát / Survey results",
    description=(
        "Mỗi đơn vị và tiêu chí khảo sát: số phiếu, tỷ lệ, điểm (như `parindex survey results`); "
        "đợt của kỳ mới nhất trừ khi có ?round=. Each unit and survey criterion: responses, "
        "percent, points (as `parindex survey results`); the latest round's campaign unless "
        "?round=. Scope: surveys:read."
    ),
    tags=["surveys"],
)
def survey_results(request: HttpRequest, questionnaire: str, round: str = "") -> Any:
    from parindex.surveys import exports, queries, scoring

    require(request, Scope.READ_SURVEYS)
    try:
        campaign = queries.campaign_by_code(questionnaire, round)
    except queries.CampaignNotFound as missing:
        raise HttpError(404, str(missing)) from None
    header, *rows = list(exports.result_rows(scoring.campaign_scores(campaign)))
    return [dict(zip(header, row, strict=True)) for row in rows]
