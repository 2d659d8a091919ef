"""The province's own central-index assessment: who owns which criterion, compiling, exporting.

The province is a unit of type TINH assessed like any unit. Each criterion of its set is owned
by a department (the index set's `owner`, inherited by descendants, overridden per round by a
`CriterionOwner` row); the owner's officers enter the self-assessment of those criteria.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser, User
from parindex.assessments.models import (
    Assessment,
    CriterionOwner,
    Item,
    ItemEvidence,
    MinistryPoints,
)
from parindex.core import audit
from parindex.core.refusals import Refused
from parindex.indexsets.models import Criterion
from parindex.rounds.models import Round
from parindex.units.models import Unit

PROVINCE_TYPE = "TINH"


def is_province(assessment: Assessment) -> bool:
    """Whether the assessment is the province's own (a unit of type TINH)."""
    return assessment.unit.unit_type.code == PROVINCE_TYPE


@dataclass(frozen=True)
class Owned:
    """A criterion's effective owner in a round and whether the office set it for the round."""

    unit_id: int | None
    overridden: bool


def owners(round_id: int, index_set_id: int) -> dict[int, Owned]:
    """Every criterion's owner in a round: override, else the nearest index-set owner above."""
    nodes = list(
        Criterion.objects.filter(index_set_id=index_set_id)
        .order_by("parent_id", "position")
        .values_list("pk", "parent_id", "owner")
    )
    overrides = dict(
        CriterionOwner.objects.filter(
            round_id=round_id, criterion__index_set_id=index_set_id
        ).values_list("criterion_id", "unit_id")
    )
    codes = {code for _pk, _parent, code in nodes if code}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    children: dict[int | None, list[tuple[int, str]]] = {}
    parent: int | None
    for pk, parent, code in nodes:
        children.setdefault(parent, []).append((pk, code))
    result: dict[int, Owned] = {}
    stack: list[tuple[int | None, Owned]] = [(None, Owned(None, False))]
    while stack:
        parent, above = stack.pop()
        for pk, code in children.get(parent, []):
            if pk in overrides:
                own = Owned(overrides[pk], True)
            elif above.overridden or not code:
                own = above
            else:
                own = Owned(units.get(code), False)
            result[pk] = own
            stack.append((pk, own))
    return result


def owned_criteria(user: AnyUser, assessment: Assessment) -> frozenset[int]:
    """The criteria of the province's assessment owned by the user's units (cached per request)."""
    from parindex.accounts.permissions import unit_ids

    if not is_province(assessment) or isinstance(user, AnonymousUser):
        return frozenset()
    cache = getattr(user, "_parindex_owned", None)
    if cache is None:
        cache = user._parindex_owned = {}
    if assessment.pk not in cache:
        mine = unit_ids(user)
        cache[assessment.pk] = (
            frozenset(
                pk
                for pk, own in owners(assessment.round_id, assessment.index_set_id).items()
                if own.unit_id in mine
            )
            if mine
            else frozenset()
        )
    return cache[assessment.pk]


# --- who may act on the province's criteria (predicates of `accounts.permissions`) -------------


@permissions.predicate("edit_province_item")
def can_edit_province_item(user: AnyUser, item: Any) -> bool:
    """Enter the province's self-assessment of a criterion one's own department owns."""
    return item is not None and item.criterion_id in owned_criteria(user, item.assessment)


@permissions.predicate("view_province_share")
def can_view_province_share(user: AnyUser, assessment: Any) -> bool:
    """See the criteria one's department owns in the province's assessment (and nothing else)."""
    return assessment is not None and bool(owned_criteria(user, assessment))


@permissions.predicate("view_attached_evidence")
def can_view_attached_evidence(user: AnyUser, evidence: Any) -> bool:
    """Open a department's document attached to one's own unit's items (the province's officers)."""
    mine = permissions.unit_ids(user)
    if evidence is None or not mine:
        return False
    return ItemEvidence.objects.filter(
        evidence=evidence, item__assessment__unit_id__in=mine
    ).exists()


