"""The inbox: a user's messages."""

from __future__ import annotations

from django.db.models import QuerySet

from parindex.accounts.models import User


def unread_count(user: User) -> int:
    """How many inbox messages the user has not read."""
    from parindex.assessments.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user: User, *, unread_only: bool = False) -> QuerySet:
    """The user's messages, newest first."""
    from parindex.assessments.models import Notification

    messages = Notification.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")
