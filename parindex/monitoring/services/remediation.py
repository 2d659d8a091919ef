"""Drafting a remediation plan (kế hoạch khắc phục tồn tại, hạn chế) from the points lost.

From a published round: one task per criterion where units lost points, led by those units
and linked to the criterion. From the province's own assessment of the central index (what the
national analysis is computed from): one task per criterion the province lost points on, led
by the department that owns it. The plan is a draft: the office edits and then issues it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments import province
from parindex.core import audit
from parindex.monitoring import lost, queries
from parindex.monitoring.models import Plan
from parindex.monitoring.services.common import Refused
from parindex.monitoring.services.plans import TaskValues, add_task, create_plan
from parindex.rounds.models import Round

PRODUCT = "Báo cáo kết quả khắc phục kèm tài liệu kiểm chứng"


@transaction.atomic
def draft_remediation_plan(
    *,
    by: User | None,
    round_: Round,
    code: str,
    title: str,
    deadline: dt.date,
    year: int | None = None,
    include_province: bool = True,
    limit: int | None = None,
) -> Plan:
    """A draft remediation plan answering the points a published round lost (and the
    province's own losses in the central index of that year); with `limit`, only that many
    criteria of each kind, those with the most points lost first."""
    if round_.status != Round.Status.PUBLISHED:
        raise Refused(
            _("Only a published round's lost points can be answered by a plan."),
            code="remediation.round_not_published",
        )
    year = year or round_.year + 1
    plan = create_plan(
        by=by,
        code=code,
        year=year,
        title=title,
        kind=Plan.Kind.REMEDIATION,
        source_round=round_,
    )
    resolver = queries.LeadResolver()
    results = [
        result
        for result in lost.round_results(round_)
        if result.assessment.unit.unit_type.code != province.PROVINCE_TYPE
    ]
    grouped: dict[tuple[str, str], list[lost.Loss]] = defaultdict(list)
    for loss in lost.losses(results):
        grouped[(loss.unit_type, loss.criterion_code)].append(loss)
    chosen = sorted(grouped.items(), key=lambda item: (-_total(item), _order(item)))[:limit]
    added = skipped = 0
    for (unit_type, criterion), found in sorted(chosen, key=_order):
        lead = tuple(
            loss.unit_code
            for loss in found
            if not resolver.unknown([loss.unit_code]) and resolver.units([loss.unit_code], deadline)
        )
        if not lead:
            skipped += 1
            continue
        _add(
            by,
            plan,
            resolver,
            code=f"{unit_type}-{criterion}",
            title=_("Remedy the points lost on criterion %(code)s: %(name)s")
            % {"code": criterion, "name": found[0].criterion_name},
            lead=lead,
            deadline=deadline,
            origin={
                "round": round_.code,
                "year": round_.year,
                "criterion": criterion,
                "unit_type": unit_type,
                "lost_points": {loss.unit_code: str(loss.lost_points) for loss in found},
                "total": str(sum((loss.lost_points for loss in found), Decimal(0))),
            },
        )
        added += 1
    if include_province:
        added += _province_tasks(by, plan, round_.year, deadline, resolver, limit)
    if not added:
        raise Refused(
            _("No unit lost points in %(round)s: there is nothing to remedy.")
            % {"round": round_.code},
            code="monitoring.nothing_to_remedy",
        )
    audit.record(
        plan,
        "plan.drafted",
        by=by,
        new={"from": round_.code, "tasks": added, "skipped": skipped},
    )
    return plan


def _add(
    by: User | None,
    plan: Plan,
    resolver: queries.LeadResolver,
    *,
    code: str,
    title: str,
    lead: tuple[str, ...],
    deadline: dt.date,
    origin: dict[str, Any],
) -> None:
    """One remediation task, linked to the criterion that lost points (its origin)."""
    add_task(
        by=by,
        plan=plan,
        resolver=resolver,
        record=False,
        values=TaskValues(
            code=code,
            title=title,
            lead=lead,
            deadline=deadline,
            product=PRODUCT,
            criterion_codes=(origin["criterion"],),
            origin=origin,
        ),
    )


def _total(item: tuple[tuple[str, str], list[lost.Loss]]) -> Decimal:
    return sum((loss.lost_points for loss in item[1]), Decimal(0))


def _order(item: tuple[tuple[str, str], Any]) -> tuple[str, list[int | str]]:
    (unit_type, criterion), _found = item
    return unit_type, [int(part) if part.isdigit() else part for part in criterion.split(".")]


@dataclass(frozen=True)
class OwnedLoss:
    """A criterion the province lost points on and the department answering for it (a unit
    code; empty when the registry of criterion owners names nobody)."""

    code: str
    name: str
    lost_points: Decimal
    owner: str = ""


def _province_tasks(
    by: User | None,
    plan: Plan,
    year: int,
    deadline: dt.date,
    resolver: queries.LeadResolver,
    limit: int | None,
) -> int:
    """One task per criterion the province lost points on, led by its owner department."""
    assessment = province.province_assessment(year)
    if assessment is None:
        return 0
    losing = [
        OwnedLoss(leaf.code, leaf.name, leaf.max_points - leaf.final_points, leaf.owner)
        for leaf in province.compiled_leaves(assessment)
        if leaf.final_points is not None and leaf.final_points < leaf.max_points
    ]
    added, _unowned = _owner_tasks(
        by,
        plan,
        resolver,
        losing if limit is None else _largest(losing, limit),
        deadline=deadline,
        origin={"round": assessment.round.code, "year": year},
        holder=assessment.unit.code,
    )
    return added


def _largest(losses: list[OwnedLoss], limit: int) -> list[OwnedLoss]:
    """The `limit` criteria with the most points lost, in their original order."""
    chosen = set(sorted(range(len(losses)), key=lambda i: -losses[i].lost_points)[:limit])
    return [loss for i, loss in enumerate(losses) if i in chosen]


def _owner_tasks(
    by: User | None,
    plan: Plan,
    resolver: queries.LeadResolver,
    losses: Sequence[OwnedLoss],
    *,
    deadline: dt.date,
    origin: dict[str, Any],
    holder: str,
) -> tuple[int, list[str]]:
    """One task per lost criterion, led by its owner department (`holder`: whose points they
    were, if known). Returns the tasks added and the criteria whose owner is missing, unknown
    or closed."""
    added, unowned = 0, []
    for loss in losses:
        if (
            not loss.owner
            or resolver.unknown([loss.owner])
            or not resolver.units([loss.owner], deadline)
        ):
            unowned.append(loss.code)
            continue
        _add(
            by,
            plan,
            resolver,
            code=f"{province.PROVINCE_TYPE}-{loss.code}",
            title=_("Remedy the province's points lost on criterion %(code)s: %(name)s")
            % {"code": loss.code, "name": loss.name},
            lead=(loss.owner,),
            deadline=deadline,
            origin={
                **origin,
                "criterion": loss.code,
                "unit_type": province.PROVINCE_TYPE,
                "lost_points": {holder: str(loss.lost_points)} if holder else {},
                "total": str(loss.lost_points),
                "owner": loss.owner,
            },
        )
        added += 1
    return added, unowned


@transaction.atomic
def draft_national_remediation_plan(
    *,
    by: User | None,
    source_year: int,
    source: str,
    losses: Sequence[OwnedLoss],
    code: str,
    title: str,
    deadline: dt.date,
    year: int | None = None,
    limit: int | None = None,
) -> Plan:
    """A draft remediation plan answering the criteria the province lost points on in the
    national PAR Index of `source_year` (`source` names it, e.g. the national analysis): one
    task per criterion, led by its owner department and linked to the criterion; with
    `limit`, only the criteria with the most points lost. Criteria nobody owns are left out
    (listed in the audit entry); refused when no task could be drafted."""
    plan = create_plan(
        by=by,
        code=code,
        year=year or source_year + 1,
        title=title,
        kind=Plan.Kind.REMEDIATION,
    )
    chosen = [loss for loss in losses if loss.lost_points > 0]
    if limit is not None:
        chosen = _largest(chosen, limit)
    added, unowned = _owner_tasks(
        by,
        plan,
        queries.LeadResolver(),
        chosen,
        deadline=deadline,
        origin={"round": source, "year": source_year, "source": "national"},
        holder="",
    )
    if not added:
        raise Refused(
            _("No criterion the province lost points on has an owner department to lead its task.")
            if unowned
            else _("The province lost no points in %(year)d: there is nothing to remedy.")
            % {"year": source_year},
            code="monitoring.nothing_to_remedy",
        )
    audit.record(
        plan,
        "plan.drafted",
        by=by,
        new={"from": source, "tasks": added, "skipped": len(unowned), "unowned": unowned},
    )
    return plan