# --- the office sets owners per round -----------------------------------------------------------


class OwnersRefused(Refused):
    """The owners could not be saved (the message says why, in Vietnamese)."""

    default_code = "owners.refused"


@transaction.atomic
def set_owners(*, round_: Round, index_set_id: int, chosen: Mapping[int, int], by: User) -> int:
    """Make `chosen` (criterion id → unit id) the round's owners; returns how many changed."""
    current = owners(round_.pk, index_set_id)
    valid = set(Unit.objects.filter(pk__in=set(chosen.values())).values_list("pk", flat=True))
    if unknown := set(chosen.values()) - valid:
        raise OwnersRefused(
            _("Unknown unit: %(ids)s.") % {"ids": sorted(unknown)}, code="owners.unknown_unit"
        )
    changed = 0
    for criterion_id, unit_id in chosen.items():
        if criterion_id not in current or current[criterion_id].unit_id == unit_id:
            continue
        old = current[criterion_id].unit_id
        CriterionOwner.objects.update_or_create(
            round=round_, criterion_id=criterion_id, defaults={"unit_id": unit_id, "set_by": by}
        )
        audit.record(
            round_,
            "round.criterion_owner_set",
            by=by,
            old={"criterion": criterion_id, "unit": old},
            new={"criterion": criterion_id, "unit": unit_id},
        )
        changed += 1
        current = owners(round_.pk, index_set_id)
    return changed


# --- compiling the province's self-assessment ----------------------------------------------------


@dataclass
class CompiledLeaf:
    """One leaf of the province's assessment as the office compiles it."""

    item: Item
    code: str
    name: str
    area_code: str
    max_points: Decimal
    self_points: Decimal | None
    ministry_points: Decimal | None
    owner: str
    evidence: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.item.self_answer is not None

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.item.no_evidence_reason.strip())

    @property
    def final_points(self) -> Decimal | None:
        """The Ministry's points when entered, else the self-assessed ones."""
        return self.ministry_points if self.ministry_points is not None else self.self_points


