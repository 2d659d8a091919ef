"""Writes for assessments, by lifecycle stage: participation, self-assessment, evidence,
appraisal, council and office, survey values, the scores import. Each checks the workflow
state, runs in one transaction, records an audit entry and notifies the people who act next.

The package re-exports each module's public names, so `services.submit(...)` keeps working."""

from __future__ import annotations

from parindex.assessments.services.appraisal import (
    accept_remaining,
    accept_undecided,
    answer_request,
    decide,
    finalise,
    return_to_unit,
    send_explanations,
)
from parindex.assessments.services.base import (
    Conflict,
    Incomplete,
    Refused,
    S,
)
from parindex.assessments.services.council import (
    REOPEN_TARGETS,
    approve,
    approve_many,
    reopen,
    send_back,
)
from parindex.assessments.services.evidence import (
    UploadRefused,
    add_document,
    attach_evidence,
    attach_new_evidence,
    detach_evidence,
    register_document,
    upload_evidence,
)
from parindex.assessments.services.imports import (
    STAGE_FIELDS,
    ImportFailed,
    import_scores,
)
from parindex.assessments.services.participation import (
    add_units,
    mark_published,
    remove_unit,
)
from parindex.assessments.services.selfassessment import (
    save_self_item,
    submit,
    withdraw,
)
from parindex.assessments.services.survey import (
    PERCENT_LIMIT,
    answer_json,
    parse_survey_value,
    save_survey_points,
)

__all__ = [
    "S",
    "Refused",
    "Incomplete",
    "Conflict",
    "add_units",
    "remove_unit",
    "mark_published",
    "save_self_item",
    "submit",
    "withdraw",
    "attach_evidence",
    "detach_evidence",
    "UploadRefused",
    "upload_evidence",
    "register_document",
    "add_document",
    "attach_new_evidence",
    "decide",
    "return_to_unit",
    "answer_request",
    "send_explanations",
    "finalise",
    "accept_undecided",
    "accept_remaining",
    "approve",
    "approve_many",
    "send_back",
    "REOPEN_TARGETS",
    "reopen",
    "PERCENT_LIMIT",
    "parse_survey_value",
    "answer_json",
    "save_survey_points",
    "ImportFailed",
    "STAGE_FIELDS",
    "import_scores",
]
