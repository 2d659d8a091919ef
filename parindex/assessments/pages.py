"""Page view-models: what the self-assessment, explanations, appraisal and council pages show.

Every point shown comes from the engine: the page scores the unit's answers with `score_unit`
and reads each node's points and effective maximum from its result."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.types import AnyUser, User
from parindex.assessments import answers, hooks
from parindex.assessments.models import (
    Appraisal,
    Assessment,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.assessments.queries.access import (
    assessments_for_user,
    can_edit_item,
    library_unit_id,
    open_request_of,
    owned_share,
)
from parindex.assessments.queries.evidence import evidence_for_picker
from parindex.assessments.queries.locks import (
    Deadlines,
    appraisal_stage_for,
    deadlines_for,
    explanation_lock_for,
    self_lock_for,
)
from parindex.assessments.queries.scoring import (
    SYSTEM_COMPUTED,
    UnitAnswers,
    engine_set_for,
    item_values,
    round_answers,
    round_scores,
    score,
)
from parindex.assessments.workflow import Lock
from parindex.core import revisions
from parindex.core.vietnamese import matcher
from parindex.indexsets.models import IndexSet
from parindex.indexsets.ruletext import describe_rule
from parindex.rounds import deadlines
from parindex.rounds.models import Phase, Round


@dataclass
class AreaTab:
    code: str
    name: str
    answered: int
    total: int
    points: Decimal | None
    max_points: Decimal | None
    is_current: bool = False
    is_bonus: bool = False


@dataclass
class Row:
    """One line of the grid: a branch header or a leaf with its item."""

    node: engine.Criterion
    depth: int
    points: Decimal | None = None
    max_points: Decimal | None = None
    is_excluded: bool = False
    item: Item | None = None
    kind: str = ""
    options: list[tuple[str, Decimal]] = field(default_factory=list)
    value_text: str = ""
    is_na: bool = False
    na_policy: str = "none"
    is_survey: bool = False
    rule_text: str = ""
    links: list[ItemEvidence] = field(default_factory=list)
    has_evidence: bool = False
    appraisal: Any = None  # AppraisalInfo on the appraisal page
    computed: hooks.ComputedValue | None = None  # a computed leaf's value and its list
    remarks: list[hooks.Remark] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.item is not None

    @property
    def is_computed(self) -> bool:
        """Whether the system computes the leaf's value (nobody types it)."""
        return self.computed is not None

    @property
    def dom_id(self) -> str:
        """An HTML id for the row that survives codes with dots (htmx swaps rows by id)."""
        return "node-" + re.sub(r"[^A-Za-z0-9_-]", "_", self.node.code)


def leaf_row(
    node: engine.Criterion,
    depth: int,
    item: Item,
    links: list[ItemEvidence],
    result: engine.UnitScore | None,
    stage: str = "self",
    computed: hooks.ComputedValue | None = None,
) -> Row:
    """A leaf's line: its item, input, rule, evidence and the engine's points for it."""
    data = item.self_answer if stage == "self" else item.final_answer
    if node.source == engine.Source.SURVEY:
        data = item.survey_answer
    if computed is not None:
        data = computed.answer
    rule = node.scoring_rule
    row = Row(
        node=node,
        depth=depth,
        item=item,
        kind=answers.input_kind(node),
        options=[(o.label, o.points) for o in rule.options]
        if isinstance(rule, engine.ChoiceRule)
        else [],
        value_text=answers.input_text(data),
        is_na=answers.is_na(data),
        na_policy=str(node.not_applicable),
        is_survey=node.source == engine.Source.SURVEY,
        rule_text=describe_rule(item.criterion.rule),
        links=links,
        has_evidence=bool(links),
        max_points=node.max_points,
        computed=computed,
    )
    if result is not None and data is not None:
        node_score = result.node(node.code)
        row.points = node_score.points
        row.max_points = node_score.max_points
        row.is_excluded = node_score.is_excluded
    return row


