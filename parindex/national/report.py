"""The analysis of a province's year, gathered in a few queries for the page, the CLI and DOCX."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from parindex.core.queries import letterhead_settings
from parindex.national import queries
from parindex.national.analysis import (
    Analysis,
    AnalysisError,
    Group,
    TrendPoint,
    analyse,
    trend,
)
from parindex.national.importing import ProvinceResolver
from parindex.national.models import Province
from parindex.national.queries import LostCriterion


class ReportError(Exception):
    """The analysis cannot be made; the message says why, in the active language."""


@dataclass(frozen=True)
class Report:
    """Everything the analysis shows: figures, the trend over the years and the appendix.

    `agency` is the department writing the analysis (the letterhead's, e.g. Sở Nội vụ): the
    text singles out the areas it leads, as the director's memo does.
    """

    analysis: Analysis
    is_city: bool
    trend: list[TrendPoint]
    appendix: list[LostCriterion]
    has_appraised: bool
    groups: tuple[Group, ...]
    agency: str = ""


def resolve_province(name: str) -> Province:
    """The province meant by a name or alias; ReportError when no province has that name."""
    province = ProvinceResolver().resolve(name)
    if province is None:
        raise ReportError(
            _("No province or city is named “%(name)s”; see the list of provinces and aliases.")
            % {"name": name}
        )
    return province


def build_report(*, province: Province, year: int) -> Report:
    """Analyse a province's place in a year's national table against the previous year's."""
    tables = queries.load_tables()
    if year not in tables:
        raise ReportError(
            _("There is no national table for %(year)d. Import it first.") % {"year": year}
        )
    earlier = [y for y in tables if y < year]
    previous_year = max(earlier) if earlier else None
    areas = queries.areas_by_year([year]).get(year, [])
    appraised = queries.province_criteria(province.name, year)
    appendix = queries.criteria_short_of_max(appraised)
    thresholds = queries.groups()
    try:
        analysis = analyse(
            province=province.name,
            current=tables[year],
            previous=tables[previous_year] if previous_year else None,
            areas=areas,
            groups=thresholds,
            predecessors=(
                queries.predecessors_between(previous_year, year) if previous_year else None
            ),
            lost_by_owner=queries.lost_by_owner(appendix),
        )
    except AnalysisError as error:
        raise ReportError(
            _("%(name)s is not in the national table of %(year)d.")
            % {"name": province.name, "year": year}
        ) from error
    return Report(
        analysis=analysis,
        is_city=province.is_city,
        trend=trend([tables[y] for y in sorted(tables) if y <= year], province.name),
        appendix=appendix,
        has_appraised=bool(appraised),
        groups=thresholds,
        agency=letterhead_settings().agency,
    )
