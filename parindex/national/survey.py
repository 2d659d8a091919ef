"""The province's results in the Ministry's sociological survey, arranged as a survey campaign's
analysis is (`surveys.analysis`): which criteria lost the most points, by area and by the
department that answers for them, and each criterion year on year.

The Ministry publishes no answers, only the points of each survey criterion in its appraised
points of the province (`parindex national import`, the appraised-points file). A criterion is a
survey criterion when the province's central index set of that year scores it from the survey
(`source: survey`); `queries.survey_codes` finds those codes. Pure: fed plain rows by `queries`,
exact `Decimal` sums, a percentage rounded once (`engine.decimals.percent_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from parindex.engine.decimals import hundredths, percent_of

ZERO = Decimal(0)


@dataclass(frozen=True)
class SurveyPoints:
    """One survey criterion of the province in one year, as the Ministry appraised it."""

    code: str
    name: str
    max_points: Decimal
    points: Decimal
    owner: str = ""


def percent(points: Decimal, max_points: Decimal) -> Decimal | None:
    """Points as a percentage of the maximum, half-up to hundredths once (None without a max)."""
    points_h, max_h = hundredths(points), hundredths(max_points)
    if points_h is None or not max_h:
        return None
    return percent_of(points_h, max_h)


@dataclass(frozen=True)
class SurveyCriterion:
    """A survey criterion's result, its points lost and its percentage the year before."""

    code: str
    name: str
    owner: str
    max_points: Decimal
    points: Decimal
    lost_points: Decimal
    percent: Decimal | None
    before: Decimal | None  # percentage in the previous year with survey results

    @property
    def change(self) -> Decimal | None:
        return None if self.percent is None or self.before is None else self.percent - self.before


@dataclass(frozen=True)
class SurveyLoss:
    """Points lost over a group of survey criteria (an area, or a responsible department)."""

    key: str
    name: str
    criteria: int
    max_points: Decimal
    points: Decimal
    lost_points: Decimal

    @property
    def percent(self) -> Decimal | None:
        return percent(self.points, self.max_points)


@dataclass(frozen=True)
class NationalSurvey:
    """The province's survey results of a year: criteria by points lost, the groups, totals."""

    year: int
    previous_year: int | None
    criteria: tuple[SurveyCriterion, ...]  # most points lost first
    by_area: tuple[SurveyLoss, ...]
    by_owner: tuple[SurveyLoss, ...]
    max_points: Decimal
    points: Decimal
    lost_points: Decimal
    all_lost_points: Decimal  # over every appraised criterion, survey or not

    @property
    def percent(self) -> Decimal | None:
        return percent(self.points, self.max_points)

    @property
    def lost_share(self) -> Decimal | None:
        """The survey's share of every point the province lost, in percent."""
        return percent(self.lost_points, self.all_lost_points)


def code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """A criterion code's place in criterion order: 1.2 before 1.10, numbers before letters."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def _losses(
    rows: Iterable[SurveyPoints], key_of: Mapping[str, str], names: Mapping[str, str]
) -> tuple[SurveyLoss, ...]:
    groups: dict[str, list[SurveyPoints]] = {}
    for row in rows:
        groups.setdefault(key_of[row.code], []).append(row)
    losses = [
        SurveyLoss(
            key,
            names.get(key, key),
            len(members),
            sum((row.max_points for row in members), ZERO),
            sum((row.points for row in members), ZERO),
            sum((row.max_points - row.points for row in members), ZERO),
        )
        for key, members in groups.items()
    ]
    return tuple(sorted(losses, key=lambda loss: (-loss.lost_points, code_key(loss.key))))


def analyse_survey(
    *,
    year: int,
    rows: Sequence[SurveyPoints],
    all_lost_points: Decimal,
    area_names: Mapping[str, str],
    previous_year: int | None = None,
    previous: Sequence[SurveyPoints] = (),
) -> NationalSurvey:
    """Arrange a year's survey criteria: points lost per criterion, area and department, and
    each criterion's percentage beside the previous year's (matched by code)."""
    before = {row.code: percent(row.points, row.max_points) for row in previous}
    criteria = [
        SurveyCriterion(
            row.code,
            row.name,
            row.owner,
            row.max_points,
            row.points,
            row.max_points - row.points,
            percent(row.points, row.max_points),
            before.get(row.code),
        )
        for row in rows
    ]
    criteria.sort(key=lambda item: (-item.lost_points, code_key(item.code)))
    areas = {row.code: row.code.split(".")[0] for row in rows}
    owners = {row.code: row.owner for row in rows}
    return NationalSurvey(
        year,
        previous_year,
        tuple(criteria),
        _losses(rows, areas, area_names),
        _losses(rows, owners, {}),
        sum((row.max_points for row in rows), ZERO),
        sum((row.points for row in rows), ZERO),
        sum((row.max_points - row.points for row in rows), ZERO),
        all_lost_points,
    )
