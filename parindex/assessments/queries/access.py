"""Who may see or act: permission-aware getters for assessments, items, evidence and requests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser, User
from parindex.assessments.models import (
    Assessment,
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.rounds.models import Round

ASSESSMENT_RELATED = ("round", "unit__unit_type", "index_set__unit_type", "submitted_by")


def get_assessment_for_viewer(user: AnyUser, pk: int) -> Assessment:
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


def get_assessment_for_head(user: AnyUser, pk: int) -> Assessment:
    """An assessment the user heads the unit of (submit, withdraw, send explanations)."""
    assessment = get_assessment_for_viewer(user, pk)
    if not permissions.can_submit_assessment(user, assessment):
        raise PermissionDenied
    return assessment


def get_assessment_for_appraiser(user: AnyUser, pk: int) -> Assessment:
    """An assessment the user appraises at least one area of (404 to strangers, 403 to readers)."""
    assessment = get_assessment_for_viewer(user, pk)
    if not permissions.can_appraise(user, assessment):
        raise PermissionDenied
    return assessment


def get_item_for_unit(user: AnyUser, pk: int) -> Item:
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


def get_item_for_viewer(user: AnyUser, pk: int) -> Item:
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


def can_edit_item(user: AnyUser, item: Item) -> bool:
    """Whether the user enters this item: their unit's, or a province criterion they own."""
    from parindex.assessments.province import can_edit_province_item

    return permissions.can_edit_assessment(user, item.assessment) or can_edit_province_item(
        user, item
    )


def can_read_item(user: AnyUser, item: Item) -> bool:
    """Whether the user reads this item: a reader of the assessment, or its owner department."""
    from parindex.assessments.province import can_edit_province_item

    return permissions.can_view_assessment(user, item.assessment) or can_edit_province_item(
        user, item
    )


def owned_share(user: AnyUser, assessment: Assessment) -> frozenset[int] | None:
    """None when the user reads the whole assessment; else the criteria their department owns."""
    if permissions.can_view_assessment(user, assessment):
        return None
    from parindex.assessments.province import owned_criteria

    return owned_criteria(user, assessment)


def get_assessment_for_page(user: AnyUser, pk: int) -> tuple[Assessment, frozenset[int] | None]:
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


def library_unit_id(user: AnyUser, item: Item) -> int:
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


def get_item_for_appraiser(user: AnyUser, pk: int) -> Item:
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


def get_evidence_for_viewer(user: AnyUser, pk: int) -> Evidence:
    """A library document the user may open (404 otherwise, whether or not it exists)."""
    from parindex.assessments.province import can_view_attached_evidence

    evidence = get_object_or_404(Evidence.objects.select_related("unit", "added_by"), pk=pk)
    if not (
        permissions.can_view_evidence(user, evidence) or can_view_attached_evidence(user, evidence)
    ):
        raise Http404
    return evidence


def get_request_for_unit(user: AnyUser, pk: int) -> ExplanationRequest:
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


def assessments_for_user(user: AnyUser) -> QuerySet[Assessment]:
    """The assessments of the user's units, newest round first (rounds in preparation hidden)."""
    return (
        Assessment.objects.filter(unit_id__in=permissions.unit_ids(user))
        .exclude(round__status=Round.Status.DRAFT)
        .select_related("round", "unit", "index_set")
        .order_by("-round__year", "round__code", "unit__code")
    )


def open_request_of(item: Item) -> ExplanationRequest | None:
    """The explanation request the unit is answering for this item, if it is answering now."""
    if item.assessment.status != Assessment.Status.RETURNED:
        return None
    return ExplanationRequest.objects.filter(item=item).first()


def first_assigned_area(assessment: Assessment, user: User) -> str | None:
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


def assigned_area(assessment: Assessment, user: AnyUser, code: str) -> Any:
    """An area of the assessment's index set that the user appraises (403 otherwise)."""
    from parindex.indexsets.models import Criterion

    area = Criterion.objects.filter(
        index_set_id=assessment.index_set_id, parent__isnull=True, code=code
    ).first()
    cell = (assessment.round_id, assessment.unit_id, area.pk if area else None)
    if area is None or cell not in permissions.appraiser_scope(user):
        raise PermissionDenied
    return area
