"""What a user may do to an assessment now: the workflow transitions offered on its pages.

Templates ask `assessment_actions` instead of restating the workflow: a button shows when the
workflow allows the move (`workflow.TRANSITIONS`), the user holds the role for it and no lock
stands in the way. The services check the same rules again when the button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.assessments.models import Assessment
from parindex.assessments.workflow import REOPEN_TARGETS, TRANSITIONS, Lock

S = Assessment.Status

# The statuses in which the unit has (or had) explanation requests to read or answer.
EXPLANATION_STATUSES = frozenset({S.RETURNED, S.EXPLAINED, S.FINALISED})


@dataclass(frozen=True)
class Actions:
    """The moves offered on the self-assessment page."""

    submit: bool = False
    withdraw: bool = False
    explanations: bool = False
    reopen: bool = False


def assessment_actions(user: AnyUser, assessment: Assessment, lock: Lock | None) -> Actions:
    """The transitions `user` may start from the assessment's page now (`lock`: the self lock)."""
    status = assessment.status
    allowed = TRANSITIONS[status]
    head = permissions.can_submit_assessment(user, assessment)
    return Actions(
        submit=head and status == S.DRAFT and S.SUBMITTED in allowed and lock is None,
        withdraw=head and status == S.SUBMITTED and S.DRAFT in allowed,
        explanations=status in EXPLANATION_STATUSES,
        reopen=permissions.is_office(user)
        and status != S.DRAFT
        and any(target in allowed for target in REOPEN_TARGETS),
    )