@dataclass
class OwnerGroup:
    """The leaves one department owns, with its completeness."""

    owner: str
    leaves: list[CompiledLeaf]

    @property
    def answered(self) -> int:
        return sum(1 for leaf in self.leaves if leaf.answered)

    @property
    def evidenced(self) -> int:
        return sum(1 for leaf in self.leaves if leaf.has_evidence)

    @property
    def points(self) -> Decimal:
        return sum((leaf.self_points or Decimal(0) for leaf in self.leaves), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((leaf.max_points for leaf in self.leaves), Decimal(0))


@dataclass
class AreaTotal:
    code: str
    name: str
    max_points: Decimal
    self_points: Decimal
    final_points: Decimal


def _evidence_text(link: ItemEvidence) -> str:
    doc = link.evidence
    parts = [doc.number, doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "", doc.title]
    return " ".join(part for part in parts if part)


def compiled_leaves(assessment: Assessment) -> list[CompiledLeaf]:
    """Every self-assessed leaf of the province's assessment, in order, with owner and evidence."""
    own = owners(assessment.round_id, assessment.index_set_id)
    names: dict[int | None, str] = dict(Unit.objects.values_list("pk", "code"))
    links: dict[int, list[str]] = {}
    for link in (
        ItemEvidence.objects.filter(item__assessment=assessment)
        .select_related("evidence")
        .order_by("added_at", "id")
    ):
        links.setdefault(link.item_id, []).append(_evidence_text(link))
    ministry: dict[int | None, Decimal] = dict(
        MinistryPoints.objects.filter(item__assessment=assessment).values_list("item_id", "points")
    )
    rows = []
    for item in (
        assessment.items.select_related("criterion", "area")
        .exclude(criterion__source="survey")
        .order_by("position")
    ):
        owner_id = own.get(item.criterion_id, Owned(None, False)).unit_id
        rows.append(
            CompiledLeaf(
                item=item,
                code=item.criterion.code,
                name=item.criterion.name,
                area_code=item.area.code,
                max_points=item.criterion.max_points,
                self_points=item.self_points,
                ministry_points=ministry.get(item.pk),
                owner=names.get(owner_id, ""),
                evidence=links.get(item.pk, []),
            )
        )
    return rows


def by_owner(leaves: Iterable[CompiledLeaf]) -> list[OwnerGroup]:
    """The leaves grouped by owning department (unowned last)."""
    groups: dict[str, list[CompiledLeaf]] = {}
    for leaf in leaves:
        groups.setdefault(leaf.owner, []).append(leaf)
    return [
        OwnerGroup(owner, rows)
        for owner, rows in sorted(groups.items(), key=lambda pair: (not pair[0], pair[0]))
    ]


def area_totals(assessment: Assessment, leaves: Iterable[CompiledLeaf]) -> list[AreaTotal]:
    """Maximum, self-assessed and final points per area."""
    areas = Criterion.objects.filter(
        index_set_id=assessment.index_set_id, parent__isnull=True
    ).order_by("position")
    totals = {
        area.code: AreaTotal(area.code, area.name, area.max_points, Decimal(0), Decimal(0))
        for area in areas
    }
    for leaf in leaves:
        total = totals.get(leaf.area_code)
        if total is None:
            continue
        total.self_points += leaf.self_points or Decimal(0)
        total.final_points += leaf.final_points or Decimal(0)
    return list(totals.values())


# --- the Ministry's appraised points -------------------------------------------------------------


@transaction.atomic
def set_ministry_points(
    *, assessment: Assessment, points: Mapping[int, Decimal | None], by: User
) -> int:
    """Record the Ministry's points per item (None clears); returns how many changed."""
    items = {item.pk: item for item in assessment.items.select_related("criterion")}
    problems = []
    for item_id, value in points.items():
        item = items.get(item_id)
        if item is None:
            problems.append(_("Item %(id)s is not part of this assessment.") % {"id": item_id})
        elif value is not None and not (0 <= value <= item.criterion.max_points):
            problems.append(
                _("%(code)s: %(value)s is outside 0 to %(max)s.")
                % {"code": item.criterion.code, "value": value, "max": item.criterion.max_points}
            )
    if problems:
        raise OwnersRefused(" ".join(problems), code="owners.points_invalid")
    existing = {
        row.item_id: row for row in MinistryPoints.objects.filter(item__assessment=assessment)
    }
    changed = 0
    for item_id, value in points.items():
        row = existing.get(item_id)
        old = row.points if row else None
        if old == value:
            continue
        if value is None:
            assert row is not None  # no row and no value was skipped above
            row.delete()
        else:
            MinistryPoints.objects.update_or_create(
                item_id=item_id, defaults={"points": value, "by": by}
            )
        audit.record(
            items[item_id],
            "item.ministry_points_set",
            by=by,
            old={"points": str(old) if old is not None else None},
            new={"points": str(value) if value is not None else None},
        )
        changed += 1
    return changed


def province_assessment(year: int) -> Assessment | None:
    """The province's central-index assessment of a year, if one exists (newest round)."""
    return (
        Assessment.objects.filter(round__year=year, unit__unit_type__code=PROVINCE_TYPE)
        .select_related("unit__unit_type", "round", "index_set")
        .order_by("-round__created_at")
        .first()
    )


# --- pages ----------------------------------------------------------------------------------------


def get_province_for_office(user: AnyUser, pk: int) -> Assessment:
    """The province's assessment for the office that compiles it (403 to others, 404 if no such)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from parindex.accounts import permissions

    if not permissions.has(user, "compile_province"):
        raise PermissionDenied
    assessment = get_object_or_404(
        Assessment.objects.select_related("round", "unit__unit_type", "index_set"), pk=pk
    )
    if not is_province(assessment):
        raise Http404
    return assessment


def get_round_for_owners(user: AnyUser, pk: int) -> tuple[Round, Assessment]:
    """A round with the province in it, for the office setting owners (403 / 404)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from parindex.accounts import permissions

    if not permissions.has(user, "compile_province"):
        raise PermissionDenied
    round_ = get_object_or_404(Round, pk=pk)
    assessment = (
        round_.assessments.filter(unit__unit_type__code=PROVINCE_TYPE)
        .select_related("unit__unit_type", "index_set")
        .first()
    )
    if assessment is None:
        raise Http404
    return round_, assessment


@dataclass
class OwnerRow:
    criterion: Criterion
    depth: int
    owned: Owned


def owner_rows(assessment: Assessment) -> list[OwnerRow]:
    """The areas and criteria above the leaves, in document order, with their owner."""
    own = owners(assessment.round_id, assessment.index_set_id)
    nodes = list(
        Criterion.objects.filter(index_set_id=assessment.index_set_id).order_by(
            "parent_id", "position"
        )
    )
    children: dict[int | None, list[Criterion]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[OwnerRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            if depth < 2:
                rows.append(OwnerRow(node, depth, own.get(node.pk, Owned(None, False))))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


def owner_choices() -> list[Unit]:
    """The departments that may own a criterion (every unit other than the province itself)."""
    return list(
        Unit.objects.exclude(unit_type__code=PROVINCE_TYPE)
        .filter(unit_type__code__in=["SO", "TW"])
        .order_by("unit_type__order", "code")
    )


@dataclass
class Share:
    """A province assessment in which the user's department owns criteria."""

    assessment: Assessment
    owned: int
    answered: int
    deadline: Any


def my_shares(user: AnyUser) -> list[Share]:
    """The province's assessments where the user's departments own criteria, with the deadline."""
    from parindex.accounts.permissions import unit_ids
    from parindex.rounds import deadlines
    from parindex.rounds.models import Phase

    if not unit_ids(user):
        return []
    shares = []
    for assessment in (
        Assessment.objects.filter(unit__unit_type__code=PROVINCE_TYPE)
        .exclude(unit_id__in=unit_ids(user))
        .exclude(round__status__in=[Round.Status.DRAFT])
        .filter(status=Assessment.Status.DRAFT)
        .select_related("round", "unit__unit_type", "index_set")
    ):
        owned = owned_criteria(user, assessment)
        if not owned:
            continue
        answered = assessment.items.filter(
            criterion_id__in=owned, self_answer__isnull=False
        ).count()
        total = assessment.items.filter(criterion_id__in=owned).exclude(criterion__source="survey")
        due = deadlines.deadline(
            assessment.round,
            assessment.unit_id,
            Phase.SELF_ASSESSMENT,
            deadlines.extensions_of(assessment.round),
        )
        shares.append(Share(assessment, total.count(), answered, due))
    return shares


def import_ministry_points(*, assessment: Assessment, data: bytes, by: User) -> int:
    """Read the Ministry's appraised-points file (the national import's format) into the leaves.

    All or nothing: every problem is listed with its line, and nothing is saved on error.
    """
    from parindex.assessments.ministryfile import ImportFailed, parse_appraised

    try:
        rows = parse_appraised(data)
    except ImportFailed as failed:
        raise OwnersRefused(
            failed.problems, code="ministry_points.file_invalid", codes=failed.codes
        ) from failed
    items = {code: pk for pk, code in assessment.items.values_list("pk", "criterion__code")}
    problems = [
        _("Line %(line)d: %(code)s is not a sub-criterion of this assessment.")
        % {"line": row.line, "code": row.code}
        for row in rows
        if row.code not in items
    ]
    if problems:
        raise OwnersRefused(" ".join(problems), code="ministry_points.unknown_criteria")
    return set_ministry_points(
        assessment=assessment, points={items[row.code]: row.points for row in rows}, by=by
    )
