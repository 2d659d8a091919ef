"""The national index's audited actions in words (tables, the Ministry's points).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "national_table.imported": _("imported the national table %(object)s"),
            "national_table.replaced": _("replaced the national table %(object)s"),
            "national_table.areas_changed": _("changed the areas of the national table %(object)s"),
            "appraised_points.imported": _("imported the Ministry's points for %(object)s"),
            "appraised_points.replaced": _("replaced the Ministry's points for %(object)s"),
            "province_alias.added": _("added the province name %(object)s"),
            "province_alias.deleted": _("deleted the province name %(object)s"),
        },
        fields={
            "alias": _("alias"),
            "average": _("average"),
            "lost": _("points lost"),
            "provinces": _("provinces"),
        },
    )
