"""Reads for the national PAR Index: tables as the analysis needs them, settings, the appendix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.core.formatting import format_number
from parindex.core.models import Setting
from parindex.core.queries import Panel
from parindex.core.vietnamese import sorted_vi
from parindex.core.vietnamese_sql import vietnamese_order
from parindex.national.analysis import (
    DEFAULT_GROUPS,
    Area,
    Group,
    Row,
    Table,
    competition_rank,
    group_of,
)
from parindex.national.models import (
    AppraisedCriterion,
    NationalArea,
    NationalScore,
    NationalTable,
    Province,
    ProvinceAlias,
    ProvinceMerger,
)
from parindex.national.survey import NationalSurvey, SurveyPoints, analyse_survey, code_key
from parindex.units.models import Unit

if TYPE_CHECKING:
    from parindex.monitoring.services import OwnedLoss

OUR_PROVINCE_SETTING = "national.province"
GROUPS_SETTING = "national.groups"


def require_viewer(user: AnyUser) -> None:
    """Refuse who may not read the national analysis (403)."""
    if not permissions.has(user, "view_national"):
        raise PermissionDenied


def require_manager(user: AnyUser) -> None:
    """Refuse who may not import or edit national data (403)."""
    if not permissions.has(user, "manage_national"):
        raise PermissionDenied


def require_remedier(user: AnyUser) -> None:
    """Refuse who may not draft a remediation plan from the national analysis (403): reading
    the analysis and managing monitoring's plans are both needed."""
    if not (permissions.has(user, "view_national") and permissions.has(user, "manage_monitoring")):
        raise PermissionDenied


def get_table_for_viewer(user: AnyUser, year: int) -> NationalTable:
    """One year's table, for someone who may read the analysis (403, or 404 if missing)."""
    require_viewer(user)
    return get_object_or_404(NationalTable, year=year)


def get_table_for_manager(user: AnyUser, year: int) -> NationalTable:
    """One year's table, for someone who may edit it (403, or 404 if missing)."""
    require_manager(user)
    return get_object_or_404(NationalTable, year=year)


def get_alias_for_manager(user: AnyUser, pk: int) -> ProvinceAlias:
    """One province alias, for someone who may edit the aliases."""
    require_manager(user)
    return get_object_or_404(ProvinceAlias.objects.select_related("province"), pk=pk)


def _setting(key: str) -> Any:
    return Setting.objects.filter(key=key).values_list("value", flat=True).first()


def our_province_name() -> str | None:
    """The province the analysis is about by default ("our province"), if chosen."""
    value = _setting(OUR_PROVINCE_SETTING)
    return str(value) if value else None


def groups() -> tuple[Group, ...]:
    """The group thresholds (A ≥ 90, B ≥ 80, C ≥ 70 unless changed)."""
    value = _setting(GROUPS_SETTING)
    if not value:
        return DEFAULT_GROUPS
    return tuple(Group(item["code"], Decimal(item["min_percent"])) for item in value)


def years() -> list[int]:
    """The years with a national table, latest first."""
    return list(NationalTable.objects.values_list("year", flat=True).order_by("-year"))


def load_tables(only: Iterable[int] | None = None) -> dict[int, Table]:
    """The national tables (all, or only some years) as the analysis's plain tables."""
    scores = NationalScore.objects.select_related("table", "province").order_by(
        vietnamese_order("province__name")
    )
    if only is not None:
        scores = scores.filter(table__year__in=list(only))
    rows: dict[int, list[Row]] = {}
    for score in scores:
        areas = {
            code: None if value is None else Decimal(value)
            for code, value in score.area_percents.items()
        }
        rows.setdefault(score.table.year, []).append(
            Row(score.province.name, score.index_percent, areas)
        )
    return {year: Table(year, tuple(items)) for year, items in rows.items()}


def areas_by_year(only: Iterable[int]) -> dict[int, list[Area]]:
    """The areas of some years' tables, in order."""
    result: dict[int, list[Area]] = {}
    for area in NationalArea.objects.filter(table__year__in=list(only)).select_related("table"):
        result.setdefault(area.table.year, []).append(
            Area(area.code, area.name, area.max_points, area.lead)
        )
    return result


