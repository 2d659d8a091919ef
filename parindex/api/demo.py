"""Demo integrations: an API token for the province's document-management system, and the
operations centre's webhook endpoint with a few deliveries in its log.

The demo token's secret is fixed (like the demo passwords) so that `make demo` can print it and
docs/api.md's curl examples work against the demo as they are.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from parindex.accounts.models import User
from parindex.api import services, webhooks
from parindex.api.models import Delivery, Endpoint, Token
from parindex.api.scopes import Scope

DEMO_CLIENT = "Hệ thống quản lý văn bản (minh họa)"
DEMO_SECRET = "pix_demo0001_" + "DemoTokenForTheIllustrativeProvinceOnly00"
DEMO_ENDPOINT = "Trung tâm điều hành IOC (minh họa)"
# Nothing listens there: new deliveries in the demo fail and are retried, as they would.
DEMO_URL = "http://127.0.0.1:9/parindex-webhooks"


def load(world: SimpleNamespace) -> None:
    """Create the demo token and endpoint once (a database that has them is left alone)."""
    if Token.objects.filter(name=DEMO_CLIENT).exists():
        return
    officer = User.objects.get(username="cchc")
    created = services.create_token(
        by=officer,
        name=DEMO_CLIENT,
        scopes=[scope.value for scope in Scope if scope != Scope.READ_PROVISIONAL],
        expires_on=timezone.localdate() + dt.timedelta(days=365),
    )
    # The fixed demo secret instead of a random one (demo data only).
    Token.objects.filter(pk=created.token.pk).update(
        prefix="demo0001", key_sha256=services.key_digest(DEMO_SECRET)
    )
    endpoint = services.create_endpoint(
        by=officer, name=DEMO_ENDPOINT, url=DEMO_URL, events=Endpoint.Event.values
    )
    _past_deliveries(endpoint, world)


def _past_deliveries(endpoint: Endpoint, world: SimpleNamespace) -> None:
    """A few deliveries of the kinds the log shows: delivered, retried, failed."""
    now = timezone.now()
    round_ = getattr(world, "published_round", None)
    code = round_.code if round_ is not None else "DEMO"
    rows = [
        Delivery(
            endpoint=endpoint,
            event=Endpoint.Event.PUBLISHED,
            key=f"published:{code}",
            payload={"event": "results.published", "round": code},
            status=Delivery.Status.DELIVERED,
            attempts=1,
            response_status=200,
            delivered_at=now - dt.timedelta(days=3),
        ),
        Delivery(
            endpoint=endpoint,
            event=Endpoint.Event.ASSESSMENT,
            key="assessment:demo-1",
            payload={"event": "assessment.status_changed", "unit": "STP", "status": "submitted"},
            status=Delivery.Status.DELIVERED,
            attempts=2,
            response_status=204,
            delivered_at=now - dt.timedelta(days=1),
        ),
        Delivery(
            endpoint=endpoint,
            event=Endpoint.Event.OVERDUE,
            key="overdue:demo-1",
            payload={"event": "task.overdue", "unit": "STP", "task": "2.1"},
            status=Delivery.Status.FAILED,
            attempts=6,
            error="[Errno 111] Connection refused",
        ),
        Delivery(
            endpoint=endpoint,
            event=Endpoint.Event.OVERDUE,
            key="overdue:demo-2",
            payload={"event": "task.overdue", "unit": "SYT", "task": "1.2"},
            status=Delivery.Status.PENDING,
            attempts=2,
            response_status=503,
            error="HTTP 503",
            next_attempt_at=now + dt.timedelta(minutes=25),
        ),
    ]
    Delivery.objects.bulk_create(rows)
    webhooks.enqueue_pending()  # the waiting one's next attempt, a job for its time


def logins() -> list[tuple[str, str]]:
    """The demo API token, printed with the logins by `parindex demo`."""
    return [(DEMO_SECRET, "API token (Bearer) of the demo document-management system")]
