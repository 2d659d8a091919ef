"""Rounds' audited actions in words (rounds, appraisers, extensions).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`; an
appraiser's assignment names the unit, the area and the people, not their ids.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from parindex.accounts.models import User
from parindex.core.history import plain, register
from parindex.indexsets.models import Criterion
from parindex.rounds.models import Phase
from parindex.units.models import Unit


def person(username: str | None) -> str:
    """A person by their full name (their login when they have none); "nobody" for None."""
    if not username:
        return _t("nobody")
    user = User.objects.filter(username=username).first()
    return str(user) if user else username


def ids(*values: Any) -> list[int]:
    """The values that are row ids (an entry may hold anything)."""
    return [int(value) for value in values if str(value).isdigit()]


def assignment(entry: Any) -> str:
    """ "Sở Tư pháp, area 2: from Trần Thị B to Nguyễn Văn A"."""
    old = entry.old if isinstance(entry.old, dict) else {}
    new = entry.new if isinstance(entry.new, dict) else {}
    unit = Unit.objects.filter(pk__in=ids(new.get("unit"))).values_list("name", flat=True).first()
    areas = Criterion.objects.filter(pk__in=ids(new.get("area"))).values_list("code", flat=True)
    area = areas.first()
    return _t("%(unit)s, area %(area)s: from %(old)s to %(new)s") % {
        "unit": unit or "—",
        "area": area or "—",
        "old": person(old.get("appraiser")),
        "new": person(new.get("appraiser")),
    }


def extension(entry: Any) -> str:
    """ "Sở Tư pháp, self-assessment, until 15/01/2027"."""
    new = entry.new if isinstance(entry.new, dict) else {}
    unit = Unit.objects.filter(code=str(new.get("unit"))).values_list("name", flat=True).first()
    try:
        phase = str(Phase(str(new.get("phase"))).label)
    except ValueError:
        phase = plain(new.get("phase"))
    return _t("%(unit)s, %(phase)s, until %(day)s") % {
        "unit": unit or plain(new.get("unit")),
        "phase": phase,
        "day": plain(new.get("until_on")),
    }


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "round.created": _("created the round %(object)s"),
            "round.updated": _("changed the round %(object)s"),
            "round.opened": _("opened the round %(object)s"),
            "round.finalised": _("finalised the round %(object)s"),
            "round.published": _("published the round %(object)s"),
            "round.appraiser_assigned": _("assigned an appraiser in the round %(object)s"),
            "round.extension_granted": _("extended a deadline in the round %(object)s"),
        },
        details={"round.appraiser_assigned": assignment, "round.extension_granted": extension},
        fields={
            "until_on": _("until"),
            "phase": _("phase"),
            "status": _("status"),
            "approved": _("approved"),
            "as_of": _("as of"),
            "imported": _("imported from a file"),
            "index_sets": _("index sets"),
            "rank_within_peer_groups": _("rank within peer groups"),
            "self_assessment_opens_on": _("self-assessment opens on"),
        },
    )
