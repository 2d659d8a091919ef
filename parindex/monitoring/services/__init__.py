"""Writes for monitoring: plans and tasks, units' progress, reports, inspections, imports.

Every function runs in one transaction, checks whether the action is allowed now, records what
it changed in the audit log and tells the units concerned (inbox and e-mail).
"""

from __future__ import annotations

from parindex.monitoring.services.common import Conflict, Refused
from parindex.monitoring.services.imports import (
    FINDINGS_HEADER,
    PROGRESS_HEADER,
    REPORT_TYPES_HEADER,
    SUBMISSIONS_HEADER,
    TASKS_HEADER,
    ImportFailed,
    ImportResult,
    import_findings,
    import_plan,
    import_report_types,
    import_submissions,
    read_rows,
    update_progress,
)
from parindex.monitoring.services.inspections import (
    record_remedied,
    report_remedy,
    save_finding,
    save_inspection,
    verify_finding,
)
from parindex.monitoring.services.plans import (
    TaskValues,
    add_task,
    cancel_progress,
    clone_plan,
    create_plan,
    delete_task,
    extend_progress,
    issue_plan,
    report_progress,
    review_progress,
    update_plan,
    update_task,
    urge,
)
from parindex.monitoring.services.remediation import (
    OwnedLoss,
    draft_national_remediation_plan,
    draft_remediation_plan,
)
from parindex.monitoring.services.reports import (
    due_on,
    return_submission,
    save_report_type,
    submit_report,
)

__all__ = [
    "FINDINGS_HEADER",
    "PROGRESS_HEADER",
    "REPORT_TYPES_HEADER",
    "SUBMISSIONS_HEADER",
    "TASKS_HEADER",
    "ImportFailed",
    "ImportResult",
    "import_findings",
    "import_plan",
    "import_report_types",
    "import_submissions",
    "read_rows",
    "update_progress",
    "Conflict",
    "Refused",
    "TaskValues",
    "add_task",
    "cancel_progress",
    "clone_plan",
    "create_plan",
    "delete_task",
    "OwnedLoss",
    "draft_national_remediation_plan",
    "draft_remediation_plan",
    "due_on",
    "extend_progress",
    "issue_plan",
    "record_remedied",
    "report_progress",
    "report_remedy",
    "return_submission",
    "review_progress",
    "save_finding",
    "save_inspection",
    "save_report_type",
    "submit_report",
    "update_plan",
    "update_task",
    "urge",
    "verify_finding",
]
