"""Every permission decision in parindex: small predicates that views, templates and queries call.

Views ask `has(user, "perm", obj)` (or a predicate directly); templates use `{% can "perm" obj %}`.
Who may act is decided here; whether the action is allowed *now* is the services' job. A predicate
about a higher app's own data is registered by that app with `@predicate` (accounts never imports
the apps above it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from parindex.accounts.models import UNIT_ROLES, Role
from parindex.accounts.types import AnyUser

Predicate = Callable[[AnyUser, Any], bool]
_PREDICATES: dict[str, Predicate] = {}
P = TypeVar("P", bound=Predicate)


def predicate(name: str) -> Callable[[P], P]:
    """Register a predicate under a name that templates and `has` can use."""

    def register(func: P) -> P:
        _PREDICATES[name] = func
        return func

    return register


def has(user: AnyUser, perm: str, obj: Any = None) -> bool:
    """Whether `user` holds permission `perm` (on `obj`, when the permission is about an object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _PREDICATES[perm](user, obj)


def roles(user: AnyUser) -> frozenset[tuple[str, int | None]]:
    """The (role, unit id) pairs a user holds, loaded once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, AnonymousUser):
        return frozenset()
    cached = getattr(user, "_parindex_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", "unit_id"))
        user._parindex_roles = cached
    return cached


def role_names(user: AnyUser) -> frozenset[str]:
    """The role codes a user holds, whatever their scope."""
    return frozenset(role for role, _unit in roles(user))


def has_role(user: AnyUser, *wanted: str) -> bool:
    """Whether the user holds any of the given roles (admin holds them all)."""
    held = role_names(user)
    return Role.ADMIN in held or any(role in held for role in wanted)


def unit_ids(user: AnyUser, *wanted: str) -> frozenset[int]:
    """The units a user acts for through the given unit roles (all unit roles when none given)."""
    wanted_roles = set(wanted) or UNIT_ROLES
    return frozenset(unit for role, unit in roles(user) if role in wanted_roles and unit)


def is_office(user: AnyUser) -> bool:
    """Admin or PAR officer: the provincial office that runs the index."""
    return has_role(user, Role.PAR_OFFICER)


@predicate("admin")
def is_admin(user: AnyUser, obj: Any = None) -> bool:
    """System administrator."""
    return Role.ADMIN in role_names(user)


@predicate("manage_users")
def can_manage_users(user: AnyUser, obj: Any = None) -> bool:
    """Create, edit, deactivate and import user accounts."""
    return is_office(user)


def is_admin_account(account: Any) -> bool:
    """Whether an account is an administrator's (the role, or Django's superuser flag)."""
    return bool(getattr(account, "is_superuser", False)) or Role.ADMIN in role_names(account)


@predicate("manage_account")
def can_manage_account(user: Any, account: Any) -> bool:
    """Change one account: its name, e-mail, active flag, roles, password link, two-factor.

    The office manages accounts, but an administrator's account only an administrator.
    """
    if not can_manage_users(user):
        return False
    return is_admin(user) or account is None or not is_admin_account(account)


@predicate("grant_admin")
def can_grant_admin(user: Any, obj: Any = None) -> bool:
    """Give or take away the administrator role."""
    return is_admin(user)


@predicate("reset_two_factor")
def can_reset_two_factor(user: Any, account: Any = None) -> bool:
    """Remove another person's two-factor authentication (a lost phone)."""
    return is_admin(user)


@predicate("view_audit")
def can_view_audit(user: AnyUser, obj: Any = None) -> bool:
    """Browse the audit log."""
    return is_office(user)


@predicate("manage_units")
def can_manage_units(user: AnyUser, obj: Any = None) -> bool:
    """Create, import and reorganise units."""
    return is_office(user)


@predicate("view_units")
def can_view_units(user: AnyUser, obj: Any = None) -> bool:
    """Browse the unit registry (every signed-in role may)."""
    return bool(roles(user))


@predicate("manage_indexsets")
def can_manage_indexsets(user: AnyUser, obj: Any = None) -> bool:
    """Create, edit, import and publish index sets."""
    return is_office(user)


@predicate("view_indexsets")
def can_view_indexsets(user: AnyUser, obj: Any = None) -> bool:
    """Read index sets and their criteria (every signed-in role may)."""
    return bool(roles(user))


