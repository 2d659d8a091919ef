"""Reads for assessments: permission-aware getters, the self-assessment page, completeness.

Every point shown comes from the engine: the page scores the unit's answers with `score_unit`
and reads each node's points and effective maximum from its result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from parindex import engine
from parindex.accounts import permissions
from parindex.assessments import answers, hooks
from parindex.assessments.models import (
    Appraisal,
    Assessment,
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.assessments.workflow import Lock, appraisal_stage, explanation_lock, self_lock
from parindex.indexsets.queries import engine_index_set
from parindex.indexsets.ruletext import describe_rule
from parindex.rounds import deadlines
from parindex.rounds.models import Phase, Round
from parindex.rounds.queries import DashboardRow

ASSESSMENT_RELATED = ("round", "unit__unit_type", "index_set__unit_type", "submitted_by")


# --- getters that check who may see or act ---------------------------------------------------


# Items whose value the system computes (a computed leaf with an input): nobody enters,
# evidences or appraises them, so they never stop a submission or an appraisal.
SYSTEM_COMPUTED = Q(criterion__source="computed") & ~Q(criterion__input="")


def get_assessment_for_viewer(user: Any, pk: int) -> Assessment:
    """An assessment its unit, the office, the council or its appraisers may read (else 404)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            *ASSESSMENT_RELATED, "explained_by", "finalised_by", "approved_by"
        ),
        pk=pk,
    )
    if not permissions.can_view_assessment(user, assessment):
        raise Http404
    return assessment


def get_assessment_for_head(user: Any, pk: int) -> Assessment:
    """An assessment the user heads the unit of (submit, withdraw, send explanations)."""
    assessment = get_assessment_for_viewer(user, pk)
    if not permissions.can_submit_assessment(user, assessment):
        raise PermissionDenied
    return assessment


def get_assessment_for_appraiser(user: Any, pk: int) -> Assessment:
    """An assessment the user appraises at least one area of (404 to strangers, 403 to readers)."""
    assessment = get_assessment_for_viewer(user, pk)
    if not permissions.can_appraise(user, assessment):
        raise PermissionDenied
    return assessment


def get_item_for_unit(user: Any, pk: int) -> Item:
    """An item the user may enter: of their own unit, or a province criterion they own."""
    item = get_object_or_404(
        Item.objects.select_related(
            "criterion", "area", *(f"assessment__{name}" for name in ASSESSMENT_RELATED)
        ),
        pk=pk,
    )
    if not can_read_item(user, item):
        raise Http404
    if not can_edit_item(user, item):
        raise PermissionDenied
    return item


def get_item_for_viewer(user: Any, pk: int) -> Item:
    """An item of an assessment the user may read, or a province criterion they own (else 404)."""
    item = get_object_or_404(
        Item.objects.select_related(
            "criterion", "area", "self_by", *(f"assessment__{name}" for name in ASSESSMENT_RELATED)
        ),
        pk=pk,
    )
    if not can_read_item(user, item):
        raise Http404
    return item


# The province's assessment: an owner department's officers reach exactly the criteria it owns.
# These three are the one place where assessments consult `edit_province_item`.


def can_edit_item(user: Any, item: Item) -> bool:
    """Whether the user enters this item: their unit's, or a province criterion they own."""
    from parindex.assessments.province import can_edit_province_item

    return permissions.can_edit_assessment(user, item.assessment) or can_edit_province_item(
        user, item
    )


def can_read_item(user: Any, item: Item) -> bool:
    """Whether the user reads this item: a reader of the assessment, or its owner department."""
    from parindex.assessments.province import can_edit_province_item

    return permissions.can_view_assessment(user, item.assessment) or can_edit_province_item(
        user, item
    )


def owned_share(user: Any, assessment: Assessment) -> frozenset[int] | None:
    """None when the user reads the whole assessment; else the criteria their department owns."""
    if permissions.can_view_assessment(user, assessment):
        return None
    from parindex.assessments.province import owned_criteria

    return owned_criteria(user, assessment)