def _walk(node: engine.Criterion, depth: int) -> Any:
    yield node, depth
    for child in node.children:
        yield from _walk(child, depth + 1)


@dataclass
class Grid:
    """Everything the self-assessment page shows (also the appraisal page's left side)."""

    assessment: Assessment
    index_set: engine.IndexSet
    result: engine.UnitScore | None
    tabs: list[AreaTab]
    area: engine.Criterion
    rows: list[Row]
    answered: int
    total: int
    missing_evidence: int
    lock: Lock | None
    dates: Deadlines
    open_requests: int = 0
    partial: bool = False  # only an owner department's share of the province's assessment
    computed: dict[str, hooks.ComputedValue] = field(default_factory=dict)


def grid(
    assessment: Assessment,
    area_code: str | None,
    *,
    stage: str = "self",
    lock: Lock | None = None,
    only: frozenset[int] | None = None,
) -> Grid:
    """The tree of one area with every leaf's input, rule, evidence and engine points.

    With `only` (criterion ids an owner department holds), the page keeps just those leaves,
    the branches above them and the areas that contain them.
    """
    index_set = engine_set_for(assessment)
    items = item_values(assessment.items.all())
    by_code = {item.code: item for item in items}
    computed = hooks.computed_values(
        assessment.round, index_set, [assessment.unit_id], with_basis=True
    ).get(assessment.unit_id, {})
    result = score(index_set, items, stage, hooks.computed_answers(computed))
    remarks = hooks.remarks(assessment)
    evidenced = set(
        ItemEvidence.objects.filter(item__assessment=assessment).values_list("item_id", flat=True)
    )
    areas = list(index_set.criteria)
    if only is not None:
        from parindex.indexsets.models import Criterion

        kept = set(Criterion.objects.filter(pk__in=only).values_list("code", flat=True))
        areas = [node for node in areas if any(leaf.code in kept for leaf in node.leaves())]
    area = next((node for node in areas if node.code == area_code), areas[0])
    tabs = []
    answered = total = missing_evidence = 0
    for node in areas:
        leaves = [
            by_code[leaf.code]
            for leaf in node.leaves()
            if leaf.source != engine.Source.SURVEY
            and leaf.code not in computed
            and (only is None or leaf.code in kept)
        ]
        done = sum(1 for leaf in leaves if leaf.self_answer is not None)
        answered += done
        total += len(leaves)
        missing_evidence += sum(
            1 for leaf in leaves if leaf.pk not in evidenced and not leaf.no_evidence_reason
        )
        node_score = result.node(node.code) if result else None
        tabs.append(
            AreaTab(
                code=node.code,
                name=node.name,
                answered=done,
                total=len(leaves),
                points=node_score.points if node_score else None,
                max_points=node_score.max_points if node_score else node.max_points,
                is_current=node.code == area.code,
                is_bonus=node.kind != engine.Kind.NORMAL,
            )
        )
    area_items = [by_code[leaf.code].pk for leaf in area.leaves()]
    full = Item.objects.select_related("criterion").in_bulk(area_items)
    links: dict[int, list[ItemEvidence]] = {}
    for link in (
        ItemEvidence.objects.filter(item_id__in=area_items)
        .select_related("evidence")
        .order_by("added_at", "id")
    ):
        links.setdefault(link.item_id, []).append(link)
    rows = []
    for node, depth in _walk(area, 0):
        if only is not None and not any(leaf.code in kept for leaf in node.leaves()):
            continue
        if node.is_leaf:
            item = full[by_code[node.code].pk]
            row = leaf_row(
                node, depth, item, links.get(item.pk, []), result, stage, computed.get(node.code)
            )
            row.remarks = remarks.get(node.code, [])
            rows.append(row)
        else:
            node_score = result.node(node.code) if result else None
            rows.append(
                Row(
                    node=node,
                    depth=depth,
                    points=node_score.points if node_score else None,
                    max_points=node_score.max_points if node_score else node.max_points,
                    is_excluded=node_score.is_excluded if node_score else False,
                    remarks=remarks.get(node.code, []),
                )
            )
    dates = deadlines_for(assessment)
    return Grid(
        assessment=assessment,
        index_set=index_set,
        result=result,
        tabs=tabs,
        area=area,
        rows=rows,
        answered=answered,
        total=total,
        missing_evidence=missing_evidence,
        lock=lock if lock is not None else self_lock_for(assessment, dates),
        dates=dates,
        open_requests=ExplanationRequest.objects.filter(
            item__assessment=assessment, answered_at__isnull=True
        ).count()
        if assessment.status == Assessment.Status.RETURNED
        else 0,
        computed=computed,
        partial=only is not None,
    )