def predecessors_between(previous_year: int, year: int) -> dict[str, tuple[str, ...]]:
    """Provinces formed by a merger after `previous_year` up to `year`, with their predecessors."""
    result: dict[str, list[str]] = {}
    links = ProvinceMerger.objects.filter(year__gt=previous_year, year__lte=year).select_related(
        "successor", "predecessor"
    )
    for link in links:
        result.setdefault(link.successor.name, []).append(link.predecessor.name)
    return {name: tuple(sorted(items)) for name, items in result.items()}


@dataclass(frozen=True)
class TableSummary:
    """One year in the list of imported tables."""

    year: int
    provinces: int
    average: Decimal
    top_index: Decimal
    our_index: Decimal | None
    our_rank: int | None
    source_name: str
    updated_at: Any


def table_summaries(user: AnyUser) -> list[TableSummary]:
    """Every imported year with its size, average and our province's place."""
    require_viewer(user)
    ours = our_province_name()
    tables = load_tables()
    result = []
    for table in NationalTable.objects.order_by("-year"):
        plain = tables.get(table.year)
        if plain is None:
            continue
        row = plain.row(ours) if ours else None
        result.append(
            TableSummary(
                year=table.year,
                provinces=plain.size,
                average=plain.average(),
                top_index=max(r.index_percent for r in plain.rows),
                our_index=row.index_percent if row else None,
                our_rank=plain.ranks()[row.province] if row else None,
                source_name=table.source_name,
                updated_at=table.updated_at,
            )
        )
    return result


@dataclass(frozen=True)
class RankedRow:
    """One line of a year's full table."""

    rank: int
    province: str
    index_percent: Decimal
    group: str | None
    areas: list[tuple[Decimal | None, int | None]]
    is_ours: bool


def ranked_rows(table: NationalTable) -> tuple[list[Area], list[RankedRow]]:
    """A year's table ranked, with each area's percent and rank; our province is marked."""
    plain = load_tables([table.year]).get(table.year, Table(table.year, ()))
    areas = areas_by_year([table.year]).get(table.year, [])
    ranks = plain.ranks()
    area_ranks = {area.code: competition_rank(plain.area_values(area.code)) for area in areas}
    ours = our_province_name()
    thresholds = groups()
    rows = [
        RankedRow(
            rank=ranks[row.province],
            province=row.province,
            index_percent=row.index_percent,
            group=group_of(row.index_percent, thresholds),
            areas=[
                (row.areas.get(area.code), area_ranks[area.code].get(row.province))
                for area in areas
            ],
            is_ours=row.province == ours,
        )
        for row in plain.rows
    ]
    rows.sort(key=lambda r: (r.rank, r.province))
    return areas, rows


def provinces_with_aliases() -> list[Province]:
    """Every province with its aliases and the provinces it was formed from, in Vietnamese
    alphabetical order (Đắk Lắk after Cà Mau, not after Yên Bái as by code point)."""
    provinces = Province.objects.prefetch_related("aliases", "predecessor_links__predecessor")
    return sorted_vi(provinces, key=lambda province: province.name)


def mergers() -> dict[int, list[tuple[str, list[str]]]]:
    """The mergers per year: each new province with its predecessors."""
    result: dict[int, dict[str, list[str]]] = {}
    for link in ProvinceMerger.objects.select_related("successor", "predecessor"):
        result.setdefault(link.year, {}).setdefault(link.successor.name, []).append(
            link.predecessor.name
        )
    return {
        year: sorted((name, sorted(items)) for name, items in by_successor.items())
        for year, by_successor in sorted(result.items())
    }


# The appendix: the province's criteria that did not reach their maximum. It is fed from plain
# rows, so it can come from the Ministry's appraised points (today) or from the province's own
# central-index assessment once that exists.


@dataclass(frozen=True)
class CriterionPoints:
    """One criterion of the province's central-index assessment and the points it obtained."""

    code: str
    name: str
    max_points: Decimal
    points: Decimal
    owner: str = ""


@dataclass(frozen=True)
class LostCriterion:
    """A criterion that did not reach its maximum, with the points lost and who answers for it."""

    code: str
    name: str
    max_points: Decimal
    points: Decimal
    lost_points: Decimal
    owner: str