@predicate("act_for_unit")
def can_act_for_unit(user: AnyUser, unit: Any) -> bool:
    """Edit the data of `unit` as one of its own officers (editor or head)."""
    return unit is not None and unit.pk in unit_ids(user)


# --- units (issue 4) ----------------------------------------------------------------------------


@predicate("view_unit_users")
def can_view_unit_users(user: AnyUser, unit: Any) -> bool:
    """See which accounts act for a unit: the office, and the unit's own officers."""
    return is_office(user) or can_act_for_unit(user, unit)


# -- results (issue 6) --------------------------------------------------------------------------


@predicate("view_results")
def can_view_results(user: AnyUser, obj: Any = None) -> bool:
    """Read published results: rankings, bands and documents (every signed-in role may)."""
    return bool(roles(user))


@predicate("preview_results")
def can_preview_results(user: AnyUser, obj: Any = None) -> bool:
    """See the provisional results of a round not yet published (office, council, leaders)."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER)


@predicate("view_unit_results")
def can_view_unit_results(user: AnyUser, unit: Any) -> bool:
    """A unit's detailed results: scores per criterion, deductions and their reasons."""
    if has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER):
        return True
    return unit is not None and unit.pk in unit_ids(user)


@predicate("analyse_results")
def can_analyse_results(user: AnyUser, obj: Any = None) -> bool:
    """Cross-unit analysis, survey points entry, publication and verification."""
    return is_office(user)


# --- national: the province in the national PAR Index (issue 7) ---


@predicate("manage_national")
def can_manage_national(user: AnyUser, obj: Any = None) -> bool:
    """Import the national tables and appraised points; edit aliases, areas and settings."""
    return is_office(user)


@predicate("view_national")
def can_view_national(user: AnyUser, obj: Any = None) -> bool:
    """Read the national tables and the province's analysis (office, council and leaders)."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER)


# --- rounds and assessments --------------------------------------------------------------------


# Who appraises what is kept by rounds (its appraisal assignments), and where a document is
# attached by assessments, both above accounts in the layers: they install how to read these
# facts from their AppConfig.ready().
_appraisal_cells: list[Callable[[Any], Iterable[tuple[int, int, int]]]] = []
_evidence_attachments: list[Callable[[Any], Iterable[tuple[int, int]]]] = []


def provide_appraisal_cells(lookup: Callable[[Any], Iterable[tuple[int, int, int]]]) -> None:
    """Install how to read the (round id, unit id, area id) cells a user appraises."""
    _appraisal_cells[:] = [lookup]


def provide_evidence_attachments(lookup: Callable[[Any], Iterable[tuple[int, int]]]) -> None:
    """Install how to read the (round id, unit id) of the assessments a document is attached to."""
    _evidence_attachments[:] = [lookup]


def appraiser_scope(user: AnyUser) -> frozenset[tuple[int, int, int]]:
    """The (round id, unit id, area id) cells a user appraises, loaded once per request."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, AnonymousUser):
        return frozenset()
    cached = getattr(user, "_parindex_appraisals", None)
    if cached is None:
        if not _appraisal_cells:
            raise ImproperlyConfigured("No app provides the appraisal cells: add parindex.rounds.")
        cached = frozenset(_appraisal_cells[0](user))
        user._parindex_appraisals = cached
    return cached


def appraised_units(user: AnyUser, round_id: int | None = None) -> frozenset[tuple[int, int]]:
    """The (round id, unit id) pairs a user appraises at least one area of."""
    return frozenset(
        (round_, unit)
        for round_, unit, _area in appraiser_scope(user)
        if round_id is None or round_ == round_id
    )


@predicate("manage_rounds")
def can_manage_rounds(user: AnyUser, obj: Any = None) -> bool:
    """Create and schedule rounds, choose units, assign appraisers, grant extensions, reopen."""
    return is_office(user)


@predicate("view_rounds")
def can_view_rounds(user: AnyUser, obj: Any = None) -> bool:
    """See the list of rounds and their schedule (not the units' drafts)."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.APPRAISER, Role.VIEWER)


@predicate("council")
def is_council(user: AnyUser, obj: Any = None) -> bool:
    """Member of the appraisal council: approves units' final scores and finalises rounds."""
    return has_role(user, Role.COUNCIL)