def get_assessment_for_page(user: Any, pk: int) -> tuple[Assessment, frozenset[int] | None]:
    """An assessment for its self-assessment page, with the owned share (see `owned_share`)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            *ASSESSMENT_RELATED, "explained_by", "finalised_by", "approved_by"
        ),
        pk=pk,
    )
    share = owned_share(user, assessment)
    if share is not None and not share:
        raise Http404
    return assessment, share


def library_unit_id(user: Any, item: Item) -> int:
    """Whose library evidence for this item comes from: the unit's, or the owner department's."""
    assessment = item.assessment
    if permissions.can_edit_assessment(user, assessment) or permissions.is_office(user):
        return assessment.unit_id
    from parindex.assessments.province import owners

    owner = owners(assessment.round_id, assessment.index_set_id).get(item.criterion_id)
    if owner and owner.unit_id in permissions.unit_ids(user):
        return owner.unit_id
    return assessment.unit_id


def evidence_unit_ids(item: Item) -> set[int]:
    """The libraries an item's evidence may come from: its unit's and its owner department's."""
    allowed = {item.assessment.unit_id}
    from parindex.assessments.province import is_province, owners

    if is_province(item.assessment):
        owner = owners(item.assessment.round_id, item.assessment.index_set_id).get(
            item.criterion_id
        )
        if owner and owner.unit_id:
            allowed.add(owner.unit_id)
    return allowed


def get_item_for_appraiser(user: Any, pk: int) -> Item:
    """An item in an area the user appraises (404 to strangers, 403 to other readers)."""
    item = get_item_for_viewer(user, pk)
    assessment = item.assessment
    cell = (assessment.round_id, assessment.unit_id, item.area_id)
    if cell not in permissions.appraiser_scope(user):
        raise PermissionDenied
    return item


def evidence_attachments(evidence: Evidence) -> QuerySet[Any]:
    """The (round id, unit id) of the assessments a document is attached to (for permissions)."""
    return ItemEvidence.objects.filter(evidence=evidence).values_list(
        "item__assessment__round_id", "item__assessment__unit_id"
    )


def get_evidence_for_viewer(user: Any, pk: int) -> Evidence:
    """A library document the user may open (404 otherwise, whether or not it exists)."""
    from parindex.assessments.province import can_view_attached_evidence

    evidence = get_object_or_404(Evidence.objects.select_related("unit", "added_by"), pk=pk)
    if not (
        permissions.can_view_evidence(user, evidence) or can_view_attached_evidence(user, evidence)
    ):
        raise Http404
    return evidence


def get_request_for_unit(user: Any, pk: int) -> ExplanationRequest:
    """An explanation request put to the user's own unit."""
    request = get_object_or_404(
        ExplanationRequest.objects.select_related(
            "item__criterion", "asked_by", *(f"item__assessment__{n}" for n in ASSESSMENT_RELATED)
        ),
        pk=pk,
    )
    if not permissions.can_view_assessment(user, request.item.assessment):
        raise Http404
    if not permissions.can_edit_assessment(user, request.item.assessment):
        raise PermissionDenied
    return request


def assessments_for_user(user: Any) -> QuerySet[Assessment]:
    """The assessments of the user's units, newest round first (rounds in preparation hidden)."""
    return (
        Assessment.objects.filter(unit_id__in=permissions.unit_ids(user))
        .exclude(round__status=Round.Status.DRAFT)
        .select_related("round", "unit", "index_set")
        .order_by("-round__year", "round__code", "unit__code")
    )


# --- deadlines and locks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """A unit's own deadlines in a round (extensions applied)."""

    self_assessment: dt.date
    explanation: dt.date
    today: dt.date


def deadlines_for(assessment: Assessment) -> Deadlines:
    """The unit's deadlines for its self-assessment and its explanations (one query)."""
    round_ = assessment.round
    extensions = deadlines.extensions_of(round_, assessment.unit_id)
    return Deadlines(
        self_assessment=deadlines.deadline(
            round_, assessment.unit_id, Phase.SELF_ASSESSMENT, extensions
        ),
        explanation=deadlines.deadline(round_, assessment.unit_id, Phase.EXPLANATION, extensions),
        today=deadlines.today(),
    )


