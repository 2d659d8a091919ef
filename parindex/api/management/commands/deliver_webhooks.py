"""`parindex webhooks deliver`: queue the next attempt of every waiting webhook delivery.

Deliveries are background jobs that queue their own retries (`parindex worker` runs them); no
cron is needed. This command is for when the job queue was down or a delivery was written
behind the services' back: attempts already queued are found by their key and left alone.
"""

from __future__ import annotations

from typing import Any

from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = "Queue the next attempt of every waiting webhook delivery (already queued: unchanged)."

    def handle(self, *args: Any, **options: Any) -> None:
        from parindex.api import webhooks

        count = webhooks.enqueue_pending()
        self.stdout.write(f"webhooks: {count} waiting delivery(ies) queued for the workers")
