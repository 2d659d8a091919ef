"""Permission matrix entries for the unit registry's URLs: every role reads, the office changes."""

from __future__ import annotations

from parindex.accounts.models import Role
from parindex.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from parindex.core.tests.matrix import OFFICE, SIGNED_IN, Route
from parindex.units.tests.factories import PeerGroupFactory, unit_type

READERS = SIGNED_IN - {"outsider"}


def setup(world):
    world.unit_type = unit_type("XA")
    world.peer_group = PeerGroupFactory(code="PG-MATRIX")
    world.unit_member = UserFactory(username="unit-member")
    RoleAssignmentFactory(user=world.unit_member, role=Role.UNIT_EDITOR, unit=world.home_unit)


def _unit(world):
    return {"pk": world.home_unit.pk}


ROUTES = [
    Route("units:list", READERS),
    Route("units:tree", READERS),
    Route("units:tree_children", READERS, kwargs=_unit),
    Route("units:export", READERS),
    Route("units:import", OFFICE),
    Route("units:create", OFFICE),
    Route("units:unit_options", OFFICE),
    Route("units:detail", READERS, kwargs=_unit),
    Route("units:edit", OFFICE, kwargs=_unit),
    Route("units:lineage", READERS, kwargs=_unit),
    Route("units:account_new", OFFICE, kwargs=_unit),
    Route("units:account_grant", OFFICE, kwargs=_unit),
    Route(
        "units:account_revoke",
        OFFICE,
        kwargs=lambda w: {
            "pk": w.home_unit.pk,
            "user_id": w.unit_member.pk,
            "role": Role.UNIT_EDITOR.value,
        },
        method="post",
        ok=302,
    ),
    Route("units:reorganisation_list", READERS),
    Route("units:reorganise", OFFICE, kwargs=lambda w: {"kind": "merge"}),
    Route("units:type_list", OFFICE),
    Route("units:type_create", OFFICE),
    Route("units:type_edit", OFFICE, kwargs=lambda w: {"pk": w.unit_type.pk}),
    Route("units:peer_group_list", READERS),
    Route("units:peer_group_create", OFFICE),
    Route("units:peer_group_edit", OFFICE, kwargs=lambda w: {"pk": w.peer_group.pk}),
]
