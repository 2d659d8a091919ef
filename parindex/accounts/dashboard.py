"""What accounts adds to core's page shell: the labels of a user's roles, one panel per role.

The panels of the home dashboard follow the roles a user holds; the apps that have work for a
role add their items to its panel by key (`registry.PanelItems`, in their `AppConfig.ready()`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.models import Role, User
from parindex.core.registry import Panel

# The keys of the role panels, for the apps that add items to them.
OFFICE = "office"
UNIT = "unit"
APPRAISAL = "appraisal"
COUNCIL = "council"
RESULTS = "results"


def role_labels(user: User) -> list[str]:
    """The names of the roles a user holds, for the page shell."""
    labels = dict(Role.choices)
    return sorted({str(labels[role]) for role in permissions.role_names(user)})


def role_codes(user: User) -> list[str]:
    """The codes of the roles a user holds, in the order of `Role` (the guide's sections)."""
    held = permissions.role_names(user)
    return [code for code in Role.values if code in held]


def office_panel(user: User) -> Panel | None:
    if not permissions.is_office(user):
        return None
    return Panel(
        title=_("Provincial PAR office"),
        empty=_("No round is running yet. Start by importing units and index sets."),
        action_label=_("Manage users"),
        action_url=reverse("accounts:user_list"),
    )


def unit_panel(user: User) -> Panel | None:
    if not permissions.unit_ids(user):
        return None
    return Panel(
        title=_("My unit"),
        empty=_("Nothing to do for your unit yet: no assessment round is open."),
    )


def appraisal_panel(user: User) -> Panel | None:
    if not permissions.has_role(user, Role.APPRAISER):
        return None
    return Panel(title=_("Appraisal"), empty=_("No appraisal is assigned to you yet."))


def council_panel(user: User) -> Panel | None:
    if not permissions.has_role(user, Role.COUNCIL):
        return None
    return Panel(title=_("Appraisal council"), empty=_("No round awaits approval."))


def results_panel(user: User) -> Panel | None:
    if not permissions.has_role(user, Role.VIEWER):
        return None
    return Panel(title=_("Results"), empty=_("No results have been published yet."))
