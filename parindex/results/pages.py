"""The data each results page shows, prepared from the round's results (reads only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from parindex.accounts.types import AnyUser
from parindex.assessments.models import Assessment
from parindex.assessments.queries import survey_items, survey_text, surveyed_units
from parindex.core import revisions
from parindex.core.vietnamese import matcher, sort_key
from parindex.results import analysis, queries
from parindex.results.computing import RoundResults, TypeResults
from parindex.results.models import PublicPage
from parindex.rounds.models import Round

SORTS = {
    "rank": lambda row: (row.rank, row.unit_code),
    "name": lambda row: sort_key(row.unit_name),
    "index": lambda row: (-row.index_percent, row.unit_code),
    "change": lambda row: (
        row.index_change is None,
        -(row.index_change or Decimal(0)),
        row.unit_code,
    ),
}


def pick_type(results: RoundResults, code: str) -> TypeResults:
    """The unit type asked for, or the first one of the round (404 for an unknown code)."""
    if not results.types:
        raise Http404
    if not code:
        return next(iter(results.types.values()))
    if code not in results.types:
        raise Http404
    return results.types[code]


@dataclass
class Bar:
    """One bar of a ranking chart: label, value and its number, placed in SVG units."""

    label: str
    value: Decimal
    band: str
    y: int
    width: str  # SVG length, '.' decimal
    band_code: str = ""

    @property
    def end(self) -> str:
        """Where the bar's number is written: just right of the bar."""
        return str(BAR_X + Decimal(self.width) + 4)


BAR_HEIGHT = 18
BAR_X = 260


def bars(rows: list[analysis.RankingRow], scale: int = 4) -> list[Bar]:
    """The ranking chart's bars (width proportional to the index; the number is printed too)."""
    return [
        Bar(
            f"{row.rank}. {row.unit_name}",
            row.index_percent,
            row.band_name,
            i * BAR_HEIGHT,
            str(row.index_percent * scale),
            row.band_code,
        )
        for i, row in enumerate(rows)
    ]


@dataclass
class ProvisionalGaps:
    """What a provisional ranking of one unit type is still missing, so nobody misreads it."""

    units: int  # units of the type in the round
    not_submitted: list[str]  # names of the units still drafting their self-assessment
    draft_codes: frozenset[str]  # ... and their codes
    survey_units: int  # units whose index set has survey criteria
    survey_missing: int  # ... of which no survey value is entered yet

    @property
    def any(self) -> bool:
        return bool(self.not_submitted or self.survey_missing)


def provisional_gaps(round_: Round, type_code: str) -> ProvisionalGaps:
    """The units not yet submitted and the survey values not yet entered: two queries over the
    round's items, kept in the shared cache beside the preview, under the same revision key."""
    key = f"{queries.preview_key(round_)}:gaps:{type_code}"
    return revisions.cached(key, lambda: _gaps(round_, type_code))


def _gaps(round_: Round, type_code: str) -> ProvisionalGaps:
    assessments = Assessment.objects.filter(round=round_, unit__unit_type__code=type_code)
    drafts = list(
        assessments.filter(status=Assessment.Status.DRAFT)
        .order_by("unit__code")
        .values_list("unit__code", "unit__name")
    )
    survey = assessments.annotate(
        survey=Count("items", filter=Q(items__criterion__source="survey")),
        entered=Count(
            "items",
            filter=Q(items__criterion__source="survey", items__survey_answer__isnull=False),
        ),
    ).values_list("survey", "entered")
    rows = list(survey)
    return ProvisionalGaps(
        units=len(rows),
        not_submitted=[name for _code, name in drafts],
        draft_codes=frozenset(code for code, _name in drafts),
        survey_units=sum(1 for total, _entered in rows if total),
        survey_missing=sum(1 for total, entered in rows if total and not entered),
    )


def without_drafts(rows: list[analysis.RankingRow], drafts: frozenset[str]) -> list[Any]:
    """The ranking without the units still drafting, ranked again among those left (ties share
    a rank: the same index, the same place)."""
    kept = [row for row in rows if row.unit_code not in drafts]
    ordered = sorted(kept, key=lambda row: (-row.index_percent, row.unit_code))
    ranked: dict[str, int] = {}
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and previous.index_percent == row.index_percent
        ranked[row.unit_code] = ranked[previous.unit_code] if same and previous else position
    return [replace(row, rank=ranked[row.unit_code]) for row in kept]