@predicate("appraise")
def can_appraise(user: AnyUser, obj: Any = None) -> bool:
    """Appraise: any assignment at all (obj None), or one on this assessment's unit."""
    if not has_role(user, Role.APPRAISER):  # no query for everyone else (the menu asks)
        return False
    if obj is None:
        return bool(appraiser_scope(user))
    return (obj.round_id, obj.unit_id) in appraised_units(user)


@predicate("edit_assessment")
def can_edit_assessment(user: AnyUser, assessment: Any) -> bool:
    """Enter the self-assessment, notes and evidence, and answer requests, for one's own unit."""
    return assessment is not None and assessment.unit_id in unit_ids(user)


@predicate("submit_assessment")
def can_submit_assessment(user: AnyUser, assessment: Any) -> bool:
    """Submit or withdraw the unit's self-assessment and send its explanations (unit head)."""
    return assessment is not None and assessment.unit_id in unit_ids(user, Role.UNIT_HEAD)


@predicate("view_assessment")
def can_view_assessment(user: AnyUser, assessment: Any) -> bool:
    """Read an assessment: its unit, the office, the council, and its appraisers."""
    if assessment is None:
        return False
    if assessment.unit_id in unit_ids(user) or is_office(user) or is_council(user):
        return True
    return can_appraise(user, assessment)


@predicate("view_evidence")
def can_view_evidence(user: AnyUser, evidence: Any) -> bool:
    """Open a document of a unit's evidence library: its unit, the office and the council (who
    read the library), and an appraiser for a document attached to an assessment they appraise
    (the one page that shows it to them), not the rest of the unit's library."""
    if evidence is None:
        return False
    if evidence.unit_id in unit_ids(user) or is_office(user) or is_council(user):
        return True
    appraised = appraised_units(user)
    if not any(unit == evidence.unit_id for _round, unit in appraised):
        return False
    if not _evidence_attachments:
        raise ImproperlyConfigured("No app provides the evidence attachments: add assessments.")
    return any(pair in appraised for pair in _evidence_attachments[0](evidence))


@predicate("unit_work")
def has_unit_work(user: AnyUser, obj: Any = None) -> bool:
    """Acts for at least one unit (sees the unit's assessments)."""
    return bool(unit_ids(user))


# --- the province's own central-index assessment (issue 7) ---------------------------------------
# Who owns which criteria and documents is assessments' business: the predicates
# `edit_province_item`, `view_province_share` and `view_attached_evidence` are registered by
# parindex.assessments.province.


@predicate("compile_province")
def can_compile_province(user: AnyUser, obj: Any = None) -> bool:
    """Set criterion owners, compile and export the province's assessment, enter Ministry points."""
    return is_office(user)


# --- surveys (issue 13) ------------------------------------------------------------------------


@predicate("manage_surveys")
def can_manage_surveys(user: Any, obj: Any = None) -> bool:
    """Import questionnaires, run campaigns, issue invitations, apply survey points."""
    return is_office(user)


@predicate("view_surveys")
def can_view_surveys(user: Any, obj: Any = None) -> bool:
    """Read questionnaires, survey results and their analysis (office, council and leaders)."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER)


@predicate("enter_survey_forms")
def can_enter_survey_forms(user: Any, obj: Any = None) -> bool:
    """Type in paper survey forms (the office's data-entry staff)."""
    return is_office(user)


# --- monitoring: plans, reports, inspections (issue 12) ------------------------------------------


@predicate("manage_monitoring")
def can_manage_monitoring(user: Any, obj: Any = None) -> bool:
    """Plans and tasks, report types, inspections; review, extend, cancel, urge, verify."""
    return is_office(user)


@predicate("view_plans")
def can_view_plans(user: Any, obj: Any = None) -> bool:
    """Read every unit's tasks, reports and findings, and the completion dashboards."""
    return has_role(user, Role.PAR_OFFICER, Role.COUNCIL, Role.VIEWER)


@predicate("view_monitoring")
def can_view_monitoring(user: Any, obj: Any = None) -> bool:
    """Open the monitoring menu: readers of every unit, and unit officers for their own unit."""
    return can_view_plans(user) or bool(unit_ids(user))