def self_lock_for(assessment: Assessment, dates: Deadlines | None = None) -> Lock | None:
    """Why the unit cannot edit its self-assessment now (None: it can)."""
    dates = dates or deadlines_for(assessment)
    return self_lock(
        assessment,
        today=dates.today,
        deadline=dates.self_assessment,
        explanation_deadline=dates.explanation,
    )


def explanation_lock_for(assessment: Assessment, dates: Deadlines | None = None) -> Lock | None:
    """Why the unit cannot answer explanation requests now (None: it can)."""
    dates = dates or deadlines_for(assessment)
    return explanation_lock(assessment, today=dates.today, deadline=dates.explanation)


def appraisal_stage_for(
    assessment: Assessment, dates: Deadlines | None = None
) -> tuple[int | None, Lock | None]:
    """The appraisal (1 or 2) appraisers can record now, or why they cannot."""
    dates = dates or deadlines_for(assessment)
    return appraisal_stage(
        assessment,
        today=dates.today,
        self_deadline=dates.self_assessment,
        explanation_deadline=dates.explanation,
    )


# --- scoring through the engine --------------------------------------------------------------


def engine_set_for(assessment: Assessment) -> engine.IndexSet:
    """The engine's index set the assessment is scored on."""
    return engine_index_set(assessment.index_set)


class ItemValues(NamedTuple):
    """The values of one item, light enough to load every item of an assessment at once."""

    pk: int
    code: str
    self_answer: dict | None
    appraised_answer: dict | None
    survey_answer: dict | None
    no_evidence_reason: str

    @property
    def final_answer(self) -> dict | None:
        return final_of(self.appraised_answer, self.self_answer)


def final_of(appraised: Any, own: Any) -> Any:
    """The value that counts: "appraised, else self" (the unit's own until an appraiser decided).

    Values are decoded JSON, or JSON text when read in bulk ("null" for a stored JSON null).
    """
    return appraised if appraised is not None and appraised != "null" else own


VALUE_FIELDS = (
    "pk",
    "criterion__code",
    "self_answer",
    "appraised_answer",
    "survey_answer",
    "no_evidence_reason",
)


def item_values(items: QuerySet[Item]) -> list[ItemValues]:
    """The values of some items (one query, no model instances)."""
    return [ItemValues(*row) for row in items.order_by("position").values_list(*VALUE_FIELDS)]


def stage_answers(
    items: list[ItemValues], stage: str = "final"
) -> tuple[dict[str, engine.Answer], dict[str, engine.Answer]]:
    """(answers, survey answers) by criterion code: self values, or final (appraised else self)."""
    values: dict[str, engine.Answer] = {}
    survey: dict[str, engine.Answer] = {}
    for item in items:
        if item.survey_answer is not None:
            survey[item.code] = answers.from_json(item.survey_answer)
        data = item.self_answer if stage == "self" else item.final_answer
        if data is not None:
            values[item.code] = answers.from_json(data)
    return values, survey


def score(
    index_set: engine.IndexSet,
    items: list[ItemValues],
    stage: str = "final",
    computed: dict[str, engine.Answer] | None = None,
) -> engine.UnitScore | None:
    """The engine's score of the items' values (None when every leaf is excluded as N/A);
    `computed` gives the values of computed leaves, which nobody types."""
    values, survey = stage_answers(items, stage)
    values.update(computed or {})
    try:
        return engine.score_unit(index_set, values, survey=survey)
    except engine.EngineError as error:
        if error.code == "nothing_applicable":
            return None
        raise


def final_answers(
    assessment: Assessment,
) -> tuple[dict[str, engine.Answer], dict[str, engine.Answer]]:
    """The answers that count for results: final (appraised else self) values and survey values."""
    return stage_answers(item_values(assessment.items.all()), "final")


def final_answers_for_round(
    round_: Round,
) -> dict[int, tuple[dict[str, engine.Answer], dict[str, engine.Answer]]]:
    """Every assessment's (answers, survey) in a round, by assessment id, in one query
    (monitoring scores lost points and projections on them)."""
    grouped: dict[int, list[ItemValues]] = {}
    rows = (
        Item.objects.filter(assessment__round=round_)
        .order_by("assessment_id", "position")
        .values_list("assessment_id", *VALUE_FIELDS)
    )
    for assessment_id, *values in rows:
        grouped.setdefault(assessment_id, []).append(ItemValues(*values))
    return {key: stage_answers(values, "final") for key, values in grouped.items()}


