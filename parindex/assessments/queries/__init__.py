"""Reads for assessments, by concern: who may see or act (`access`), deadlines and locks
(`locks`), scoring through the engine (`scoring`), what is left to do (`progress`), evidence
(`evidence`), the inbox (`notices`) and the workflow moves a page offers (`actions`). Page
view-models live in `assessments.pages`.

The package re-exports each module's public names, so `queries.score(...)` keeps working."""

from __future__ import annotations

from parindex.assessments.queries.access import (
    ASSESSMENT_RELATED,
    assessments_for_user,
    assigned_area,
    can_edit_item,
    can_read_item,
    evidence_attachments,
    evidence_unit_ids,
    first_assigned_area,
    get_assessment_for_appraiser,
    get_assessment_for_head,
    get_assessment_for_page,
    get_assessment_for_viewer,
    get_evidence_for_viewer,
    get_item_for_appraiser,
    get_item_for_unit,
    get_item_for_viewer,
    get_request_for_unit,
    library_unit_id,
    open_request_of,
    owned_share,
)
from parindex.assessments.queries.actions import (
    EXPLANATION_STATUSES,
    Actions,
    S,
    assessment_actions,
)
from parindex.assessments.queries.evidence import (
    evidence_for_picker,
    evidence_library,
    item_history,
)
from parindex.assessments.queries.locks import (
    Deadlines,
    appraisal_stage_for,
    deadlines_for,
    explanation_lock_for,
    self_lock_for,
)
from parindex.assessments.queries.notices import (
    inbox,
    unread_count,
)
from parindex.assessments.queries.progress import (
    PROGRESS_SORTS,
    STATUS_PHASE,
    Gap,
    completeness,
    not_approved,
    round_areas,
    round_progress,
    status_summary,
)
from parindex.assessments.queries.scoring import (
    SYSTEM_COMPUTED,
    VALUE_FIELDS,
    ItemValues,
    engine_set_for,
    final_answers,
    final_answers_for_round,
    final_of,
    item_values,
    score,
    stage_answers,
    survey_items,
    survey_text,
)

__all__ = [
    "ASSESSMENT_RELATED",
    "get_assessment_for_viewer",
    "get_assessment_for_head",
    "get_assessment_for_appraiser",
    "get_item_for_unit",
    "get_item_for_viewer",
    "can_edit_item",
    "can_read_item",
    "owned_share",
    "get_assessment_for_page",
    "library_unit_id",
    "evidence_unit_ids",
    "get_item_for_appraiser",
    "evidence_attachments",
    "get_evidence_for_viewer",
    "get_request_for_unit",
    "assessments_for_user",
    "open_request_of",
    "first_assigned_area",
    "assigned_area",
    "Deadlines",
    "deadlines_for",
    "self_lock_for",
    "explanation_lock_for",
    "appraisal_stage_for",
    "SYSTEM_COMPUTED",
    "engine_set_for",
    "ItemValues",
    "final_of",
    "VALUE_FIELDS",
    "item_values",
    "stage_answers",
    "score",
    "final_answers",
    "final_answers_for_round",
    "survey_items",
    "survey_text",
    "Gap",
    "completeness",
    "STATUS_PHASE",
    "PROGRESS_SORTS",
    "round_progress",
    "status_summary",
    "round_areas",
    "not_approved",
    "evidence_library",
    "evidence_for_picker",
    "item_history",
    "unread_count",
    "inbox",
    "S",
    "EXPLANATION_STATUSES",
    "Actions",
    "assessment_actions",
]
