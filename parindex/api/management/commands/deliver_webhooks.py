"""`parindex webhooks deliver`: send the webhook deliveries that are due (run it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (new ones and retries)."

    def handle(self, *args: Any, **options: Any) -> None:
        from parindex.api import webhooks

        counts = webhooks.deliver_due()
        self.stdout.write(
            "webhooks: {delivered} delivered, {pending} to retry, {failed} failed".format(**counts)
        )
