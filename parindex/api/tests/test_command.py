"""`parindex webhooks deliver` queues every waiting delivery for the workers and says so."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from parindex.api import services
from parindex.api.models import Delivery, Endpoint


def test_the_command_queues_each_waiting_delivery_and_counts_them(par_officer):
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
    assert out.getvalue().strip() == "webhooks: 1 waiting delivery(ies) queued for the workers"
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.status) == (1, Delivery.Status.PENDING)  # refused: retried
