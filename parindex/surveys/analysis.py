"""Reads for the analysis of surveys: answer distributions, points lost per question and group
(per unit and for the province), year on year per question, SIPAS-style satisfaction and PAPI.

Every figure is computed exactly by `parindex.engine.surveys` and rounded once for display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from parindex.core.models import Setting
from parindex.engine.surveys import (
    SatisfactionNode,
    losses,
    mean,
    round_fraction,
    satisfaction,
)
from parindex.surveys.models import Campaign, PapiScore, SipasRecord
from parindex.surveys.scoring import CampaignScores

# The province the analyses are about by default: the national analysis's setting (core's
# settings table; this app does not import the national app).
PROVINCE_SETTING = "national.province"

PAPI_DIMENSIONS: list[tuple[str, str]] = [
    ("participation", "Tham gia của người dân ở cấp cơ sở"),
    ("transparency", "Công khai, minh bạch trong việc ra quyết định"),
    ("accountability", "Trách nhiệm giải trình với người dân"),
    ("corruption", "Kiểm soát tham nhũng trong khu vực công"),
    ("procedures", "Thủ tục hành chính công"),
    ("services", "Cung ứng dịch vụ công"),
    ("environment", "Quản trị môi trường"),
    ("e_governance", "Quản trị điện tử"),
]


def _rounded(value: Fraction | None) -> Decimal | None:
    return None if value is None else round_fraction(value)


# -- answer distributions ------------------------------------------------------------------------


@dataclass
class GroupDistribution:
    group: str
    name: str
    counts: list[tuple[str, str, int]]  # (option code, label, answers)
    answers: int
    counted: int
    percent: Decimal | None
    shares: list[int] = field(default_factory=list)  # whole percent of answers per option


@dataclass
class QuestionDistribution:
    code: str
    text: str
    percent: Decimal | None
    groups: list[GroupDistribution]


@dataclass
class LeafDistribution:
    code: str
    name: str
    max_points: Decimal
    percent: Decimal | None
    points: Decimal | None
    responses: int
    questions: list[QuestionDistribution]
    units_without_data: int = 0


def distribution(scores: CampaignScores, unit: str | None = None) -> list[LeafDistribution]:
    """Each leaf's answers per question and group (of one unit, or of every unit), with the
    number of responses; leaves of the province view count the units without data."""
    design = scores.design
    units = [unit] if unit else list(scores.units)
    out = []
    for code, node in design.leaves.items():
        questions = []
        for question in design.survey.questions_of(code):
            groups = []
            for group in question.groups:
                counts: dict[str, int] = defaultdict(int)
                for unit_code in units:
                    tally = scores.tallies.get(unit_code, {}).get(question.code, {}).get(group, {})
                    for option, count in tally.items():
                        counts[option] += count
                labels = design.option_labels[question.code]
                answers = sum(counts.values())
                counted = sum(
                    counts[option] for option, _label, percent in labels if percent is not None
                )
                if unit:
                    percent = next(
                        (
                            g.percent
                            for q in scores.results[unit][code].questions
                            if q.code == question.code
                            for g in q.groups
                            if g.group == group
                        ),
                        None,
                    )
                else:
                    total = sum(
                        (Fraction(p) * counts[o] for o, _l, p in labels if p is not None),
                        Fraction(0),
                    )
                    percent = total / counted if counted else None
                groups.append(
                    GroupDistribution(
                        group,
                        design.group_names[group],
                        [(o, label, counts[o]) for o, label, _p in labels],
                        answers,
                        counted,
                        _rounded(percent),
                        [counts[o] * 100 // answers if answers else 0 for o, _l, _p in labels],
                    )
                )
            question_percent = (
                next(
                    q.percent
                    for q in scores.results[unit][code].questions
                    if q.code == question.code
                )
                if unit
                else mean(
                    next(
                        q.percent
                        for q in scores.results[u][code].questions
                        if q.code == question.code
                    )
                    for u in units
                )
            )
            questions.append(
                QuestionDistribution(
                    question.code,
                    design.question_texts[question.code],
                    _rounded(question_percent),
                    groups,
                )
            )
        results = [scores.results[u][code] for u in units]
        out.append(
            LeafDistribution(
                code,
                node.name,
                node.max_points,
                _rounded(mean(r.percent for r in results)),
                results[0].points if unit else None,
                sum(r.responses for r in results),
                questions,
                sum(1 for r in results if r.percent is None),
            )
        )
    return out


# -- points lost ---------------------------------------------------------------------------------


@dataclass
class LossRow:
    """Points lost on one question (or one group of it), over the units analysed."""

    criterion: str
    question: str
    text: str
    group: str
    group_name: str
    lost: Decimal
    units: int  # units that lost points on it


@dataclass
class LostPoints:
    by_question: list[LossRow]
    by_group: list[LossRow]  # summed over the questions
    by_question_group: list[LossRow]
    without_data: Decimal  # points lost for want of data (leaves without a percent)
    total: Decimal


def lost_points(scores: CampaignScores, unit: str | None = None) -> LostPoints:
    """Which questions and which respondent groups lost the most points (a unit, or all)."""
    units = [unit] if unit else list(scores.units)
    per_question: dict[str, Fraction] = defaultdict(Fraction)
    per_group: dict[str, Fraction] = defaultdict(Fraction)
    per_pair: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
    losing_q: dict[str, set[str]] = defaultdict(set)
    losing_g: dict[str, set[str]] = defaultdict(set)
    losing_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    without_data = Fraction(0)
    total = Fraction(0)
    for unit_code in units:
        for result in scores.results[unit_code].values():
            total += result.lost
            if result.percent is None:
                without_data += Fraction(result.max_points)
                continue
            for loss in losses(result):
                if not loss.lost:
                    continue
                if loss.group:
                    per_group[loss.group] += loss.lost
                    per_pair[(loss.question, loss.group)] += loss.lost
                    losing_g[loss.group].add(unit_code)
                    losing_pair[(loss.question, loss.group)].add(unit_code)
                else:
                    per_question[loss.question] += loss.lost
                    losing_q[loss.question].add(unit_code)
    design = scores.design
    criterion_of = {q.code: q.criterion for q in design.survey.questions}

    def row(question: str, group: str, lost: Fraction, units_losing: int) -> LossRow:
        return LossRow(
            criterion_of.get(question, ""),
            question,
            design.question_texts.get(question, ""),
            group,
            design.group_names.get(group, ""),
            round_fraction(lost),
            units_losing,
        )

    return LostPoints(
        sorted(
            (row(q, "", lost, len(losing_q[q])) for q, lost in per_question.items()),
            key=lambda r: (-r.lost, r.question),
        ),
        sorted(
            (row("", g, lost, len(losing_g[g])) for g, lost in per_group.items()),
            key=lambda r: (-r.lost, r.group),
        ),
        sorted(
            (row(q, g, lost, len(losing_pair[(q, g)])) for (q, g), lost in per_pair.items()),
            key=lambda r: (-r.lost, r.question, r.group),
        ),
        round_fraction(without_data),
        round_fraction(total),
    )


# -- year on year --------------------------------------------------------------------------------


def question_percents(scores: CampaignScores) -> dict[str, Fraction | None]:
    """Each question's province percent: the mean over the units that have one."""
    out: dict[str, list[Fraction | None]] = defaultdict(list)
    for results in scores.results.values():
        for result in results.values():
            for question in result.questions:
                out[question.code].append(question.percent)
    return {code: mean(values) for code, values in out.items()}


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The latest campaign of an earlier year scoring the same unit type (last year's)."""
    return (
        Campaign.objects.filter(
            round__year__lt=campaign.round.year,
            questionnaire__index_set__unit_type_id=campaign.questionnaire.index_set.unit_type_id,
        )
        .select_related("questionnaire__index_set", "round")
        .order_by("-round__year", "-pk")
        .first()
    )


@dataclass
class YearOnYear:
    code: str
    text: str
    criterion: str
    now: Decimal | None
    before: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def year_on_year(scores: CampaignScores, before: CampaignScores | None) -> list[YearOnYear]:
    """Each question's province percent this year and in the earlier campaign (same code)."""
    now = question_percents(scores)
    then = question_percents(before) if before else {}
    return [
        YearOnYear(
            question.code,
            scores.design.question_texts[question.code],
            question.criterion,
            _rounded(now.get(question.code)),
            _rounded(then.get(question.code)),
        )
        for question in scores.design.survey.questions
    ]


# -- SIPAS-style satisfaction --------------------------------------------------------------------


def sipas_years() -> list[int]:
    """The years with satisfaction data, latest first."""
    return list(SipasRecord.objects.order_by("-year").values_list("year", flat=True).distinct())


def _counts(
    records: Iterable[tuple[str, str, str, int, int]],
) -> dict[tuple[str, str, str], tuple[int, int]]:
    counts: dict[tuple[str, str, str], tuple[int, int]] = {}
    for aspect, factor, item, satisfied, answered in records:
        old = counts.get((aspect, factor, item), (0, 0))
        counts[(aspect, factor, item)] = (old[0] + satisfied, old[1] + answered)
    return counts


def sipas_tree(
    year: int, unit_code: str = ""
) -> tuple[Fraction | None, tuple[SatisfactionNode, ...]]:
    """A unit's (or, pooled, every unit's) satisfaction index, aspects, factors and items."""
    rows = SipasRecord.objects.filter(year=year).order_by("position", "unit__code")
    if unit_code:
        rows = rows.filter(unit__code=unit_code)
    return satisfaction(
        _counts(rows.values_list("aspect", "factor", "item", "satisfied", "answered"))
    )


@dataclass
class SipasUnit:
    code: str
    name: str
    index: Decimal | None
    aspects: list[Decimal | None]


def sipas_units(year: int) -> tuple[list[str], list[SipasUnit]]:
    """Every unit's index and aspect shares in a year, best first (one query)."""
    by_unit: dict[tuple[str, str], list[tuple[str, str, str, int, int]]] = defaultdict(list)
    for code, name, *values in (
        SipasRecord.objects.filter(year=year)
        .order_by("position")
        .values_list(
            "unit__code", "unit__name", "aspect", "factor", "item", "satisfied", "answered"
        )
    ):
        by_unit[(code, name)].append(tuple(values))  # type: ignore[arg-type]
    aspects: list[str] = []
    rows = []
    for (code, name), records in by_unit.items():
        index, tree = satisfaction(_counts(records))
        for node in tree:
            if node.name not in aspects:
                aspects.append(node.name)
        shares = {node.name: node.percent_rounded for node in tree}
        rows.append(SipasUnit(code, name, _rounded(index), [shares.get(a) for a in aspects]))
    for row in rows:
        row.aspects += [None] * (len(aspects) - len(row.aspects))
    rows.sort(key=lambda r: (r.index is None, -(r.index or 0), r.code))
    return aspects, rows


def sipas_trend(unit_code: str = "") -> list[tuple[int, Decimal | None, dict[str, Decimal | None]]]:
    """(year, index, aspect shares) for every year, oldest first."""
    out = []
    for year in sorted(sipas_years()):
        index, tree = sipas_tree(year, unit_code)
        out.append((year, _rounded(index), {node.name: node.percent_rounded for node in tree}))
    return out


# -- PAPI ----------------------------------------------------------------------------------------


def papi_years() -> list[int]:
    """The years with PAPI scores, latest first."""
    return list(PapiScore.objects.order_by("-year").values_list("year", flat=True).distinct())


def our_province() -> str:
    """The province chosen for the national analysis (empty when none is)."""
    value = Setting.objects.filter(key=PROVINCE_SETTING).values_list("value", flat=True).first()
    return str(value) if value else ""


@dataclass
class PapiRow:
    code: str
    name: str
    ours: Decimal | None
    national: Decimal | None
    peers: list[Decimal | None]
    before: Decimal | None  # ours, the year before

    @property
    def gap(self) -> Decimal | None:
        return None if self.ours is None or self.national is None else self.ours - self.national

    @property
    def change(self) -> Decimal | None:
        return None if self.ours is None or self.before is None else self.ours - self.before


def _mean_decimal(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    exact = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    return Decimal(exact.numerator * 10000 // exact.denominator) / 10000


def default_peers(year: int, province: str, count: int = 4) -> list[str]:
    """The provinces closest to ours in total that year (the neighbours in the ranking)."""
    scores = dict(PapiScore.objects.filter(year=year).values_list("province", "total"))
    if province not in scores:
        return []
    ours = scores.pop(province)
    return sorted(scores, key=lambda name: (abs(scores[name] - ours), name))[:count]


def papi_view(year: int, province: str, peers: list[str]) -> list[PapiRow]:
    """The eight dimensions and the total: ours, the national average, peers, last year."""
    scores = {s.province: s for s in PapiScore.objects.filter(year=year)}
    last = PapiScore.objects.filter(year__lt=year, province=province).order_by("-year").first()

    def value(score: PapiScore | None, code: str) -> Decimal | None:
        if score is None:
            return None
        return score.total if code == "total" else Decimal(score.dimensions[code])

    rows = []
    for code, name in [*PAPI_DIMENSIONS, ("total", "Tổng điểm")]:
        rows.append(
            PapiRow(
                code,
                name,
                value(scores.get(province), code),
                _mean_decimal([value(s, code) for s in scores.values()]),  # type: ignore[misc]
                [value(scores.get(peer), code) for peer in peers],
                value(last, code),
            )
        )
    return rows


def papi_trend(province: str) -> list[tuple[int, Decimal | None, Decimal | None, int | None, int]]:
    """(year, our total, national average, our rank, provinces) for every year, oldest first."""
    out = []
    for year in sorted(papi_years()):
        totals = dict(PapiScore.objects.filter(year=year).values_list("province", "total"))
        ours = totals.get(province)
        rank = 1 + sum(1 for total in totals.values() if ours is not None and total > ours)
        out.append(
            (year, ours, _mean_decimal(list(totals.values())), rank if ours else None, len(totals))
        )
    return out


def papi_provinces(year: int) -> list[str]:
    return list(
        PapiScore.objects.filter(year=year).order_by("province").values_list("province", flat=True)
    )
