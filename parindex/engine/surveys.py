"""Sociological-survey arithmetic (docs/design.md, "Surveys"): survey leaves' percents and points,
the points each question and respondent group lost, sample sizes and satisfaction shares.

Scoring, exact, no intermediate rounding (every quotient stays a `Fraction`):
- for a unit and a question, each group the question is asked of with at least
  `min_responses` counted answers (answers whose option has a percent) gives the mean of their
  percents;
- the question's percent is the weight-average over those groups;
- a leaf's survey percent is the mean of its questions that have a percent;
- the leaf's points come from the leaf's own rule (`proportional`: max × percent / 100,
  half-up to hundredths) through `leaf_points`, given the exact percent as a ratio.
A leaf with no percent for a unit scores 0 and is reported as such (`percent is None`).

Tallies are counts of answers per option, so callers aggregate in the database and pass
`{unit: {question: {group: {option: count}}}}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from parindex.engine.answers import Percent, Ratio, Stage
from parindex.engine.decimals import half_up, points
from parindex.engine.model import Criterion, ProportionalRule
from parindex.engine.rules import leaf_points

ZERO_POINTS = Decimal("0.00")

Tally = Mapping[str, int]  # option code → number of answers
UnitTallies = Mapping[str, Mapping[str, Tally]]  # question → group → tally


@dataclass(frozen=True)
class SurveyQuestion:
    """A question as scoring sees it: its leaf, the groups asked, each option's percent."""

    code: str
    criterion: str
    groups: tuple[str, ...]
    percents: Mapping[str, Decimal | None]  # option code → percent; None = not counted


@dataclass(frozen=True)
class SurveyDesign:
    """A questionnaire as scoring sees it: the minimum, group weights and questions."""

    min_responses: int
    weights: Mapping[str, Decimal]  # group code → weight (> 0)
    questions: tuple[SurveyQuestion, ...]

    def questions_of(self, criterion: str) -> tuple[SurveyQuestion, ...]:
        """The questions linked to one leaf, in questionnaire order."""
        return tuple(question for question in self.questions if question.criterion == criterion)

    @property
    def criteria(self) -> tuple[str, ...]:
        """The leaves the questionnaire scores, in the order their first question comes."""
        return tuple(dict.fromkeys(question.criterion for question in self.questions))


@dataclass(frozen=True)
class GroupResult:
    """One group's part of a question for one unit."""

    group: str
    answers: int  # every answer given, counted or not (not the unanswered)
    counted: int  # answers whose option has a percent
    percent: Fraction | None  # mean of the counted percents; None below min_responses
    weight: Decimal


@dataclass(frozen=True)
class QuestionResult:
    """A question's percent for one unit: the weight-average over the groups that count."""

    code: str
    percent: Fraction | None
    responses: int  # counted answers of the groups that entered the percent
    groups: tuple[GroupResult, ...]


@dataclass(frozen=True)
class LeafResult:
    """A survey leaf for one unit: its exact percent, responses and points (0 without data)."""

    criterion: str
    max_points: Decimal
    percent: Fraction | None
    responses: int
    points: Decimal
    questions: tuple[QuestionResult, ...]
    # Points lost, exact: max × (100 − percent) / 100 on a proportional leaf (before the
    # rounding of the points), max − points on a tiered one, the whole max without data.
    lost: Fraction = Fraction(0)

    @property
    def has_percent(self) -> bool:
        return self.percent is not None

    @property
    def percent_rounded(self) -> Decimal | None:
        """The percent as published: half-up to 2 decimals (None without data)."""
        return None if self.percent is None else round_fraction(self.percent)


def round_fraction(value: Fraction) -> Decimal:
    """An exact quotient rounded half-up to 2 decimals: the one rounding of a shown value."""
    return points(half_up(value.numerator * 100, value.denominator))


