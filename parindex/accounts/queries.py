"""Reads for user management."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import OrderBy
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.accounts.models import RoleAssignment, User
from parindex.core.vietnamese_sql import vietnamese_order, words_in

USER_SORTS: dict[str, str | OrderBy] = {
    "username": "username",
    "-username": "-username",
    "name": vietnamese_order("full_name"),
    "-name": vietnamese_order("-full_name"),
    "login": "last_login",
    "-login": "-last_login",
}


def users_for_manager(
    manager: User,
    *,
    search: str = "",
    role: str = "",
    unit: str = "",
    active: str = "",
    sort: str = "username",
) -> QuerySet[User]:
    """Accounts a manager may see, filtered and sorted, with their roles prefetched."""
    if not permissions.can_manage_users(manager):
        raise PermissionDenied
    users = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit"))
    )
    if search:
        users = users.filter(words_in(search, "username", "full_name", "email"))
    if role:
        users = users.filter(role_assignments__role=role)
    if unit:
        users = users.filter(role_assignments__unit__code=unit)
    if active in ("yes", "no"):
        users = users.filter(is_active=active == "yes")
    return users.distinct().order_by(USER_SORTS.get(sort, "username"), "id")


def get_user_for_manager(manager: User, pk: int) -> User:
    """One account, for someone who may manage accounts (404 if missing, 403 otherwise)."""
    if not permissions.can_manage_users(manager):
        raise PermissionDenied
    return get_object_or_404(User, pk=pk)


def get_user_for_change(manager: User, pk: int) -> User:
    """One account that `manager` may change (403 for an administrator's, to non-administrators)."""
    account = get_user_for_manager(manager, pk)
    if not permissions.can_manage_account(manager, account):
        raise PermissionDenied
    return account
