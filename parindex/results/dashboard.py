"""The leaders' charts on the home dashboard: the best and the weakest units of the last results.

Read from the newest published round (its snapshot, cached by SHA-256): per unit type, the
three units ranked first and the three ranked last, each bar its index with rank and band.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.core.formatting import format_number
from parindex.core.registry import Bar, Chart
from parindex.results import queries
from parindex.rounds.models import Round

SHOWN = 3


def top_and_bottom(user: Any) -> list[Chart]:
    """Top and bottom units of each unit type in the newest published round."""
    if not permissions.has(user, "view_results"):
        return []
    round_ = Round.objects.filter(snapshot__isnull=False).order_by("-year", "-pk").first()
    if round_ is None:
        return []
    results = queries.round_results(round_)
    charts = []
    for type_results in results.types.values():
        ranked = type_results.ranked()
        if not ranked:
            continue
        shown = ranked if len(ranked) <= 2 * SHOWN else ranked[:SHOWN] + ranked[-SHOWN:]
        bars = []
        for code in shown:
            score = type_results.score(code)
            rank = type_results.scores.ranks[code]
            bars.append(
                Bar(
                    label=type_results.units[code].name,
                    value=float(score.index_percent),
                    total=100,
                    text=f"{format_number(score.index_percent)}% · "
                    + _("rank %(rank)d") % {"rank": rank},
                    note=str(score.band.name) if score.band else "",
                    url=reverse("results:unit", args=[round_.pk, code]),
                )
            )
        charts.append(
            Chart(
                title=_("%(round)s · %(type)s: top and bottom units")
                % {"round": round_.code, "type": type_results.name},
                bars=tuple(bars),
            )
        )
    return charts
