"""Pending work with deadlines for each role's home dashboard (`core.queries.dashboard_panels`).

Each function returns plain items `{"label", "url", "deadline"}`; `AssessmentsConfig.ready()`
adds them to the role panels of accounts, and core arranges them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments import pages, queries
from parindex.assessments.models import Assessment
from parindex.rounds import deadlines
from parindex.rounds.models import Phase, Round

S = Assessment.Status


def unit_items(user: User) -> list[dict[str, Any]]:
    """The unit's open assessments: what to do next and by when."""
    items = []
    for row in pages.my_assessments(user):
        assessment = row.assessment
        if assessment.status in (S.FINALISED, S.PUBLISHED):
            continue
        if assessment.status == S.DRAFT:
            label = _("%(round)s: enter the self-assessment of %(unit)s")
            url = reverse("assessments:detail", args=[assessment.pk])
        elif assessment.status == S.RETURNED:
            label = _("%(round)s: answer the explanation requests for %(unit)s")
            url = reverse("assessments:explanations", args=[assessment.pk])
        else:
            label = _("%(round)s: %(unit)s is with the appraisers")
            url = reverse("assessments:detail", args=[assessment.pk])
        deadline = row.deadline if assessment.status in (S.DRAFT, S.RETURNED) else None
        items.append(
            {
                "label": label % {"round": assessment.round.code, "unit": assessment.unit},
                "url": url,
                "deadline": deadline,
            }
        )
    return items + province_share_items(user)


def province_share_items(user: User) -> list[dict[str, Any]]:
    """The province's criteria the user's department owns: enter them by the deadline."""
    from parindex.assessments.province import my_shares

    return [
        {
            "label": _(
                "%(round)s: enter the %(n)d criteria of %(unit)s your department owns "
                "(%(done)d entered)"
            )
            % {
                "round": share.assessment.round.code,
                "unit": share.assessment.unit,
                "n": share.owned,
                "done": share.answered,
            },
            "url": reverse("assessments:detail", args=[share.assessment.pk]),
            "deadline": share.deadline,
        }
        for share in my_shares(user)
    ]


def appraiser_items(user: User) -> list[dict[str, Any]]:
    """Assigned units still awaiting decisions, soonest deadline first (one line per unit)."""
    pending: dict[int, dict[str, Any]] = {}
    for row in pages.appraiser_queue(user):
        if row.stage is None or row.decided >= row.total:
            continue
        entry = pending.setdefault(
            row.assessment.pk,
            {"row": row, "decided": 0, "total": 0, "area": row.area_code},
        )
        entry["decided"] += row.decided
        entry["total"] += row.total
    entries = sorted(pending.values(), key=lambda e: (e["row"].due, e["row"].assessment.unit.code))
    return [
        {
            "label": _("%(unit)s: %(done)d/%(total)d items decided (appraisal %(stage)d)")
            % {
                "unit": entry["row"].assessment.unit,
                "done": entry["decided"],
                "total": entry["total"],
                "stage": entry["row"].stage,
            },
            "url": reverse("assessments:appraise", args=[entry["row"].assessment.pk])
            + f"?area={entry['area']}",
            "deadline": entry["row"].due,
        }
        for entry in entries[:15]
    ]


def council_items(user: User) -> list[dict[str, Any]]:
    """Open rounds with finalised units awaiting the council's approval."""
    from django.db.models import Count, Q

    rounds = Round.objects.filter(status=Round.Status.OPEN).annotate(
        waiting=Count(
            "assessments",
            filter=Q(assessments__status=S.FINALISED, assessments__approved_at__isnull=True),
        )
    )
    return [
        {
            "label": _("%(round)s: %(n)d unit(s) await approval")
            % {"round": round_.code, "n": round_.waiting},
            "url": reverse("assessments:council", args=[round_.pk]),
            "deadline": round_.council_closes_on,
        }
        for round_ in rounds
        if round_.waiting
    ]


def office_items(user: User) -> list[dict[str, Any]]:
    """Rounds being prepared or in progress, with how many units submitted and are overdue."""
    from django.db.models import Count, Q

    today = deadlines.today()
    rounds = (
        Round.objects.filter(status__in=[Round.Status.DRAFT, Round.Status.OPEN])
        .annotate(
            units=Count("assessments"),
            drafts=Count("assessments", filter=Q(assessments__status=S.DRAFT)),
        )
        .order_by("-year", "code")
    )
    items = []
    for round_ in rounds:
        if round_.status == Round.Status.DRAFT:
            label = _("%(round)s is being prepared (%(n)d units): assign appraisers and open it")
            context = {"round": round_.code, "n": round_.units}
        else:
            label = _("%(round)s: %(done)d of %(n)d units submitted")
            context = {
                "round": round_.code,
                "n": round_.units,
                "done": round_.units - round_.drafts,
            }
            if round_.drafts and today > round_.self_assessment_closes_on:
                label = _("%(round)s: %(late)d unit(s) have not submitted after the deadline")
                context["late"] = round_.drafts
        items.append(
            {
                "label": label % context,
                "url": reverse("rounds:detail", args=[round_.pk]),
                "deadline": round_.closes_on(Phase.SELF_ASSESSMENT)
                if round_.status == Round.Status.OPEN
                else None,
            }
        )
    for assessment in Assessment.objects.filter(
        round__in=rounds, unit__unit_type__code="TINH"
    ).select_related("round", "unit"):
        items.append(
            {
                "label": _("%(round)s: compile the self-assessment of %(unit)s")
                % {"round": assessment.round.code, "unit": assessment.unit},
                "url": reverse("assessments:province", args=[assessment.pk]),
                "deadline": assessment.round.self_assessment_closes_on,
            }
        )
    return items


def inbox_item(user: User) -> dict[str, Any] | None:
    """A line about unread inbox messages, if any."""
    unread = queries.unread_count(user)
    if not unread:
        return None
    return {
        "label": _("%(n)d unread message(s) in your inbox") % {"n": unread},
        "url": reverse("assessments:inbox"),
        "deadline": None,
    }