# --- survey values ------------------------------------------------------------------------------


def survey_items(round_: Round) -> list[Item]:
    """The survey criteria's items of a round, with unit and criterion, by unit code (one query)."""
    return list(
        Item.objects.filter(assessment__round=round_, criterion__source="survey")
        .select_related("assessment__unit__unit_type", "criterion")
        .order_by("assessment__unit__code", "position")
    )


def survey_text(stored: dict[str, Any] | None) -> str:
    """What the survey field shows for a stored value (percent or points, NA)."""
    if stored is None:
        return ""
    if stored.get("na"):
        return "NA"
    value = stored.get("percent", stored.get("points", ""))
    return str(value).replace(".", ",")


# --- the self-assessment page ------------------------------------------------------------------


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


# --- completeness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Something the unit must still do before submitting."""

    item_id: int
    code: str
    area_code: str
    message: str


def completeness(assessment: Assessment) -> list[Gap]:
    """What stops submission: unanswered leaves, and leaves without evidence or explanation."""
    from django.utils.translation import gettext as _

    evidenced = set(
        ItemEvidence.objects.filter(item__assessment=assessment).values_list("item_id", flat=True)
    )
    gaps = []
    items = (
        assessment.items.select_related("criterion", "area")
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
        .order_by("position")
    )
    for item in items:
        code = item.criterion.code
        if item.self_answer is None:
            gaps.append(Gap(item.pk, code, item.area.code, _("no value entered yet")))
        if item.pk not in evidenced and not item.no_evidence_reason.strip():
            gaps.append(
                Gap(
                    item.pk,
                    code,
                    item.area.code,
                    _("attach evidence or explain in writing why there is none"),
                )
            )
    return gaps


# --- evidence ------------------------------------------------------------------------------------


def evidence_library(unit_id: int, *, search: str = "") -> QuerySet[Evidence]:
    """A unit's evidence library, newest first, with how many items each document supports."""
    from django.db.models import Count, Q

    library = Evidence.objects.filter(unit_id=unit_id).annotate(uses=Count("links"))
    if search:
        library = library.filter(
            Q(title__icontains=search) | Q(number__icontains=search) | Q(issuer__icontains=search)
        )
    return library.select_related("added_by").order_by("-created_at", "-id")


def evidence_for_picker(unit_id: int) -> list[Evidence]:
    """The unit's documents offered when attaching evidence to an item."""
    return list(Evidence.objects.filter(unit_id=unit_id).order_by("-created_at", "-id")[:500])


def item_history(item: Item) -> dict[str, Any]:
    """Everything that happened to an item: self value, appraisals, explanation, final, audit."""
    from parindex.core.models import AuditEntry

    appraisals = {
        appraisal.stage: appraisal
        for appraisal in item.appraisals.select_related("by").order_by("stage")
    }
    request = (
        ExplanationRequest.objects.filter(item=item)
        .select_related("asked_by", "answered_by")
        .prefetch_related(
            Prefetch("evidence_links", queryset=ItemEvidence.objects.select_related("evidence"))
        )
        .first()
    )
    entries = AuditEntry.objects.filter(
        object_type="assessments.item", object_id=str(item.pk)
    ).select_related("actor")
    return {
        "first": appraisals.get(1),
        "second": appraisals.get(2),
        "request": request,
        "entries": list(entries[:100]),
    }


# --- inbox -------------------------------------------------------------------------------------


def unread_count(user: Any) -> int:
    """How many inbox messages the user has not read."""
    from parindex.assessments.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet:
    """The user's messages, newest first."""
    from parindex.assessments.models import Notification

    messages = Notification.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")


# --- unit pages ----------------------------------------------------------------------------------


@dataclass
class MyAssessment:
    assessment: Assessment
    deadline: dt.date
    days_left: int
    phase_label: str


def my_assessments(user: Any) -> list[MyAssessment]:
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
    item: Item, area_code: str | None = None, *, user: Any = None
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


def explanations_page(assessment: Assessment, user: Any) -> dict[str, Any]:
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


