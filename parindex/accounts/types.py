"""The user types that views, queries and permissions pass around."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from parindex.accounts.models import User

# Who a request comes from: a signed-in user or an anonymous visitor (`request.user`).
AnyUser: TypeAlias = User | AnonymousUser

__all__ = ["AnyUser", "User"]