@dataclass
class MyAssessment:
    assessment: Assessment
    deadline: dt.date
    days_left: int
    phase_label: str


def my_assessments(user: AnyUser) -> list[MyAssessment]:
    """The user's units' assessments with the deadline of the work they have now."""
    rows = []
    today = deadlines.today()
    assessments = list(assessments_for_user(user))
    extensions: dict[int, dict] = {}
    for assessment in assessments:
        if assessment.round_id not in extensions:
            extensions[assessment.round_id] = deadlines.extensions_of(assessment.round)
        phase = (
            Phase.EXPLANATION
            if assessment.status == Assessment.Status.RETURNED
            else Phase.SELF_ASSESSMENT
        )
        due = deadlines.deadline(
            assessment.round, assessment.unit_id, phase, extensions[assessment.round_id]
        )
        rows.append(
            MyAssessment(assessment, due, deadlines.days_left(due, today), str(Phase(phase).label))
        )
    return rows


def conflict_text(current: Item, typed: str) -> str:
    """What the second person sees when someone else saved the item first."""
    from django.utils.translation import gettext as _

    from parindex.core.formatting import format_datetime, format_points

    return _(
        "%(who)s saved this item at %(at)s: value “%(value)s” (%(points)s points). Your value "
        "“%(typed)s” was not saved; check it and enter it again if it is still right."
    ) % {
        "who": current.self_by or _("someone else"),
        "at": format_datetime(current.self_at or current.updated_at),
        "value": answers.describe(current.self_answer),
        "points": format_points(current.self_points),
        "typed": typed,
    }


def saved_row_context(
    item: Item, area_code: str | None = None, *, user: AnyUser | None = None
) -> dict[str, Any]:
    """The refreshed leaf row, its branch rows, the area tabs and the totals after a save."""
    assessment = item.assessment
    area = item.area.code if item.area_id else area_code
    page = grid(assessment, area, only=owned_share(user, assessment) if user else None)
    ancestors: list[Row] = []
    row = page.rows[0]
    for candidate in page.rows:
        del ancestors[candidate.depth :]
        if candidate.item is not None and candidate.item.pk == item.pk:
            row = candidate
            break
        ancestors.append(candidate)
    branches = [ancestor for ancestor in ancestors if ancestor.item is None]
    return {"grid": page, "row": row, "branches": branches, "assessment": assessment}


def explanations_page(assessment: Assessment, user: AnyUser) -> dict[str, Any]:
    """The requests put to the unit, with the value asked about and the evidence given."""
    requests = list(
        ExplanationRequest.objects.filter(item__assessment=assessment)
        .select_related("item__criterion", "asked_by", "answered_by")
        .prefetch_related(
            Prefetch(
                "item__evidence_links",
                queryset=ItemEvidence.objects.select_related("evidence").order_by("added_at"),
            )
        )
        .order_by("item__position")
    )
    dates = deadlines_for(assessment)
    lock = explanation_lock_for(assessment, dates)
    can_edit = permissions.can_edit_assessment(user, assessment)
    return {
        "assessment": assessment,
        "requests": requests,
        "lock": lock,
        "dates": dates,
        "can_answer": can_edit and lock is None,
        "can_send": permissions.can_submit_assessment(user, assessment) and lock is None,
        "unanswered": sum(1 for request in requests if not request.is_answered),
        "library": evidence_for_picker(assessment.unit_id) if can_edit and lock is None else [],
    }


