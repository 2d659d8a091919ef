"""The audit trail in sentences people read: "Nguyễn Văn A adjusted criterion 1.5 of Sở Tư pháp
from 1 to 0,5; reason: …".

Core knows no app: each app registers, in `AppConfig.ready()`, an `AuditAction` per action it
records (`registry.audit_actions`), the names of its audited objects (`registry.audit_objects`)
and the labels of the keys in its old/new values (`registry.audit_field_labels`). Values are
worded here: answers ("0,5", "Đúng hạn", "80%", "không áp dụng"), dates, numbers, lists and
key-value pairs, never as raw dicts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from parindex.core import registry
from parindex.core.formatting import format_date, format_number
from parindex.core.models import AuditEntry

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Line:
    """One audit entry and its sentence."""

    entry: AuditEntry
    text: str


def find(action: str) -> registry.AuditAction | None:
    """The registered wording of an action: exact, else the longest matching family ("x.y_*")."""
    for entry in registry.audit_actions:
        if entry.action == action:
            return entry
    families = [
        entry
        for entry in registry.audit_actions
        if entry.action.endswith("*") and action.startswith(entry.action[:-1])
    ]
    return max(families, key=lambda entry: len(entry.action), default=None)


def actor_name(entry: AuditEntry) -> str:
    """Who did it: the person's full name (else login), or the system."""
    if entry.actor is None:
        return _("The system")
    return str(entry.actor)


def number(text: Any) -> str:
    """A number the Vietnamese way (0,5; 1.234,5), without needless trailing zeros."""
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return str(text)
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_number(value, min(places, 2))


def plain(value: Any) -> str:
    """A stored value in words: answers, numbers, dates, lists and key-value pairs."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, str):
        if NUMBER.match(value):
            return number(value)
        if ISO_DATE.match(value):
            return format_date(dt.date.fromisoformat(value))
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(plain(item) for item in value) or "—"
    if isinstance(value, dict):
        return answer_text(value) or pairs(value)
    return str(value)


def answer_text(value: dict[str, Any]) -> str:
    """An answer as stored by assessments ({"points": "0.5"}, {"choice": …}, …), else ""."""
    if value.get("na") is True and len(value) == 1:
        return _("not applicable")
    if len(value) != 1:
        return ""
    ((key, item),) = value.items()
    if key == "points":
        return number(item)
    if key == "choice":
        return str(item)
    if key == "percent":
        return f"{number(item)}%"
    if key == "count":
        return number(item)
    if key == "ratio" and isinstance(item, list) and len(item) == 2:
        return f"{number(item[0])}/{number(item[1])}"
    return ""


def label(key: str) -> str:
    """The label of a key in audited values (registered by the apps), else the key in words."""
    known = registry.audit_field_labels.get(key)
    return str(known) if known else key.replace("_", " ")


def keyed(key: str, value: Any) -> str:
    """A stored value under its key in words: a year or a version is a name, not a quantity
    (2025, never 2.025; version 1.4, never 1,4), else `plain`."""
    if key.endswith(("year", "version")) and isinstance(value, (int, str)):
        return str(value)
    return plain(value)


def pairs(value: dict[str, Any]) -> str:
    """Key-value pairs in words: "unit: HOME; area: 1"."""
    return "; ".join(f"{label(key)}: {keyed(key, item)}" for key, item in value.items()) or "—"


def changes(old: Any, new: Any) -> str:
    """What changed between two stored values, in words ("" when there is nothing to say)."""
    if isinstance(new, dict) and not answer_text(new) and isinstance(old, (dict, type(None))):
        before = old or {}
        parts = []
        for key, after in new.items():
            if key not in before:
                if after not in (None, ""):
                    parts.append(f"{label(key)}: {keyed(key, after)}")
            elif before[key] != after:
                parts.append(
                    _("%(field)s from %(old)s to %(new)s")
                    % {
                        "field": label(key),
                        "old": keyed(key, before[key]),
                        "new": keyed(key, after),
                    }
                )
        return "; ".join(parts)
    if isinstance(old, dict) and new is None and not answer_text(old):
        return _("was %(old)s") % {"old": pairs(old)}
    if old in (None, "") and new in (None, ""):
        return ""
    if old in (None, ""):
        return plain(new)
    if new in (None, ""):
        return _("was %(old)s") % {"old": plain(old)}
    return _("from %(old)s to %(new)s") % {"old": plain(old), "new": plain(new)}


def sentence(entry: AuditEntry, object_name: str = "") -> str:
    """The entry as one sentence: who, did what to what, what changed, and why."""
    wording = find(entry.action)
    name = object_name or entry.object_repr
    if wording is None:
        what = _("recorded “%(action)s” on %(object)s") % {"action": entry.action, "object": name}
        detail = changes(entry.old, entry.new)
    else:
        what = str(wording.text) % {"object": name}
        detail = wording.detail(entry) if wording.detail else changes(entry.old, entry.new)
    text = f"{actor_name(entry)} {what}"
    if detail:
        text += f": {detail}"
    if entry.reason:
        text += _("; reason: %(reason)s") % {"reason": entry.reason}
    return text


def object_names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """The names of the entries' objects, asked of the apps once per object type."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names: dict[tuple[str, str], str] = {}
    for source in registry.audit_objects:
        ids = wanted.get(source.object_type)
        if ids:
            for object_id, name in source.names(sorted(ids)).items():
                names[(source.object_type, object_id)] = name
    return names


def describe(entries: Any) -> list[Line]:
    """The entries (a page of them) with their sentences, in a few queries."""
    entries = list(entries)
    names = object_names(entries)
    return [
        Line(entry, sentence(entry, names.get((entry.object_type, entry.object_id), "")))
        for entry in entries
    ]


def register(
    texts: dict[str, Any],
    *,
    details: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> None:
    """Register an app's wording of its actions (`AppConfig.ready()`): verb phrases by action,
    optional `detail(entry)` functions by action, and the labels of its value keys."""
    for action, text in texts.items():
        detail = (details or {}).get(action)
        registry.audit_actions.add(registry.AuditAction(action=action, text=text, detail=detail))
    registry.audit_field_labels.update(fields or {})


def core_texts() -> None:
    """Core's own actions."""
    from django.utils.translation import gettext_lazy as __

    register(
        {"setting.changed": __("changed the setting %(object)s")},
        fields={
            "agency": __("agency"),
            "place": __("place"),
            "signer": __("signer"),
            "unit": __("unit"),
            "area": __("area"),
            "appraiser": __("appraiser"),
            "title": __("title"),
            "number": __("number"),
            "name": __("name"),
            "code": __("code"),
            "email": __("email"),
            "size": __("size (bytes)"),
            "sha256": __("SHA-256"),
            "address": __("address"),
            "recovery_codes": __("recovery codes"),
            "recovery_codes_left": __("recovery codes left"),
            "enrolled": __("enrolled"),
            "active_to": __("active until"),
            "full_name": __("full name"),
            "is_active": __("active"),
            "year": __("year"),
            # The documents' letterhead (setting.changed), in the words of its settings form.
            "parent_agency": __("parent agency"),
            "agency_code": __("agency code"),
            "signer_title": __("signer's title"),
            "signer_name": __("signer's name"),
            "province": __("province"),
            "province_level": __("province or city"),
            "decision_signer_title": __("title of who signs decisions"),
            "decision_signer_name": __("name of who signs decisions"),
        },
    )
