"""Units' audited actions in words (units, unit types, peer groups, reorganisations).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "unit.created": _("created the unit %(object)s"),
            "unit.updated": _("changed the unit %(object)s"),
            "unit.renamed": _("renamed the unit %(object)s"),
            "unit.moved": _("moved the unit %(object)s"),
            "unit.merged": _("merged the unit %(object)s into another"),
            "unit.split": _("split the unit %(object)s"),
            "unit.retired": _("retired the unit %(object)s"),
            "unit.took_over": _("recorded that %(object)s took over another unit"),
            "unit.account_added": _("gave an account a role in %(object)s"),
            "unit.account_removed": _("took an account's role in %(object)s away"),
            "unit_type.created": _("created the unit type %(object)s"),
            "unit_type.updated": _("changed the unit type %(object)s"),
            "peer_group.created": _("created the peer group %(object)s"),
            "peer_group.updated": _("changed the peer group %(object)s"),
            "reorganisation.*": _("recorded a reorganisation of %(object)s"),
        },
        fields={
            "active_from": _("active from"),
            "contact_email": _("contact e-mail"),
            "contact_name": _("contact person"),
            "effective_date": _("effective date"),
            "order": _("order"),
            "parent": _("parent"),
            "peer_group": _("peer group"),
            "predecessors": _("predecessor"),
            "successors": _("successor"),
            "role": _("role"),
            "unit_type": _("unit type"),
            "legal_basis": _("legal basis"),
        },
    )
