"""Reads of the API pages: tokens, endpoints and their delivery log, for the office only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.api.models import Delivery, Endpoint, Token


def require_manager(user: Any) -> None:
    """Tokens and webhooks are the office's (admin, PAR officer); 403 for anyone else."""
    if not permissions.has(user, "manage_api"):
        raise PermissionDenied


def tokens() -> QuerySet[Token]:
    return Token.objects.select_related("created_by", "revoked_by").prefetch_related("units")


def get_token_for_manager(user: Any, pk: int) -> Token:
    require_manager(user)
    return get_object_or_404(Token, pk=pk)


def endpoints() -> QuerySet[Endpoint]:
    return Endpoint.objects.order_by("name")


def get_endpoint_for_manager(user: Any, pk: int) -> Endpoint:
    require_manager(user)
    return get_object_or_404(Endpoint, pk=pk)


def deliveries(endpoint: Endpoint, status: str = "") -> QuerySet[Delivery]:
    rows = endpoint.deliveries.order_by("-created_at", "-id")
    if status in Delivery.Status.values:
        rows = rows.filter(status=status)
    return rows


def get_delivery_for_manager(user: Any, pk: int) -> Delivery:
    require_manager(user)
    return get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)


def recent_calls(token: Token, limit: int = 20) -> list[Any]:
    """The token's last calls from the audit log."""
    from parindex.core.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            action="api.call", object_type="api.token", object_id=str(token.pk)
        ).order_by("-at", "-id")[:limit]
    )
