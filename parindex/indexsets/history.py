"""Index sets' audited actions in words (sets, versions, criteria).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register

# What an import did to the set (the `action` an `indexset.imported` entry keeps).
IMPORT_ACTIONS = {
    "created": _("a new index set"),
    "new_version": _("a new version"),
    "draft_replaced": _("replaced the draft"),
}


def imported(entry: Any) -> str:
    """An import in words: "version 2, a new version"."""
    new = entry.new if isinstance(entry.new, dict) else {}
    parts = []
    if new.get("version") is not None:
        parts.append(_("version %(version)s") % {"version": new["version"]})
    if new.get("action") in IMPORT_ACTIONS:
        parts.append(str(IMPORT_ACTIONS[new["action"]]))
    return ", ".join(parts)


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "indexset.imported": _("imported the index set %(object)s"),
            "indexset.cloned": _("copied the index set %(object)s"),
            "indexset.details_changed": _("changed the details of the index set %(object)s"),
            "indexset.discarded": _("discarded the draft index set %(object)s"),
            "indexset.published": _("published the index set %(object)s"),
            "indexset.version_started": _("started a new version of the index set %(object)s"),
            "criterion.added": _("added the criterion %(object)s"),
            "criterion.changed": _("changed the criterion %(object)s"),
            "criterion.deleted": _("deleted the criterion %(object)s"),
            "criterion.moved": _("moved the criterion %(object)s"),
        },
        details={"indexset.imported": imported},
        fields={
            "action": _("action"),
            "codes": _("codes"),
            "criteria": _("criteria"),
            "direction": _("direction"),
            "from": _("made from"),
            "from_version": _("from version"),
            "guidance": _("guidance"),
            "input": _("input"),
            "max_points": _("maximum points"),
            "not_applicable": _("not applicable"),
            "owner": _("criterion owner"),
            "rule": _("scoring rule"),
            "source": _("source"),
            "valid_from": _("valid from"),
            "version": _("version"),
        },
    )