def criteria_short_of_max(rows: Iterable[CriterionPoints]) -> list[LostCriterion]:
    """The criteria that did not reach their maximum, in criterion order, with the points lost."""
    lost = [
        LostCriterion(
            code=row.code,
            name=row.name,
            max_points=row.max_points,
            points=row.points,
            lost_points=row.max_points - row.points,
            owner=row.owner,
        )
        for row in rows
        if row.points < row.max_points
    ]
    return sorted(lost, key=lambda item: code_key(item.code))


def lost_by_owner(lost: Iterable[LostCriterion]) -> dict[str, Decimal]:
    """Points lost per responsible department (criteria without an owner are left out)."""
    totals: dict[str, Decimal] = {}
    for item in lost:
        if item.owner:
            totals[item.owner] = totals.get(item.owner, Decimal(0)) + item.lost_points
    return totals


def _owner_names() -> dict[str, str]:
    return dict(Unit.objects.values_list("code", "name"))


def appraised_criteria(
    province: str, year: int, *, owner_names: bool = True
) -> list[CriterionPoints]:
    """The Ministry's appraised points of a province's criteria for a year (owners by unit name,
    or as written in the file with `owner_names=False`)."""
    names = _owner_names() if owner_names else {}
    rows = AppraisedCriterion.objects.filter(year=year, province__name=province).order_by("order")
    return [
        CriterionPoints(
            code=row.criterion_code,
            name=row.criterion_name,
            max_points=row.max_points,
            points=row.points,
            owner=names.get(row.owner, row.owner),
        )
        for row in rows
    ]


def assessed_criteria(year: int, *, owner_names: bool = True) -> list[CriterionPoints]:
    """The leaves of the province's own central-index assessment of a year, with final points.

    Final points are the Ministry's appraised points when entered, else the self-assessed ones;
    leaves with neither are left out. Empty when the province was not assessed that year.
    Owners by unit name (by unit code with `owner_names=False`).
    """
    from parindex.assessments.province import compiled_leaves, province_assessment

    assessment = province_assessment(year)
    if assessment is None:
        return []
    names = _owner_names() if owner_names else {}
    return [
        CriterionPoints(
            code=leaf.code,
            name=leaf.name,
            max_points=leaf.max_points,
            points=leaf.final_points,
            owner=names.get(leaf.owner, leaf.owner),
        )
        for leaf in compiled_leaves(assessment)
        if leaf.final_points is not None
    ]


def province_criteria(
    province: str, year: int, *, owner_names: bool = True
) -> list[CriterionPoints]:
    """What the appendix is computed from: our province's own assessment of that year when one
    exists, else the Ministry's appraised points imported for the province."""
    if province == our_province_name():
        assessed = assessed_criteria(year, owner_names=owner_names)
        if assessed:
            return assessed
    return appraised_criteria(province, year, owner_names=owner_names)


def owner_registry(year: int) -> dict[str, str]:
    """The registry of criterion owners: each criterion code of the province's own central-index
    assessment and the code of the department answering for it (the office's choice for the
    round, else the index set's), from that year's assessment, else the latest one."""
    from parindex.assessments.models import Assessment
    from parindex.assessments.province import PROVINCE_TYPE, owners, province_assessment
    from parindex.indexsets.models import Criterion

    assessment = (
        province_assessment(year)
        or Assessment.objects.filter(unit__unit_type__code=PROVINCE_TYPE)
        .order_by("-round__year", "-round__created_at")
        .first()
    )
    if assessment is None:
        return {}
    codes: dict[int | None, str] = dict(Unit.objects.values_list("pk", "code"))
    criteria = dict(
        Criterion.objects.filter(index_set_id=assessment.index_set_id).values_list("pk", "code")
    )
    return {
        criteria[pk]: codes[own.unit_id]
        for pk, own in owners(assessment.round_id, assessment.index_set_id).items()
        if own.unit_id is not None and pk in criteria
    }


