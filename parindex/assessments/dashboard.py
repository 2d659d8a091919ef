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
from parindex.core.registry import Bar, Chart
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


# --- charts: dashboards that show, not list (issue 14) ---------------------------------------

LATE_SHOWN = 10


def _open_rounds() -> list[Round]:
    return list(Round.objects.filter(status=Round.Status.OPEN).order_by("-year", "code")[:2])


def completion_by_type(round_: Round) -> Chart:
    """A round's units that have submitted (any status past draft), per unit type."""
    from django.db.models import Count, Q

    rows = (
        Assessment.objects.filter(round=round_)
        .values("unit__unit_type__code", "unit__unit_type__name")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(status=S.DRAFT)))
        .order_by("unit__unit_type__code")
    )
    bars = tuple(
        Bar(label=row["unit__unit_type__name"], value=row["done"], total=row["total"])
        for row in rows
    )
    return Chart(
        title=_("%(round)s: units that submitted, by unit type") % {"round": round_.code},
        bars=bars,
    )


def late_units(user: Any, round_: Round) -> Chart | None:
    """Units still in draft after their (extended) self-assessment deadline, with a reminder."""
    from parindex.accounts import permissions

    late = [
        row
        for row in queries.round_progress(round_, status=S.DRAFT, sort="answered")
        if row.days_left is not None and row.days_left < 0
    ]
    if not late:
        return None
    can_remind = permissions.has(user, "manage_rounds")
    bars = tuple(
        Bar(
            label=str(row.assessment.unit),
            value=row.answered,
            total=row.total,
            url=reverse("assessments:detail", args=[row.assessment.pk]),
            note=_("%(days)d day(s) late") % {"days": -(row.days_left or 0)},
            action_url=reverse("assessments:remind", args=[row.assessment.pk])
            if can_remind
            else "",
            action_label=_("Remind") if can_remind else "",
        )
        for row in late[:LATE_SHOWN]
    )
    caption = ""
    if len(late) > LATE_SHOWN:
        caption = _("and %(n)d more: see the round's progress page") % {"n": len(late) - LATE_SHOWN}
    return Chart(
        title=_("%(round)s: late units (criteria answered)") % {"round": round_.code},
        bars=bars,
        caption=caption,
    )


def office_charts(user: Any) -> list[Chart]:
    """Round completion by unit type and the late units, for each open round."""
    charts: list[Chart] = []
    for round_ in _open_rounds():
        charts.append(completion_by_type(round_))
        if late := late_units(user, round_):
            charts.append(late)
    return charts


def unit_charts(user: Any) -> list[Chart]:
    """My unit's completeness: criteria answered and criteria with evidence, per open assessment."""
    from django.db.models import Count, Q

    from parindex.assessments.models import Item, ItemEvidence

    open_ = [
        row.assessment
        for row in pages.my_assessments(user)
        if row.assessment.status not in (S.FINALISED, S.PUBLISHED)
    ]
    if not open_:
        return []
    ids = [assessment.pk for assessment in open_]
    counts = {
        row["assessment_id"]: row
        for row in Item.objects.filter(assessment_id__in=ids)
        .exclude(criterion__source="survey")
        .exclude(queries.SYSTEM_COMPUTED)
        .values("assessment_id")
        .annotate(total=Count("id"), answered=Count("id", filter=Q(self_answer__isnull=False)))
    }
    evidenced = dict(
        ItemEvidence.objects.filter(item__assessment_id__in=ids)
        .values("item__assessment_id")
        .annotate(n=Count("item_id", distinct=True))
        .values_list("item__assessment_id", "n")
    )
    charts = []
    for assessment in open_:
        count = counts.get(assessment.pk, {"total": 0, "answered": 0})
        url = reverse("assessments:detail", args=[assessment.pk])
        charts.append(
            Chart(
                title=_("%(round)s: completeness of %(unit)s")
                % {"round": assessment.round.code, "unit": assessment.unit},
                bars=(
                    Bar(_("Criteria answered"), count["answered"], count["total"], url=url),
                    Bar(
                        _("Criteria with evidence"),
                        evidenced.get(assessment.pk, 0),
                        count["total"],
                        url=url,
                    ),
                ),
            )
        )
    return charts


def appraiser_charts(user: Any) -> list[Chart]:
    """My queue: items decided out of items to appraise, overall and for the first units due."""
    per_unit: dict[int, list[Any]] = {}
    for row in pages.appraiser_queue(user):
        if row.stage is None:
            continue
        entry = per_unit.setdefault(row.assessment.pk, [row, 0, 0])
        entry[1] += row.decided
        entry[2] += row.total
    if not per_unit:
        return []
    entries = sorted(per_unit.values(), key=lambda e: (e[0].due, e[0].assessment.unit.code))
    decided = sum(entry[1] for entry in entries)
    total = sum(entry[2] for entry in entries)
    bars = [Bar(_("All my units"), decided, total, url=reverse("assessments:queue"))]
    bars += [
        Bar(
            str(row.assessment.unit),
            done,
            of,
            url=reverse("assessments:appraise", args=[row.assessment.pk]),
        )
        for row, done, of in entries[:8]
        if done < of
    ]
    return [Chart(title=_("My queue: items decided"), bars=tuple(bars))]


def council_charts(user: Any) -> list[Chart]:
    """Per open round: units approved by the council out of the round's units."""
    from django.db.models import Count, Q

    charts = []
    for round_ in _open_rounds():
        counts = Assessment.objects.filter(round=round_).aggregate(
            total=Count("id"),
            finalised=Count("id", filter=Q(status=S.FINALISED)),
            approved=Count("id", filter=Q(status=S.FINALISED, approved_at__isnull=False)),
        )
        url = reverse("assessments:council", args=[round_.pk])
        charts.append(
            Chart(
                title=_("%(round)s: the council's approvals") % {"round": round_.code},
                bars=(
                    Bar(_("Finalised by the appraisers"), counts["finalised"], counts["total"]),
                    Bar(_("Approved by the council"), counts["approved"], counts["total"], url=url),
                ),
            )
        )
    return charts


def progress_charts(user: Any) -> list[Chart]:
    """For leaders: each open round's units by status (how far the round has come)."""
    charts = []
    for round_ in _open_rounds():
        summary = queries.status_summary(round_)
        total = sum(n for _code, _label, n in summary)
        charts.append(
            Chart(
                title=_("%(round)s: units by status") % {"round": round_.code},
                bars=tuple(Bar(str(label), n, total) for _code, label, n in summary),
            )
        )
    return charts
