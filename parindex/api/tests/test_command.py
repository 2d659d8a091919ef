"""`parindex webhooks deliver` sends what is due and says how it went."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from parindex.api import services
from parindex.api.models import Delivery, Endpoint


def test_the_command_tries_what_is_due_and_counts_it(par_officer):
    endpoint = services.create_endpoint(
        by=par_officer, name="Down", url="http://127.0.0.1:9/none", events=["task.overdue"]
    )
    Delivery.objects.create(
        endpoint=endpoint,
        event=Endpoint.Event.OVERDUE,
        key="k",
        payload={},
        next_attempt_at=timezone.now(),
    )
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    assert out.getvalue().strip() == "webhooks: 0 delivered, 1 to retry, 0 failed"
    assert Delivery.objects.get().attempts == 1
