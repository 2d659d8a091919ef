"""Assessments' audited actions in words (values, appraisal, workflow, evidence).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`, with the
names of audited items ("criterion 1.2 of Sở Tư pháp") and the statuses by their labels.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from parindex.assessments.models import Assessment, Item
from parindex.core import registry
from parindex.core.history import changes, plain, register


def item_names(ids: list[str]) -> dict[str, str]:
    """Audited items by the name people know: "criterion 1.2 of Sở Tư pháp (CCHC-2026)"."""
    keys = [int(pk) for pk in ids if pk.isdigit()]
    rows = Item.objects.filter(pk__in=keys).values_list(
        "pk", "criterion__code", "assessment__unit__name", "assessment__round__code"
    )
    return {
        str(pk): _t("criterion %(code)s of %(unit)s (%(round)s)")
        % {"code": code, "unit": unit, "round": round_code}
        for pk, code, unit, round_code in rows
    }


def status(value: Any) -> str:
    """A workflow status by its label."""
    try:
        return str(Assessment.Status(value).label)
    except ValueError:
        return plain(value)


def status_change(entry: Any) -> str:
    """ "from Submitted to Under appraisal"."""
    if entry.old in (None, "") or entry.new in (None, ""):
        return ""
    return _t("from %(old)s to %(new)s") % {"old": status(entry.old), "new": status(entry.new)}


def appraisal(entry: Any) -> str:
    """An appraiser's decision: accepted, adjusted from … to …, or asked to explain."""
    new = entry.new if isinstance(entry.new, dict) else {}
    decision = new.get("decision")
    value = plain(new.get("appraised"))
    if decision == "accept":
        return _t("accepted %(value)s") % {"value": value}
    if decision == "adjust":
        before = new.get("self", (entry.old or {}).get("appraised"))
        if before is None:
            return _t("adjusted to %(value)s") % {"value": value}
        return _t("adjusted from %(old)s to %(new)s") % {"old": plain(before), "new": value}
    if decision == "request":
        return _t("asked the unit to explain: %(question)s") % {
            "question": new.get("question") or "—"
        }
    return changes(entry.old, entry.new)


def evidence_title(entry: Any) -> str:
    """The document attached or removed, by its title."""
    for value in (entry.new, entry.old):
        if isinstance(value, dict) and value.get("title"):
            return str(value["title"])
    return ""


def explanation(entry: Any) -> str:
    """The unit's explanation, quoted."""
    return f"“{plain(entry.new)}”" if entry.new else ""


def ids(*values: Any) -> list[int]:
    """The values that are row ids (an entry may hold anything)."""
    return [int(value) for value in values if str(value).isdigit()]


def owner_change(entry: Any) -> str:
    """Which criterion passed from which department to which (ids in the entry)."""
    from parindex.indexsets.models import Criterion
    from parindex.units.models import Unit

    old = entry.old if isinstance(entry.old, dict) else {}
    new = entry.new if isinstance(entry.new, dict) else {}
    units = dict(
        Unit.objects.filter(pk__in=ids(old.get("unit"), new.get("unit"))).values_list("pk", "name")
    )
    codes = Criterion.objects.filter(pk__in=ids(new.get("criterion"))).values_list("code")
    code = next((row[0] for row in codes), None)
    return _t("criterion %(code)s from %(old)s to %(new)s") % {
        "code": code or "—",
        "old": units.get(next(iter(ids(old.get("unit"))), 0), "—"),
        "new": units.get(next(iter(ids(new.get("unit"))), 0), "—"),
    }


def register_texts() -> None:
    """Tell the history how to word this app's actions and name its items."""
    registry.audit_objects.add(registry.AuditObjects("assessments.item", item_names))
    statuses = {
        action: status_change
        for action in (
            "assessment.submitted",
            "assessment.withdrawn",
            "assessment.appraisal_started",
            "assessment.returned",
            "assessment.explained",
            "assessment.finalised",
            "assessment.approved",
            "assessment.sent_back",
            "assessment.reopened",
        )
    }
    register(
        {
            "assessment.submitted": _("submitted the self-assessment of %(object)s"),
            "assessment.withdrawn": _("withdrew the submission of %(object)s"),
            "assessment.appraisal_started": _("started the appraisal of %(object)s"),
            "assessment.returned": _("returned %(object)s to the unit for explanation"),
            "assessment.explained": _("sent the explanations of %(object)s"),
            "assessment.finalised": _("finalised the appraisal of %(object)s"),
            "assessment.approved": _("approved the scores of %(object)s in the council"),
            "assessment.sent_back": _("sent the scores of %(object)s back to the appraisers"),
            "assessment.reopened": _("reopened %(object)s"),
            "assessment.remaining_accepted": _("accepted every remaining item of %(object)s"),
            "assessment.reminded": _("sent a reminder about %(object)s"),
            "item.self_saved": _("entered %(object)s"),
            "item.appraised_*": _("appraised %(object)s"),
            "item.imported_*": _("imported the score of %(object)s"),
            "item.survey_saved": _("entered the survey result of %(object)s"),
            "item.explained": _("explained %(object)s"),
            "item.evidence_attached": _("attached evidence to %(object)s"),
            "item.evidence_detached": _("removed evidence from %(object)s"),
            "item.ministry_points_set": _("entered the Ministry's points for %(object)s"),
            "evidence.uploaded": _("uploaded the document %(object)s"),
            "evidence.registered": _("cited the document %(object)s"),
            "round.unit_added": _("added a unit to the round %(object)s"),
            "round.unit_removed": _("took a unit out of the round %(object)s"),
            "round.scores_imported": _("imported scores into the round %(object)s"),
            "round.criterion_owner_set": _(
                "set the department in charge of a criterion in %(object)s"
            ),
        },
        details={
            **statuses,
            "item.appraised_*": appraisal,
            "item.explained": explanation,
            "item.evidence_attached": evidence_title,
            "item.evidence_detached": evidence_title,
            "evidence.uploaded": evidence_title,
            "round.criterion_owner_set": owner_change,
        },
        fields={
            "value": _("value"),
            "note": _("note"),
            "no_evidence": _("why there is no evidence"),
            "decision": _("decision"),
            "appraised": _("appraised value"),
            "points": _("points"),
            "question": _("question"),
            "evidence": _("evidence"),
            "criterion": _("criterion"),
            "items": _("items"),
            "recipients": _("recipients"),
            "deadline": _("deadline"),
            "na": _("not applicable"),
            "percent": _("percent"),
            "self": _("self-assessed value"),
        },
    )
