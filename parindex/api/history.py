"""The API's audited actions in words (tokens, calls, webhooks).

Registered with core's history (`core.history.register`) from `ApiConfig.ready()`. A webhook
delivery is named by its event's label and its endpoint's name, not by ids; the events of an
endpoint are worded by their labels.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parindex.core import history, registry
from parindex.core.history import register


def event_label(event: Any) -> str:
    """An event's label ("Results published"), else the value as stored."""
    from parindex.api.models import Endpoint

    labels = dict(Endpoint.Event.choices)
    return str(labels.get(event, event))


def delivery_names(ids: list[str]) -> dict[str, str]:
    """Deliveries by name: the event's label and the endpoint's name ("Results published → IOC")."""
    from parindex.api.models import Delivery

    numbers = [int(pk) for pk in ids if pk.isdigit()]
    rows = Delivery.objects.filter(pk__in=numbers).values_list("pk", "event", "endpoint__name")
    return {str(pk): f"{event_label(event)} → {name}" for pk, event, name in rows}


def token_created(entry: Any) -> str:
    """The scopes by their labels, the units and the expiry day."""
    from parindex.api.scopes import Scope

    new = entry.new if isinstance(entry.new, dict) else None
    if new is None or not isinstance(new.get("scopes"), list):
        return history.changes(entry.old, entry.new)
    labels = dict(Scope.choices)
    return history.pairs({**new, "scopes": [str(labels.get(s, s)) for s in new["scopes"]]})


def endpoint_created(entry: Any) -> str:
    """The URL and the events by their labels."""
    new = entry.new if isinstance(entry.new, dict) else None
    if new is None or not isinstance(new.get("events"), list):
        return history.changes(entry.old, entry.new)
    return gettext("URL: %(url)s; events: %(events)s") % {
        "url": history.plain(new.get("url")),
        "events": ", ".join(event_label(event) for event in new["events"]) or "—",
    }


def endpoint_active(entry: Any) -> str:
    """Paused or resumed."""
    if isinstance(entry.new, bool):
        return gettext("resumed") if entry.new else gettext("paused")
    return history.changes(entry.old, entry.new)


def register_texts() -> None:
    """Tell the history how to word this app's actions and name its deliveries."""
    registry.audit_objects.add(registry.AuditObjects("api.delivery", delivery_names))
    register(
        {
            "api.call": _("called the API with the token %(object)s"),
            # The audit log's object type of a call; listed so a stray entry still reads.
            "api.token": _("used the API token %(object)s"),
            "api.token_created": _("created the API token %(object)s"),
            "api.token_revoked": _("revoked the API token %(object)s"),
            "api.webhook_created": _("added the webhook endpoint %(object)s"),
            "api.webhook_active": _("paused or resumed the webhook endpoint %(object)s"),
            "api.webhook_replayed": _("sent the webhook delivery %(object)s again"),
        },
        details={
            "api.token_created": token_created,
            "api.webhook_created": endpoint_created,
            "api.webhook_active": endpoint_active,
        },
        fields={
            "method": _("method"),
            "path": _("path"),
            "url": _("URL"),
            "events": _("events"),
            "attempts": _("delivery attempts"),
            "scopes": _("scopes"),
            "units": _("units"),
            "expires_on": _("expires on"),
        },
    )
