"""A round's participating units as rounds reach them: the port the assessments app fills.

The units that take part in a round are its assessments (one per unit), which the assessments
app owns, above rounds in the layers. Rounds never import it: `AssessmentsConfig.ready()`
installs a `Participants` made of assessments' own services and queries, and rounds' services,
queries and views call them through `participants()`. Following the relation the assessments
declare toward a round (`round_.assessments`, `Unit.objects.filter(assessments__round=…)`) to
count or list which units take part needs no port; reading or writing an assessment does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

if TYPE_CHECKING:
    from parindex.rounds.models import Extension, Round
    from parindex.rounds.queries import DashboardRow


@dataclass(frozen=True)
class Participants:
    """What rounds ask of a round's assessments; every function is the assessments app's."""

    # add_units(round_=, units=, by=): give each new unit its assessment; how many were added.
    add_units: Callable[..., int]
    # remove_unit(round_=, unit=, by=, reason=): take out a unit whose assessment is untouched.
    remove_unit: Callable[..., None]
    # Tell the units a round opened / that one of them got an extension.
    round_opened: Callable[[Round], None]
    extension_granted: Callable[[Extension], None]
    # The (unit id, area id) cells of the round: each unit's top-level criteria.
    areas: Callable[[Round], set[tuple[int, int]]]
    # The assessments not yet finalised and approved by the council, with their unit.
    not_approved: Callable[[Round], QuerySet[Any]]
    # Mark every assessment of the round published (the round's results are frozen).
    published: Callable[[Round], None]
    # approve_imported(round_=, by=): mark every assessment finalised and approved, for a round
    # whose scores were imported (a past year migrated from spreadsheets); how many changed.
    approve_imported: Callable[..., int]
    # progress(round_, status=, unit_type=, search=, sort=): the office's per-unit dashboard.
    progress: Callable[..., list[DashboardRow]]
    # (status, label, number of units) for each status present, in workflow order.
    status_summary: Callable[[Round], list[tuple[str, str, int]]]
    # Every status an assessment can be in: (code, label).
    statuses: Sequence[tuple[str, Any]]


_installed: list[Participants] = []


def install(participants: Participants) -> None:
    """Install the assessments' side of rounds (the assessments app does, once)."""
    _installed[:] = [participants]


def participants() -> Participants:
    """The installed assessments' side of rounds (parindex.assessments must be installed)."""
    if not _installed:
        raise ImproperlyConfigured(
            "No app provides a round's participants: add parindex.assessments."
        )
    return _installed[0]