def open_request_of(item: Item) -> ExplanationRequest | None:
    """The explanation request the unit is answering for this item, if it is answering now."""
    if item.assessment.status != Assessment.Status.RETURNED:
        return None
    return ExplanationRequest.objects.filter(item=item).first()


@dataclass
class LinkRow:
    link: ItemEvidence
    outside_year: bool


def item_evidence_panel(item: Item, user: Any) -> dict[str, Any]:
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


# --- appraisal -----------------------------------------------------------------------------------


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


def appraiser_queue(user: Any, *, status: str = "") -> list[QueueRow]:
    """The units × areas assigned to an appraiser, with progress and the next deadline."""
    from django.db.models import Count

    from parindex.rounds.models import Assignment

    assignments = list(
        Assignment.objects.filter(appraiser=user)
        .exclude(round__status__in=[Round.Status.DRAFT, Round.Status.PUBLISHED])
        .select_related("round", "unit", "area")
        .order_by("-round__year", "round__code", "unit__code", "area__position")
    )
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


def appraisal_page(assessment: Assessment, area_code: str | None, user: Any) -> AppraisalPage:
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


def first_assigned_area(assessment: Assessment, user: Any) -> str | None:
    """The code of the first area of the assessment the user appraises (None: the first area)."""
    from parindex.rounds.models import Assignment

    return (
        Assignment.objects.filter(
            appraiser=user, round_id=assessment.round_id, unit_id=assessment.unit_id
        )
        .order_by("area__position")
        .values_list("area__code", flat=True)
        .first()
    )


# --- a round's progress and participants (rounds reach them through `rounds.participants`) -----


# The phase whose deadline matters for an assessment in each status.
STATUS_PHASE = {
    "draft": Phase.SELF_ASSESSMENT,
    "submitted": Phase.APPRAISAL,
    "in_appraisal": Phase.APPRAISAL,
    "returned": Phase.EXPLANATION,
    "explained": Phase.SECOND_APPRAISAL,
    "finalised": Phase.COUNCIL,
}

PROGRESS_SORTS = {
    "unit": lambda row: row.assessment.unit.code,
    "name": lambda row: row.assessment.unit.name,
    "status": lambda row: row.assessment.status,
    "answered": lambda row: row.answered_percent,
    "evidence": lambda row: row.evidence_percent,
    "days": lambda row: row.days_left if row.days_left is not None else 10**6,
}


def round_progress(
    round_: Round, *, status: str = "", unit_type: str = "", search: str = "", sort: str = "unit"
) -> list[DashboardRow]:
    """Per unit: status, % answered, evidence coverage and days to its current deadline."""
    from django.db.models import Count, Q

    assessments = Assessment.objects.filter(round=round_).select_related("unit__unit_type")
    if status:
        assessments = assessments.filter(status=status)
    if unit_type:
        assessments = assessments.filter(unit__unit_type__code=unit_type)
    if search:
        assessments = assessments.filter(
            Q(unit__code__icontains=search) | Q(unit__name__icontains=search)
        )
    assessments = list(assessments)
    ids = [assessment.pk for assessment in assessments]
    items = (
        Item.objects.filter(assessment_id__in=ids)
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
    )
    counts = {
        row["assessment_id"]: row
        for row in items.values("assessment_id").annotate(
            total=Count("id"), answered=Count("id", filter=Q(self_answer__isnull=False))
        )
    }
    evidenced = dict(
        ItemEvidence.objects.filter(item__assessment_id__in=ids)
        .values("item__assessment_id")
        .annotate(n=Count("item_id", distinct=True))
        .values_list("item__assessment_id", "n")
    )
    extensions = deadlines.extensions_of(round_)
    today = deadlines.today()
    rows = []
    for assessment in assessments:
        phase = STATUS_PHASE.get(assessment.status)
        if phase == Phase.COUNCIL and assessment.approved_at:
            phase = None
        due = deadlines.deadline(round_, assessment.unit_id, phase, extensions) if phase else None
        count = counts.get(assessment.pk, {"total": 0, "answered": 0})
        rows.append(
            DashboardRow(
                assessment=assessment,
                total=count["total"],
                answered=count["answered"],
                evidenced=evidenced.get(assessment.pk, 0),
                phase_label=str(Phase(phase).label) if phase else "",
                deadline=due,
                days_left=deadlines.days_left(due, today) if due else None,
            )
        )
    key = sort.lstrip("-")
    rows.sort(key=PROGRESS_SORTS.get(key, PROGRESS_SORTS["unit"]), reverse=sort.startswith("-"))
    return rows


