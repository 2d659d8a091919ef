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
from math import lcm

from parindex.engine.answers import Percent, Ratio, Stage
from parindex.engine.decimals import half_up, points
from parindex.engine.model import Criterion, ProportionalRule
from parindex.engine.rules import check_stage, evaluator

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


class _Scale:
    """A question's answer scale for counting many tallies: each counted option's percent as a
    whole number over one common denominator, so a group's sum is integer arithmetic and only
    its mean becomes a `Fraction` (the same exact value, made once per group)."""

    __slots__ = ("denominator", "known", "scaled")

    def __init__(self, percents: Mapping[str, Decimal | None]) -> None:
        ratios = {
            option: percent.as_integer_ratio()
            for option, percent in percents.items()
            if percent is not None
        }
        self.denominator = lcm(1, *(denominator for _n, denominator in ratios.values()))
        self.scaled = {
            option: numerator * (self.denominator // denominator)
            for option, (numerator, denominator) in ratios.items()
        }
        self.known = frozenset(percents)

    def count(self, tally: Tally) -> tuple[int, int, int]:
        """(sum of the counted percents × denominator, answers counted, answers given)."""
        total = counted = answers = 0
        scaled, known = self.scaled, self.known
        for option, count in tally.items():
            if option in known:
                answers += count
            percent = scaled.get(option)
            if percent is not None and count:
                total += percent * count
                counted += count
        return total, counted, answers


class _Question:
    """A question compiled once for scoring every unit: its scale and its groups' weights."""

    __slots__ = ("code", "groups", "min_responses", "scale")

    def __init__(self, question: SurveyQuestion, design: SurveyDesign) -> None:
        self.code = question.code
        self.scale = _Scale(question.percents)
        self.groups = tuple(
            (group, design.weights[group], Fraction(design.weights[group]))
            for group in question.groups
        )
        self.min_responses = design.min_responses

    def result(self, by_group: Mapping[str, Tally]) -> QuestionResult:
        """The question's percent for one unit, from each group's tally of answers."""
        groups: list[GroupResult] = []
        counting: list[tuple[Fraction, Fraction]] = []  # (group percent, weight)
        responses = 0
        denominator = self.scale.denominator
        for group, weight, exact_weight in self.groups:
            tally = by_group.get(group)
            total, counted, answers = self.scale.count(tally) if tally else (0, 0, 0)
            percent = (
                Fraction(total, counted * denominator)
                if counted and counted >= self.min_responses
                else None
            )
            groups.append(GroupResult(group, answers, counted, percent, weight))
            if percent is not None:
                counting.append((percent, exact_weight))
                responses += counted
        if len(counting) == 1:  # the weight-average of one group is its mean, exactly
            percent = counting[0][0]
        elif counting:
            weighted = sum((share * weight for share, weight in counting), Fraction(0))
            percent = weighted / sum(weight for _share, weight in counting)
        else:
            percent = None
        return QuestionResult(self.code, percent, responses, tuple(groups))


def question_result(
    question: SurveyQuestion, by_group: Mapping[str, Tally], design: SurveyDesign
) -> QuestionResult:
    """A question's percent for one unit, from each group's tally of answers."""
    return _Question(question, design).result(by_group)


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


class _Leaf:
    """A survey leaf compiled once for scoring every unit: its questions and its rule's
    evaluator (the same one `leaf_points` uses, made once instead of per unit)."""

    __slots__ = ("evaluate", "is_proportional", "max_exact", "node", "points", "questions")

    def __init__(self, node: Criterion, questions: Sequence[_Question]) -> None:
        check_stage(node, Stage.SURVEY)
        self.node = node
        self.questions = tuple(questions)
        self.evaluate = evaluator(node)
        self.is_proportional = isinstance(node.scoring_rule, ProportionalRule)
        self.max_exact = Fraction(node.max_points)
        self.points: dict[int, Decimal] = {}  # hundredths → points, as units repeat them

    def result(self, tallies: UnitTallies) -> LeafResult:
        """The leaf for one unit: the mean of its questions' percents, scored by its rule."""
        node = self.node
        results = tuple(
            question.result(tallies.get(question.code, {})) for question in self.questions
        )
        present = [result.percent for result in results if result.percent is not None]
        if not present:
            return LeafResult(
                node.code, node.max_points, None, 0, ZERO_POINTS, results, self.max_exact
            )
        percent = present[0] if len(present) == 1 else sum(present, Fraction(0)) / len(present)
        # The share percent / 100 as a ratio the rule reads exactly (it need not be reduced).
        numerator, denominator = percent.numerator, percent.denominator * 100
        hundredths = self.evaluate(Ratio(numerator, denominator))
        earned = ZERO_POINTS
        if hundredths is not None:
            known = self.points.get(hundredths)
            earned = known if known is not None else points(hundredths)
            self.points[hundredths] = earned
        if self.is_proportional:  # max × (1 − share), made as one fraction
            most = self.max_exact
            lost = Fraction(
                most.numerator * (denominator - numerator), most.denominator * denominator
            )
        else:
            lost = Fraction(node.max_points - earned)
        responses = sum(result.responses for result in results if result.percent is not None)
        return LeafResult(node.code, node.max_points, percent, responses, earned, results, lost)


def _compile(design: SurveyDesign, node: Criterion, questions: Sequence[SurveyQuestion]) -> _Leaf:
    return _Leaf(node, [_Question(question, design) for question in questions])


def score_leaf(
    node: Criterion, questions: Sequence[SurveyQuestion], tallies: UnitTallies, design: SurveyDesign
) -> LeafResult:
    """One survey leaf for one unit: the mean of its questions' percents, scored by its rule."""
    return _compile(design, node, questions).result(tallies)


def score_survey(
    design: SurveyDesign,
    leaves: Mapping[str, Criterion],
    tallies: Mapping[str, UnitTallies],
    units: Iterable[str],
) -> dict[str, dict[str, LeafResult]]:
    """Every unit's result on every leaf the questionnaire scores: {unit: {leaf code: result}}.

    Each leaf and question is compiled once (scale, weights, the rule's evaluator), so the
    work per unit is integer sums and one `Fraction` per group: a national campaign (3,500
    units) is scored in a fraction of a second.
    """
    compiled = [
        _compile(design, leaves[code], design.questions_of(code)) for code in design.criteria
    ]
    empty: UnitTallies = {}
    return {
        unit: {leaf.node.code: leaf.result(tallies.get(unit, empty)) for leaf in compiled}
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
