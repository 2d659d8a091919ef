"""Accounts for `parindex bench`, made through the user service.

Not test code: the benchmarks run on an install without the development tools.
"""

from __future__ import annotations

from django.db.models import Model

from parindex.accounts import services
from parindex.accounts.models import Role, User


def user_with_role(username: str, role: Role, unit: Model | None = None) -> User:
    """An account holding one role (for `unit`, a units.Unit, when the role is a unit role), with
    no password."""
    roles = {(role.value, unit.pk if unit else None)}
    return services.create_user(by=None, username=username, full_name="", email="", roles=roles)