@dataclass
class LinkRow:
    link: ItemEvidence
    outside_year: bool


def item_evidence_panel(item: Item, user: AnyUser) -> dict[str, Any]:
    """An item's attached evidence (flagging dates outside the assessed year) and the library."""
    assessment = item.assessment
    year = assessment.round.year
    links = [
        LinkRow(link, bool(link.evidence.issued_on and link.evidence.issued_on.year != year))
        for link in ItemEvidence.objects.filter(item=item)
        .select_related("evidence", "added_by", "request")
        .order_by("added_at", "id")
    ]
    request = open_request_of(item)
    lock = explanation_lock_for(assessment) if request else self_lock_for(assessment)
    editable = can_edit_item(user, item) and lock is None
    attached = {row.link.evidence_id for row in links}
    library = (
        [doc for doc in evidence_for_picker(library_unit_id(user, item)) if doc.pk not in attached]
        if editable
        else []
    )
    return {
        "item": item,
        "assessment": assessment,
        "links": links,
        "library": library,
        "lock": lock,
        "editable": editable,
        "year": year,
    }


@dataclass
class QueueRow:
    assessment: Assessment
    area_code: str
    area_name: str
    decided: int
    total: int
    requests: int
    due: dt.date
    days_left: int
    stage: int | None


def appraiser_queue(user: User, *, status: str = "", search: str = "") -> list[QueueRow]:
    """The units × areas assigned to an appraiser, with progress and the next deadline
    (`search`: part of a unit's code or name)."""
    from django.db.models import Count

    from parindex.rounds.models import Assignment

    assignments = list(
        Assignment.objects.filter(appraiser=user)
        .exclude(round__status__in=[Round.Status.DRAFT, Round.Status.PUBLISHED])
        .select_related("round", "unit", "area")
        .order_by("-round__year", "round__code", "unit__code", "area__position")
    )
    if search:
        wanted = matcher(search)
        assignments = [row for row in assignments if wanted(row.unit.code, row.unit.name)]
    pairs = {(row.round_id, row.unit_id) for row in assignments}
    assessments = {
        (a.round_id, a.unit_id): a
        for a in Assessment.objects.filter(
            round_id__in={round_id for round_id, _unit in pairs},
            unit_id__in={unit_id for _round, unit_id in pairs},
        ).select_related("round", "unit")
    }
    ids = [a.pk for a in assessments.values()]
    totals = {
        (row["assessment_id"], row["area_id"]): row["n"]
        for row in Item.objects.filter(assessment_id__in=ids)
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
        .values("assessment_id", "area_id")
        .annotate(n=Count("id"))
    }
    decided: dict[tuple[int, int, int], int] = {}
    for row in (
        Appraisal.objects.filter(item__assessment_id__in=ids)
        .values("item__assessment_id", "item__area_id", "stage")
        .annotate(n=Count("id"))
    ):
        decided[(row["item__assessment_id"], row["item__area_id"], row["stage"])] = row["n"]
    requests = {
        (row["item__assessment_id"], row["item__area_id"]): row["n"]
        for row in ExplanationRequest.objects.filter(item__assessment_id__in=ids)
        .values("item__assessment_id", "item__area_id")
        .annotate(n=Count("id"))
    }
    today = deadlines.today()
    extensions: dict[int, dict] = {}
    rows = []
    for assignment in assignments:
        assessment = assessments.get((assignment.round_id, assignment.unit_id))
        if assessment is None or (status and assessment.status != status):
            continue
        round_ = assignment.round
        if round_.pk not in extensions:
            extensions[round_.pk] = deadlines.extensions_of(round_)
        dates = Deadlines(
            self_assessment=deadlines.deadline(
                round_, assessment.unit_id, Phase.SELF_ASSESSMENT, extensions[round_.pk]
            ),
            explanation=deadlines.deadline(
                round_, assessment.unit_id, Phase.EXPLANATION, extensions[round_.pk]
            ),
            today=today,
        )
        stage, _lock = appraisal_stage_for(assessment, dates)
        key = (assessment.pk, assignment.area_id)
        n_requests = requests.get(key, 0)
        if stage == 2:
            done, total = decided.get((*key, 2), 0), n_requests
            due = round_.second_appraisal_closes_on
        else:
            done, total = decided.get((*key, 1), 0), totals.get(key, 0)
            due = round_.appraisal_closes_on
        rows.append(
            QueueRow(
                assessment=assessment,
                area_code=assignment.area.code,
                area_name=assignment.area.name,
                decided=done,
                total=total,
                requests=n_requests,
                due=due,
                days_left=deadlines.days_left(due, today),
                stage=stage,
            )
        )
    return rows