def group_percent(tally: Tally, percents: Mapping[str, Decimal | None]) -> tuple[Fraction, int]:
    """(sum of the counted percents, number counted) of one group's answers to a question."""
    total = Fraction(0)
    counted = 0
    for option, count in tally.items():
        percent = percents.get(option)
        if percent is None or not count:
            continue
        total += Fraction(percent) * count
        counted += count
    return total, counted


def question_result(
    question: SurveyQuestion, by_group: Mapping[str, Tally], design: SurveyDesign
) -> QuestionResult:
    """A question's percent for one unit, from each group's tally of answers."""
    groups: list[GroupResult] = []
    weighted = Fraction(0)
    weights = Fraction(0)
    responses = 0
    for group in question.groups:
        tally = by_group.get(group, {})
        total, counted = group_percent(tally, question.percents)
        weight = design.weights[group]
        percent = total / counted if counted and counted >= design.min_responses else None
        answers = sum(count for option, count in tally.items() if option in question.percents)
        groups.append(GroupResult(group, answers, counted, percent, weight))
        if percent is not None:
            weighted += percent * Fraction(weight)
            weights += Fraction(weight)
            responses += counted
    percent = weighted / weights if weights else None
    return QuestionResult(question.code, percent, responses, tuple(groups))


def percent_answer(percent: Fraction) -> Percent | Ratio:
    """The exact percent as an engine answer: a Percent when it is a finite decimal, else the
    ratio percent / 100 (e.g. 220/3 % → Ratio(11, 15)), so nothing is rounded on the way."""
    rest, twos, fives = percent.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest == 1:  # n / (2^a × 5^b) = n × 10^k / (2^a × 5^b) / 10^k, exactly, k = max(a, b)
        digits = max(twos, fives)
        scaled = percent.numerator * 10**digits // percent.denominator
        return Percent(Decimal(f"{scaled}E-{digits}"))
    share = percent / 100
    return Ratio(share.numerator, share.denominator)


def score_leaf(
    node: Criterion, questions: Sequence[SurveyQuestion], tallies: UnitTallies, design: SurveyDesign
) -> LeafResult:
    """One survey leaf for one unit: the mean of its questions' percents, scored by its rule."""
    results = tuple(question_result(q, tallies.get(q.code, {}), design) for q in questions)
    with_percent = [result for result in results if result.percent is not None]
    if not with_percent:
        return LeafResult(
            node.code, node.max_points, None, 0, ZERO_POINTS, results, Fraction(node.max_points)
        )
    percent = mean(result.percent for result in with_percent)
    assert percent is not None
    share = percent / 100
    earned = leaf_points(node, Ratio(share.numerator, share.denominator), Stage.SURVEY)
    earned = earned if earned is not None else ZERO_POINTS
    if isinstance(node.scoring_rule, ProportionalRule):
        lost = Fraction(node.max_points) * (1 - share)
    else:
        lost = Fraction(node.max_points - earned)
    return LeafResult(
        node.code,
        node.max_points,
        percent,
        sum(result.responses for result in with_percent),
        earned,
        results,
        lost,
    )


def score_survey(
    design: SurveyDesign,
    leaves: Mapping[str, Criterion],
    tallies: Mapping[str, UnitTallies],
    units: Iterable[str],
) -> dict[str, dict[str, LeafResult]]:
    """Every unit's result on every leaf the questionnaire scores: {unit: {leaf code: result}}."""
    by_leaf = [(leaves[code], design.questions_of(code)) for code in design.criteria]
    empty: UnitTallies = {}
    return {
        unit: {
            node.code: score_leaf(node, questions, tallies.get(unit, empty), design)
            for node, questions in by_leaf
        }
        for unit in units
    }


# -- where the points went -----------------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    """Points lost on a unit's leaf, shared out over its questions and their groups (exact)."""

    criterion: str
    question: str
    group: str  # "" for the question as a whole
    lost: Fraction


