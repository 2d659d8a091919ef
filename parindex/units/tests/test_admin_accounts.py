"""Finding 1 through the unit registry: a unit's page cannot hand an admin a unit role."""

from __future__ import annotations

import pytest

from parindex.conftest import refuses
from parindex.units.services import registry

pytestmark = pytest.mark.django_db


def test_account_takeover_through_the_unit_registry_is_refused(par_officer, admin, home_unit):
    with refuses("account.admin_only"):
        registry.grant_unit_role(
            by=par_officer,
            unit=home_unit,
            user=admin,
            role="unit_editor",
            day=home_unit.active_from,
        )
    assert list(admin.role_assignments.values_list("role", flat=True)) == ["admin"]