@dataclass
class QueueGroup:
    """One unit in the appraiser's queue: its assigned areas and what is left to decide."""

    assessment: Assessment
    rows: list[QueueRow]

    @property
    def decided(self) -> int:
        return sum(row.decided for row in self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def stage(self) -> int | None:
        return self.rows[0].stage

    @property
    def days_left(self) -> int:
        return min(row.days_left for row in self.rows)

    @property
    def due(self) -> dt.date:
        return min(row.due for row in self.rows)

    @property
    def can_accept_rest(self) -> bool:
        """Whether "accept every remaining item" applies (first appraisal, something left)."""
        return self.stage == 1 and self.decided < self.total

    @property
    def actionable(self) -> bool:
        """Whether the appraiser can act now (a draft or a locked unit is only to read)."""
        return self.stage is not None


def queue_groups(rows: list[QueueRow], *, drafts: bool = False) -> list[QueueGroup]:
    """The queue by unit (round, then unit code), drafts left out unless asked for: the
    appraiser cannot act on a unit that has not submitted."""
    groups: dict[int, QueueGroup] = {}
    for row in rows:
        if not drafts and row.assessment.status == Assessment.Status.DRAFT:
            continue
        groups.setdefault(row.assessment.pk, QueueGroup(row.assessment, [])).rows.append(row)
    return list(groups.values())


@dataclass
class AppraisalInfo:
    """What the appraisers decided about one item, and what the unit explained."""

    first: Any = None
    second: Any = None
    request: ExplanationRequest | None = None
    can_decide: bool = False


@dataclass
class AppraisalPage:
    grid: Grid
    info: dict[int, AppraisalInfo]
    stage: int | None
    lock: Lock | None
    assigned_areas: set[str]
    self_result: engine.UnitScore | None
    undecided: int
    requests: int
    can_return: bool
    can_finalise: bool


def appraisal_page(assessment: Assessment, area_code: str | None, user: AnyUser) -> AppraisalPage:
    """One area of an assessment for appraisal: self values, evidence, decisions, explanations."""
    dates = deadlines_for(assessment)
    stage, lock = appraisal_stage_for(assessment, dates)
    scope = permissions.appraiser_scope(user)
    assigned = {
        area_id
        for round_id, unit_id, area_id in scope
        if (round_id, unit_id) == (assessment.round_id, assessment.unit_id)
    }
    page = grid(assessment, area_code, stage="final", lock=lock)
    area_ids = {item.area_id for row in page.rows if (item := row.item) is not None}
    item_ids = [row.item.pk for row in page.rows if row.item is not None]
    info = {pk: AppraisalInfo() for pk in item_ids}
    for appraisal in Appraisal.objects.filter(item_id__in=item_ids).select_related("by"):
        setattr(info[appraisal.item_id], "first" if appraisal.stage == 1 else "second", appraisal)
    for request in ExplanationRequest.objects.filter(item_id__in=item_ids).select_related(
        "asked_by", "answered_by"
    ):
        info[request.item_id].request = request
    area_assigned = bool(area_ids & assigned)
    for row in page.rows:
        if row.item is None or row.is_survey or row.is_computed:
            continue
        entry = info[row.item.pk]
        row.appraisal = entry
        entry.can_decide = (
            area_assigned and stage is not None and (stage == 1 or entry.request is not None)
        )
    undecided = (
        Item.objects.filter(assessment=assessment)
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
    )
    decided_first = Appraisal.objects.filter(item__assessment=assessment, stage=1)
    n_requests = ExplanationRequest.objects.filter(item__assessment=assessment).count()
    missing = undecided.count() - decided_first.count()
    if stage == 2:
        missing = (
            n_requests - Appraisal.objects.filter(item__assessment=assessment, stage=2).count()
        )
    is_appraiser = bool(assigned)
    return AppraisalPage(
        grid=page,
        info=info,
        stage=stage,
        lock=lock,
        assigned_areas={tab.code for tab in page.tabs if _area_id(page, tab.code) in assigned},
        self_result=score(
            page.index_set,
            item_values(assessment.items.all()),
            "self",
            hooks.computed_answers(page.computed),
        ),
        undecided=missing,
        requests=n_requests,
        can_return=is_appraiser and stage == 1 and missing == 0 and n_requests > 0,
        can_finalise=is_appraiser
        and stage is not None
        and missing == 0
        and (stage == 2 or n_requests == 0),
    )


def _area_id(page: Grid, code: str) -> int | None:
    from parindex.indexsets.models import Criterion

    cache = getattr(page, "_area_ids", None)
    if cache is None:
        cache = dict(
            Criterion.objects.filter(
                index_set_id=page.assessment.index_set_id, parent__isnull=True
            ).values_list("code", "id")
        )
        page._area_ids = cache  # type: ignore[attr-defined]
    return cache.get(code)


@dataclass
class CouncilRow:
    assessment: Assessment
    disagreements: int
    self_points: Decimal | None = None  # the scores, once `add_council_scores` gave them
    final_points: Decimal | None = None
    max_points: Decimal | None = None
    final_percent: Decimal | None = None
    adjusted: int = 0

    @property
    def approvable(self) -> bool:
        """Finalised and not yet approved: the council may approve it."""
        return (
            self.assessment.status == Assessment.Status.FINALISED
            and not self.assessment.approved_at
        )


@dataclass
class CouncilGroup:
    """The council's rows of one unit type."""

    unit_type: Any
    rows: list[CouncilRow]

    @property
    def approvable(self) -> int:
        return sum(1 for row in self.rows if row.approvable)


COUNCIL_SORTS = {
    "unit": lambda row: row.assessment.unit.code,
    "-percent": lambda row: -(row.final_percent if row.final_percent is not None else -1),
    "-disagreements": lambda row: -row.disagreements,
}
SORTS_BY_SCORE = {"-percent"}  # the sorts that need every unit's scores


def council_groups(rows: list[CouncilRow], *, sort: str = "unit") -> list[CouncilGroup]:
    """The council's rows by unit type (in the types' order), sorted within each type."""
    groups: dict[int, CouncilGroup] = {}
    for row in rows:
        unit_type = row.assessment.unit.unit_type
        groups.setdefault(unit_type.pk, CouncilGroup(unit_type, [])).rows.append(row)
    key = COUNCIL_SORTS.get(sort, COUNCIL_SORTS["unit"])
    for group in groups.values():
        group.rows.sort(key=key)
    return sorted(groups.values(), key=lambda group: (group.unit_type.order, group.unit_type.code))


def council_page(
    groups: list[CouncilGroup], shown: Sequence[CouncilRow]
) -> list[tuple[CouncilGroup, list[CouncilRow]]]:
    """The groups with rows among those `shown` (a page of the council's table, in the groups'
    order), each beside its rows there; a group still counts all its units in its header."""
    on_page = {id(row) for row in shown}
    page = [(group, [row for row in group.rows if id(row) in on_page]) for group in groups]
    return [(group, rows) for group, rows in page if rows]


def council_rows(round_: Round) -> list[CouncilRow]:
    """Per unit, before its scores (`add_council_scores`): its assessment and its open
    disagreements."""
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit__unit_type")
        .order_by("unit__unit_type__order", "unit__code")
    )
    # one object per index set, not a copy per assessment (3,500 of them in a national round)
    index_sets = IndexSet.objects.select_related("unit_type").in_bulk(
        {assessment.index_set_id for assessment in assessments}
    )
    for assessment in assessments:
        assessment.index_set = index_sets[assessment.index_set_id]
    requests: dict[int, list[ExplanationRequest]] = {}
    decided_second = set(
        Appraisal.objects.filter(item__assessment__round=round_, stage=2).values_list(
            "item_id", flat=True
        )
    )
    for request in ExplanationRequest.objects.filter(item__assessment__round=round_).select_related(
        "item"
    ):
        requests.setdefault(request.item.assessment_id, []).append(request)
    return [
        CouncilRow(
            assessment=assessment,
            disagreements=sum(
                1
                for request in requests.get(assessment.pk, [])
                if request.item_id not in decided_second
                or request.item.appraised_answer != request.item.self_answer
            ),
        )
        for assessment in assessments
    ]