def status_summary(round_: Round) -> list[tuple[str, str, int]]:
    """(status, label, number of units) for each status present in the round, in workflow order."""
    from django.db.models import Count

    counts = dict(
        Assessment.objects.filter(round=round_)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        (code, str(label), counts[code])
        for code, label in Assessment.Status.choices
        if code in counts
    ]


def round_areas(round_: Round) -> set[tuple[int, int]]:
    """The (unit id, area id) cells of a round: each participating unit's top-level criteria."""
    return set(
        Assessment.objects.filter(round=round_)
        .filter(index_set__criteria__parent__isnull=True)
        .values_list("unit_id", "index_set__criteria__id")
    )


def not_approved(round_: Round) -> QuerySet[Assessment]:
    """The round's assessments not yet finalised and approved by the council, by unit code."""
    return (
        Assessment.objects.filter(round=round_)
        .exclude(status=Assessment.Status.FINALISED, approved_at__isnull=False)
        .select_related("unit")
        .order_by("unit__code")
    )


# --- council -------------------------------------------------------------------------------------


@dataclass
class CouncilRow:
    assessment: Assessment
    self_points: Decimal | None
    final_points: Decimal | None
    max_points: Decimal | None
    final_percent: Decimal | None
    adjusted: int
    disagreements: int


def council_summary(round_: Round) -> list[CouncilRow]:
    """Per unit: self vs appraised totals (engine), adjusted items and open disagreements."""
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit__unit_type", "index_set__unit_type", "approved_by")
        .order_by("unit__unit_type__order", "unit__code")
    )
    items: dict[int, list[ItemValues]] = {}
    for assessment_id, *values in (
        Item.objects.filter(assessment__round=round_)
        .order_by("assessment_id", "position")
        .values_list("assessment_id", *VALUE_FIELDS)
    ):
        items.setdefault(assessment_id, []).append(ItemValues(*values))
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
    sets: dict[int, engine.IndexSet] = {}
    computed: dict[int, dict[str, engine.Answer]] = {}
    for assessment in assessments:
        if assessment.index_set_id not in sets:
            index_set = sets[assessment.index_set_id] = engine_index_set(assessment.index_set)
            unit_ids = [a.unit_id for a in assessments if a.index_set_id == assessment.index_set_id]
            for unit_id, values in hooks.computed_values(round_, index_set, unit_ids).items():
                computed[unit_id] = hooks.computed_answers(values)
    rows = []
    for assessment in assessments:
        index_set = sets[assessment.index_set_id]
        unit_items = items.get(assessment.pk, [])
        system = computed.get(assessment.unit_id)
        self_result = score(index_set, unit_items, "self", system)
        final_result = score(index_set, unit_items, "final", system)
        adjusted = sum(
            1
            for item in unit_items
            if item.appraised_answer is not None and item.appraised_answer != item.self_answer
        )
        disagreements = sum(
            1
            for request in requests.get(assessment.pk, [])
            if request.item_id not in decided_second
            or request.item.appraised_answer != request.item.self_answer
        )
        rows.append(
            CouncilRow(
                assessment=assessment,
                self_points=self_result.points if self_result else None,
                final_points=final_result.points if final_result else None,
                max_points=final_result.max_points if final_result else None,
                final_percent=final_result.index_percent if final_result else None,
                adjusted=adjusted,
                disagreements=disagreements,
            )
        )
    return rows


def assigned_area(assessment: Assessment, user: Any, code: str) -> Any:
    """An area of the assessment's index set that the user appraises (403 otherwise)."""
    from parindex.indexsets.models import Criterion

    area = Criterion.objects.filter(
        index_set_id=assessment.index_set_id, parent__isnull=True, code=code
    ).first()
    cell = (assessment.round_id, assessment.unit_id, area.pk if area else None)
    if area is None or cell not in permissions.appraiser_scope(user):
        raise PermissionDenied
    return area