def ranking_context(round_: Round, params: dict[str, str]) -> dict[str, Any]:
    """The ranking page: one unit type's table, filters, sort, chart and the change since before."""
    results = queries.round_results(round_)
    type_results = pick_type(results, params.get("type", ""))
    before = queries.previous_round(round_)
    previous = queries.round_results(before) if before else None
    comparison = analysis.compare(previous, results).get(type_results.code)
    rows = analysis.ranking(type_results, comparison)
    gaps = provisional_gaps(round_, type_results.code) if results.is_provisional else None
    if gaps and params.get("submitted") == "1":
        rows = without_drafts(rows, gaps.draft_codes)
    groups = sorted({row.group for row in rows})
    bands = [band.name for band in type_results.index_set.bands]
    if params.get("group"):
        rows = [row for row in rows if row.group == params["group"]]
    if params.get("band"):
        rows = [row for row in rows if row.band_name == params["band"]]
    if search := params.get("q", "").strip():
        wanted = matcher(search)
        rows = [row for row in rows if wanted(row.unit_name, row.unit_code)]
    sort = params.get("sort", "rank")
    key = SORTS.get(sort.lstrip("-"), SORTS["rank"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    return {
        "round": round_,
        "results": results,
        "type_results": type_results,
        "areas": analysis.area_names(type_results),
        "rows": rows,
        "groups": groups if len(groups) > 1 else [],
        "bands": bands,
        "params": params,
        "sort": sort,
        "previous_round": before,
        "is_public": queries.is_public(round_),
        "gaps": gaps,
    }


def chart_context(rows: list[analysis.RankingRow]) -> dict[str, Any]:
    """The ranking chart of the rows shown (the page of the table)."""
    chart = bars(rows)
    return {"chart": chart, "chart_height": len(chart) * BAR_HEIGHT + 4}


def unit_context(round_: Round, unit_code: str) -> dict[str, Any]:
    """A unit's results: areas (chart), every criterion with its deductions, its history."""
    results = queries.round_results(round_)
    type_results = results.unit_type_of(unit_code)
    if type_results is None:
        raise Http404
    score = type_results.score(unit_code)
    names = dict(analysis.area_names(type_results))
    info = type_results.units[unit_code]
    area_bars = [
        Bar(
            f"{area.code}. {names[area.code]}",
            area.percent,
            "",
            i * BAR_HEIGHT,
            str(area.percent * 3),
        )
        for i, area in enumerate(score.areas)
        if area.percent is not None
    ]
    return {
        "round": round_,
        "results": results,
        "type_results": type_results,
        "unit_code": unit_code,
        "unit_name": info.name,
        "score": score,
        "rank": type_results.scores.ranks[unit_code],
        "of": len(type_results.scores.peers(unit_code)),
        "areas": [(area, names[area.code]) for area in score.areas],
        "area_bars": area_bars,
        "chart_height": len(area_bars) * BAR_HEIGHT + 4,
        "lines": analysis.criterion_lines(type_results, unit_code),
        "history": history(round_, results, unit_code, info.previous_codes),
    }


def history(
    round_: Round, results: RoundResults, unit_code: str, previous_codes: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The unit's index, rank and band in every published round it (or a predecessor) took
    part in, and in the round shown."""
    codes = [unit_code, *previous_codes]
    rounds = (
        Round.objects.filter(assessments__unit__code__in=codes)
        .filter(Q(snapshot__isnull=False) | Q(pk=round_.pk))
        .distinct()
        .order_by("year", "code")
    )
    lines = []
    for other in rounds:
        found = results if other.pk == round_.pk else queries.round_results(other)
        row = analysis.history_line(found, codes)
        if row is not None:
            lines.append({"round": other, "row": row, "is_provisional": found.is_provisional})
    return lines


def analysis_context(round_: Round, type_code: str) -> dict[str, Any]:
    """Where the province loses points: criteria by lost points, and the units × areas heat map
    (`heat`: the ranking's rows, in rank order; the view shows them a page at a time)."""
    results = queries.round_results(round_)
    type_results = pick_type(results, type_code)
    lost = analysis.lost_points(type_results)
    return {
        "round": round_,
        "results": results,
        "type_results": type_results,
        "lost": [row for row in lost if row.lost_points > 0],
        "areas": analysis.area_names(type_results),
        "heat": analysis.ranking(type_results),
    }


def heat_cells(rows: Iterable[analysis.RankingRow]) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """The heat map's rows shown, each with its area cells and their shades: a ranking row
    reads its areas only when asked (3,500 rows of a national round took a second)."""
    return [
        (row, [(cell, analysis.heat_class(cell.percent)) for cell in row.areas]) for row in rows
    ]


def criterion_context(round_: Round, type_code: str, code: str) -> dict[str, Any]:
    """One criterion: the units that lost points on it and the reasons the appraisers gave."""
    results = queries.round_results(round_)
    type_results = pick_type(results, type_code)
    names = analysis.leaf_names(type_results)
    if code not in names:
        raise Http404
    losing = analysis.criterion_losses(type_results, code)
    return {
        "round": round_,
        "results": results,
        "type_results": type_results,
        "code": code,
        "name": names[code],
        "leaf_names": names,
        "losing": losing,
        "total_lost": sum((row.lost_points for row in losing), Decimal(0)),
    }


def headroom_context(round_: Round, unit_code: str, chosen: list[str]) -> dict[str, Any]:
    """A unit's headroom and, for the criteria or areas chosen, the engine's what-if."""
    results = queries.round_results(round_)
    type_results = results.unit_type_of(unit_code)
    if type_results is None:
        raise Http404
    lines = analysis.headroom(type_results, unit_code)
    names = analysis.leaf_names(type_results)
    valid = [code for code in chosen if code in names]
    outcome = analysis.what_if(type_results, unit_code, valid) if valid else None
    return {
        "round": round_,
        "results": results,
        "type_results": type_results,
        "unit_code": unit_code,
        "unit_name": type_results.units[unit_code].name,
        "score": type_results.score(unit_code),
        "lines": lines,
        "areas": [
            (code, name)
            for code, name in analysis.area_names(type_results)
            if type_results.score(unit_code).node(code).lost_points > 0
        ],
        "chosen": valid,
        "outcome": outcome,
        "peers": len(type_results.scores.peers(unit_code)),
    }


def rounds_context(user: AnyUser) -> dict[str, Any]:
    """The rounds whose results the user may read, newest first."""
    rounds = list(queries.rounds_for_reader(user))
    counts = dict(
        Assessment.objects.filter(round__in=rounds)
        .values_list("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    public = set(PublicPage.objects.filter(round__in=rounds).values_list("round_id", flat=True))
    return {
        "rounds": [(round_, counts.get(round_.pk, 0), round_.pk in public) for round_ in rounds]
    }


def survey_units(round_: Round, type_code: str) -> tuple[list[str], str, list[str]]:
    """The unit types with survey criteria, the one shown (`type_code` when it has some, else
    the first) and the codes of its units, in code order: the grid shows them a page at a time."""
    units = surveyed_units(round_)
    types = sorted(units)
    type_code = type_code if type_code in units else (types[0] if types else "")
    return types, type_code, units.get(type_code, [])


def survey_context(
    round_: Round, unit_codes: list[str], typed: dict[str, str] | None = None
) -> dict[str, Any]:
    """The survey points grid of these units: units × survey criteria (one query)."""
    columns: dict[str, str] = {}
    rows: dict[str, dict[str, Any]] = {}
    for item in survey_items(round_, unit_codes):
        unit = item.assessment.unit
        columns.setdefault(item.criterion.code, item.criterion.name)
        row = rows.setdefault(unit.code, {"unit": unit, "cells": {}})
        row["cells"][item.criterion.code] = {
            "item": item,
            "text": (typed or {}).get(f"s_{item.pk}", survey_text(item.survey_answer)),
        }
    grid = [
        {"unit": row["unit"], "cells": [row["cells"].get(code) for code in columns]}
        for row in rows.values()
    ]
    return {
        "round": round_,
        "columns": list(columns.items()),
        "grid": grid,
        "is_locked": round_.status == Round.Status.PUBLISHED,
    }