def losses_to_remedy(year: int) -> list[OwnedLoss]:
    """Our province's criteria that lost points in the national PAR Index of a year (the
    analysis's appendix), each with the code of its owner department: the one its points came
    with (a unit code or name), else the registry of criterion owners; empty when none is known."""
    from parindex.monitoring.services import OwnedLoss

    ours = our_province_name()
    if not ours:
        return []
    units = list(Unit.objects.values_list("code", "name"))
    by_name = {name: code for code, name in units}
    known = {code for code, _name in units}
    registry = owner_registry(year)
    rows = criteria_short_of_max(province_criteria(ours, year, owner_names=False))
    return [
        OwnedLoss(
            code=row.code,
            name=row.name,
            lost_points=row.lost_points,
            owner=(
                row.owner
                if row.owner in known
                else by_name.get(row.owner) or registry.get(row.code, "")
            ),
        )
        for row in rows
    ]


def appraised_lost_total(rows: Iterable[AppraisedCriterion | CriterionPoints]) -> Decimal:
    """The points lost over a set of appraised rows (stored, or as `appraised_criteria` reads
    them)."""
    return sum((row.max_points - row.points for row in rows), Decimal(0))


# --- the province's results in the Ministry's survey ------------------------------------------


def survey_codes(year: int) -> set[str]:
    """The criteria the province's central index set scores from the survey (`source: survey`):
    the published set in force that year (its latest version), else the earliest one, as the
    Ministry's codes hold from year to year."""
    from parindex.assessments.province import PROVINCE_TYPE
    from parindex.indexsets.models import Criterion, IndexSet

    sets = IndexSet.objects.filter(
        unit_type__code=PROVINCE_TYPE, status=IndexSet.Status.PUBLISHED
    ).order_by("valid_from", "version")
    chosen = (
        sets.filter(valid_from__lte=year).order_by("-valid_from", "-version").first()
        or sets.first()
    )
    if chosen is None:
        return set()
    return set(
        Criterion.objects.filter(index_set=chosen, source=Criterion.Source.SURVEY).values_list(
            "code", flat=True
        )
    )


def survey_years(province: str) -> list[int]:
    """The years with the Ministry's appraised points of a province, latest first."""
    return list(
        AppraisedCriterion.objects.filter(province__name=province)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _survey_points(province: str, year: int) -> tuple[list[SurveyPoints], Decimal]:
    """A year's survey criteria of a province, and the points lost over all its criteria."""
    rows = appraised_criteria(province, year)
    codes = survey_codes(year)
    lost = appraised_lost_total(rows)
    survey = [
        SurveyPoints(row.code, row.name, row.max_points, row.points, row.owner)
        for row in rows
        if row.code in codes
    ]
    return survey, lost


def survey_results(province: str, year: int) -> NationalSurvey:
    """The province's survey results of a year beside the previous year that has them."""
    rows, lost = _survey_points(province, year)
    earlier = [y for y in survey_years(province) if y < year]
    previous_year = earlier[0] if earlier else None
    previous = _survey_points(province, previous_year)[0] if previous_year else []
    names = {area.code: area.name for area in areas_by_year([year]).get(year, [])}
    return analyse_survey(
        year=year,
        rows=rows,
        all_lost_points=lost,
        area_names=names,
        previous_year=previous_year,
        previous=previous,
    )


def dashboard_panel(user: AnyUser) -> Panel | None:
    """The home dashboard's national panel: our province's place in the latest table."""
    if not permissions.has(user, "view_national"):
        return None
    manage = permissions.has(user, "manage_national")
    panel = Panel(
        title=_("National PAR Index"),
        empty=_("No national table has been imported yet."),
        action_label=_("Import tables") if manage else "",
        action_url=reverse("national:import") if manage else "",
    )
    latest = NationalTable.objects.order_by("-year").values_list("year", flat=True).first()
    ours = our_province_name()
    if latest is None:
        return panel
    table = load_tables([latest]).get(latest)
    row = table.row(ours) if table and ours else None
    if row is not None and table is not None:
        label = _("%(year)d: %(province)s %(index)s%%, rank %(rank)d/%(of)d") % {
            "year": latest,
            "province": ours,
            "index": format_number(row.index_percent),
            "rank": table.ranks()[row.province],
            "of": table.size,
        }
    else:
        label = _("%(year)d: the national table") % {"year": latest}
    panel.items = [{"label": label, "url": reverse("national:analysis")}]
    panel.action_label, panel.action_url = _("Analysis"), reverse("national:analysis")
    return panel
