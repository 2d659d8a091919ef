"""The data each survey page shows, prepared from queries (reads only): filters and sorting
that stay in the URL, and rows ready for the templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from parindex.core.vietnamese import matcher, sort_key
from parindex.core.vietnamese_sql import words_in
from parindex.surveys import analysis, queries
from parindex.surveys.models import Campaign, Response
from parindex.surveys.scoring import CampaignScores
from parindex.units.models import Unit

T = TypeVar("T")


def params(request: HttpRequest, *names: str) -> dict[str, str]:
    """The filter values of a page, from its URL."""
    return {name: request.GET.get(name, "").strip() for name in names}


def sort_rows(
    rows: Iterable[T], sort: str, keys: dict[str, Callable[[T], Any]], default: str
) -> list[T]:
    """Rows sorted by a key named in the URL ("-name" for descending)."""
    name = sort.lstrip("-") if sort.lstrip("-") in keys else default
    return sorted(rows, key=keys[name], reverse=sort.startswith("-"))


# -- overview ------------------------------------------------------------------------------------

CAMPAIGN_SORTS = {
    "round": ["-round__year", "code"],
    "code": ["code", "-round__year"],
    "responses": ["-response_count", "code"],
    "closes": ["closes_on", "code"],
}


def campaigns(filters: dict[str, str]) -> QuerySet[Campaign]:
    """Campaigns matching the overview's filters, in the order asked for."""
    sort = filters.get("sort") or "round"
    rows = queries.campaigns(filters)
    order = CAMPAIGN_SORTS.get(sort.lstrip("-"), CAMPAIGN_SORTS["round"])
    if sort.startswith("-"):
        order = [f[1:] if f.startswith("-") else f"-{f}" for f in order]
    return rows.order_by(*order, "pk")


# -- a campaign's progress -----------------------------------------------------------------------

PROGRESS_SORTS: dict[str, Callable[[queries.ProgressRow], Any]] = {
    "unit": lambda row: (row.unit_code, row.group_position),
    "group": lambda row: (row.group_position, row.unit_code),
    "responses": lambda row: (row.responses, row.unit_code),
    "progress": lambda row: (row.percent, row.unit_code),
}


def progress_rows(campaign: Campaign, filters: dict[str, str]) -> list[queries.ProgressRow]:
    """The progress rows a campaign page shows: filtered by unit, group and state, sorted."""
    rows = queries.progress(campaign)
    if filters.get("q"):
        wanted = matcher(filters["q"])
        rows = [r for r in rows if wanted(r.unit_code, r.unit_name)]
    if filters.get("group"):
        rows = [r for r in rows if r.group_code == filters["group"]]
    if filters.get("state") == "short":
        rows = [r for r in rows if not r.is_reached]
    elif filters.get("state") == "reached":
        rows = [r for r in rows if r.is_reached]
    return sort_rows(rows, filters.get("sort", ""), PROGRESS_SORTS, "unit")


@dataclass
class Totals:
    sample: int
    responses: int
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return min(100, self.responses * 100 // self.sample) if self.sample else 0


def totals(rows: list[queries.ProgressRow]) -> Totals:
    return Totals(
        sum(r.sample for r in rows),
        sum(r.responses for r in rows),
        sum(r.invited for r in rows),
        sum(r.answered for r in rows),
    )


# -- responses -----------------------------------------------------------------------------------


def responses(campaign: Campaign, filters: dict[str, str]) -> QuerySet[Response]:
    """A campaign's responses filtered by unit, group, channel and check."""
    rows = campaign.responses.select_related("unit", "group").order_by(
        "unit__code", "group__position", "response_id"
    )
    if text := filters.get("q", "").strip():
        # the unit by its code or name (case and marks ignored), matched among the units, not
        # folded once per response; or the response's own id, which is ASCII
        units = Unit.objects.filter(words_in(text, "code", "name"))
        rows = rows.filter(Q(unit__in=units) | Q(response_id__icontains=text))
    if filters.get("group"):
        rows = rows.filter(group__code=filters["group"])
    if filters.get("channel"):
        rows = rows.filter(channel=filters["channel"])
    flag = filters.get("flag")
    if flag == "duplicate":
        rows = rows.filter(is_duplicate=True)
    elif flag == "straightlined":
        rows = rows.filter(is_straightlined=True)
    elif flag == "excluded":
        rows = rows.exclude(excluded_reason="")
    return rows


# -- results -------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    unit_code: str
    unit_name: str
    leaves: list[tuple[Decimal | None, Decimal, int]]  # (percent, points, responses) per leaf
    points: Decimal
    max_points: Decimal
    missing: int  # leaves without data


RESULT_SORTS: dict[str, Callable[[ResultRow], Any]] = {
    "unit": lambda row: row.unit_code,
    "name": lambda row: sort_key(row.unit_name),
    "points": lambda row: (row.points, row.unit_code),
    "missing": lambda row: (row.missing, row.unit_code),
}


def result_rows(scores: CampaignScores, filters: dict[str, str]) -> list[ResultRow]:
    """One row per unit: every leaf's percent, points and responses, and the total."""
    rows = []
    for code, name in scores.units.items():
        results = list(scores.results[code].values())
        rows.append(
            ResultRow(
                code,
                name,
                [(r.percent_rounded, r.points, r.responses) for r in results],
                sum((r.points for r in results), Decimal(0)),
                sum((r.max_points for r in results), Decimal(0)),
                sum(1 for r in results if r.percent is None),
            )
        )
    if filters.get("q"):
        wanted = matcher(filters["q"])
        rows = [r for r in rows if wanted(r.unit_code, r.unit_name)]
    if filters.get("state") == "missing":
        rows = [r for r in rows if r.missing]
    return sort_rows(rows, filters.get("sort", ""), RESULT_SORTS, "unit")


def analysis_context(scores: CampaignScores, unit: str) -> dict[str, Any]:
    """Lost points (for a unit or the province) and year on year per question."""
    before = analysis.previous_campaign(scores.campaign)
    previous_scores = None
    if before is not None:
        from parindex.surveys.scoring import campaign_scores

        previous_scores = campaign_scores(before)
    return {
        "lost": analysis.lost_points(scores, unit or None),
        "previous": before,
        "year_on_year": analysis.year_on_year(scores, previous_scores),
    }