def losses(result: LeafResult) -> list[Loss]:
    """How a leaf's lost points split over its questions and groups (they add up exactly).

    The leaf's percent is the mean of its n questions' percents, so its shortfall from 100 is
    the sum of the questions' shortfalls (100 − p_q) / n: question q takes that share of the
    points lost. Within a question, the shortfall is the sum over its groups of
    w_g / W × (100 − p_g), which shares the question's part among its groups. (On a
    proportional leaf question q's part is max / n × (100 − p_q) / 100.) A leaf without a
    percent lost its whole maximum for want of data, which no question accounts for.
    """
    if result.percent is None or not result.lost:
        return []
    answered = [question for question in result.questions if question.percent is not None]
    shortfall = (100 - result.percent) * len(answered)  # the sum of the questions' shortfalls
    out: list[Loss] = []
    for question in answered:
        assert question.percent is not None
        part = result.lost * (100 - question.percent) / shortfall
        out.append(Loss(result.criterion, question.code, "", part))
        counted = [group for group in question.groups if group.percent is not None]
        total_weight = sum((Fraction(group.weight) for group in counted), Fraction(0))
        for group in counted:
            assert group.percent is not None
            if question.percent == 100:
                continue  # nothing lost on this question
            share = Fraction(group.weight) / total_weight * (100 - group.percent)
            out.append(
                Loss(
                    result.criterion,
                    question.code,
                    group.group,
                    part * share / (100 - question.percent),
                )
            )
    return out


# -- sample sizes and satisfaction ---------------------------------------------------------------


def sample_size(population: int, margin: Decimal = Decimal("0.05")) -> int:
    """Yamane's sample size n = N / (1 + N·e²), rounded up (SIPAS method, e = 5% by default)."""
    if population <= 0:
        return 0
    e = Fraction(margin)
    n = Fraction(population) / (1 + population * e * e)
    return -(-n.numerator // n.denominator)


def share(part: int, whole: int) -> Fraction | None:
    """part / whole × 100 as an exact percent (None when nothing was answered)."""
    return Fraction(part * 100, whole) if whole else None


def mean(values: Iterable[Fraction | None]) -> Fraction | None:
    """The mean of the values that exist (None when none does)."""
    present = [value for value in values if value is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


@dataclass(frozen=True)
class SatisfactionNode:
    """An aspect, factor or item of a satisfaction survey with its exact share of satisfied."""

    name: str
    percent: Fraction | None
    satisfied: int
    answered: int
    children: tuple[SatisfactionNode, ...] = ()

    @property
    def percent_rounded(self) -> Decimal | None:
        return None if self.percent is None else round_fraction(self.percent)


def satisfaction(
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
) -> tuple[Fraction | None, tuple[SatisfactionNode, ...]]:
    """SIPAS-style shares from (aspect, factor, item) → (satisfied, answered) counts.

    An item's share is satisfied / answered; a factor's is the mean of its items' shares, an
    aspect's the mean of its factors', and the index the mean of the aspects' (each level
    counts its parts equally, as the SIPAS method weighs them). Order is first appearance.
    """
    tree: dict[str, dict[str, dict[str, tuple[int, int]]]] = {}
    for (aspect, factor, item), value in counts.items():
        tree.setdefault(aspect, {}).setdefault(factor, {})[item] = value
    aspects: list[SatisfactionNode] = []
    for aspect, factors in tree.items():
        factor_nodes: list[SatisfactionNode] = []
        for factor, items in factors.items():
            item_nodes = tuple(
                SatisfactionNode(item, share(sat, ans), sat, ans)
                for item, (sat, ans) in items.items()
            )
            factor_nodes.append(_parent(factor, item_nodes))
        aspects.append(_parent(aspect, tuple(factor_nodes)))
    return mean(node.percent for node in aspects), tuple(aspects)


def _parent(name: str, children: tuple[SatisfactionNode, ...]) -> SatisfactionNode:
    return SatisfactionNode(
        name,
        mean(child.percent for child in children),
        sum(child.satisfied for child in children),
        sum(child.answered for child in children),
        children,
    )