def add_council_scores(round_: Round, rows: Sequence[CouncilRow]) -> None:
    """Give these rows their self and appraised totals (engine) and adjusted items, reading
    only their units' items: a page of the council's table scores its 50 units, not 3,500."""
    _add_scores(round_, rows, round_answers(round_, [row.assessment.pk for row in rows]))


def add_council_percents(round_: Round, rows: Sequence[CouncilRow]) -> None:
    """Give every row its appraised index percent, for the council's table sorted by index:
    kept in the shared cache for the data revision, so that paging through the sorted table
    scores a national round's 3,500 units once, not on every page."""
    stamp = round_.updated_at.isoformat() if round_.updated_at else ""
    key = f"council:percents:{round_.pk}:{stamp}:{revisions.current()}"

    def percents() -> dict[int, Decimal | None]:
        _add_scores(round_, rows, round_answers(round_), with_self=False)
        return {row.assessment.pk: row.final_percent for row in rows}

    found = revisions.cached(key, percents)
    for row in rows:
        row.final_percent = found.get(row.assessment.pk)


def _add_scores(
    round_: Round,
    rows: Sequence[CouncilRow],
    values: dict[int, UnitAnswers],
    *,
    with_self: bool = True,
) -> None:
    """`with_self=False`: the appraised scores only (the self points are left unset)."""
    by_set: dict[int, list[CouncilRow]] = {}
    for row in rows:
        by_set.setdefault(row.assessment.index_set_id, []).append(row)
    empty = UnitAnswers()
    for group in by_set.values():
        index_set = engine_set_for(group[0].assessment)
        computed = hooks.computed_values(round_, index_set, [r.assessment.unit_id for r in group])
        own: dict[str, dict[str, engine.Answer]] = {}
        final: dict[str, dict[str, engine.Answer]] = {}
        survey: dict[str, dict[str, engine.Answer]] = {}
        for row in group:
            unit = values.get(row.assessment.pk, empty)
            system = hooks.computed_answers(computed.get(row.assessment.unit_id, {}))
            key = row.assessment.unit.code
            own[key], final[key] = {**unit.own, **system}, {**unit.final, **system}
            survey[key] = unit.survey
        self_scores = round_scores(index_set, own, survey) if with_self else {}
        final_scores = round_scores(index_set, final, survey)
        for row in group:
            self_result = self_scores.get(row.assessment.unit.code)
            final_result = final_scores[row.assessment.unit.code]
            row.self_points = self_result.points if self_result else None
            row.final_points = final_result.points if final_result else None
            row.max_points = final_result.max_points if final_result else None
            row.final_percent = final_result.index_percent if final_result else None
            row.adjusted = values.get(row.assessment.pk, empty).adjusted


def council_summary(round_: Round) -> list[CouncilRow]:
    """Per unit: self vs appraised totals (engine), adjusted items and open disagreements."""
    rows = council_rows(round_)
    _add_scores(round_, rows, round_answers(round_))
    return rows
