"""Reorganisations: each kind changes the registry as the law says, is audited, and refuses what
cannot be (a unit already ended, a loop of parents, an event before a later one…)."""

from __future__ import annotations

import datetime as dt

import pytest

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.units import services
from parindex.units.models import Reorganisation, ReorganisationUnit, Unit
from parindex.units.tests.factories import PeerGroupFactory, make_unit, unit_type

pytestmark = pytest.mark.django_db

JULY = dt.date(2025, 7, 1)
MARCH = dt.date(2025, 3, 1)
BASIS = "Nghị quyết số 1699/NQ-UBTVQH15"


@pytest.fixture
def province():
    return make_unit("HT", "TINH", name="Tỉnh Hà Thanh")


@pytest.fixture
def communes(province):
    return [make_unit(code, parent=province) for code in ("XA-A", "XA-B", "XA-C")]


def roles_of(event: Reorganisation) -> tuple[list[str], list[str]]:
    links = ReorganisationUnit.objects.filter(reorganisation=event).select_related("unit")
    before = sorted(link.unit.code for link in links if link.role == "before")
    after = sorted(link.unit.code for link in links if link.role == "after")
    return before, after


def test_merge_into_a_new_unit_ends_the_merged_units_and_creates_the_result(
    par_officer, province, communes
):
    ward = services.NewUnit(
        code="P-MOI",
        name="UBND phường Mới",
        unit_type=unit_type("XA"),
        parent=province,
        peer_group=PeerGroupFactory(code="PHUONG"),
    )
    event = services.merge_units(
        by=par_officer,
        predecessors=communes,
        new_unit=ward,
        effective_date=JULY,
        legal_basis=BASIS,
    )
    assert event.kind == Reorganisation.Kind.MERGE
    assert roles_of(event) == (["XA-A", "XA-B", "XA-C"], ["P-MOI"])
    created = Unit.objects.get(code="P-MOI")
    assert created.active_from == JULY and created.parent == province
    assert created.peer_group.code == "PHUONG"
    for unit in communes:
        unit.refresh_from_db()
        assert unit.active_to == JULY
        assert unit.is_active_on(JULY - dt.timedelta(days=1)) and not unit.is_active_on(JULY)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reorganisation.merge", "unit.merged", "unit.created"} <= actions
    entry = AuditEntry.objects.get(action="reorganisation.merge")
    assert entry.actor == par_officer
    assert entry.new["predecessors"] == ["XA-A", "XA-B", "XA-C"]


def test_merge_into_an_existing_unit_keeps_it(par_officer, communes):
    absorbing, *absorbed = communes
    event = services.merge_units(
        by=par_officer,
        predecessors=absorbed,
        successor=absorbing,
        effective_date=JULY,
        legal_basis=BASIS,
    )
    assert roles_of(event) == (["XA-B", "XA-C"], ["XA-A"])
    absorbing.refresh_from_db()
    assert absorbing.active_to is None
    took_over = AuditEntry.objects.get(action="unit.took_over")
    assert took_over.object_id == str(absorbing.pk)
    assert took_over.new == {"predecessors": ["XA-B", "XA-C"]}


def test_merge_refuses_a_unit_already_ended_on_that_date(par_officer, province, communes):
    first, second, third = communes
    services.retire_unit(by=par_officer, unit=first, effective_date=MARCH, legal_basis=BASIS)
    with refuses("reorganisation.invalid") as refused:
        services.merge_units(
            by=par_officer,
            predecessors=[first, second],
            successor=third,
            effective_date=JULY,
            legal_basis=BASIS,
        )
    assert refused.value.codes == ["reorganisation.unit_ended"]
    assert "XA-A" in refused.value.problems[0] and "01/03/2025" in refused.value.problems[0]
    second.refresh_from_db()
    assert second.active_to is None
    assert Reorganisation.objects.filter(kind="merge").count() == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"predecessors": "A", "new_unit": True}, "reorganisation.too_few_units"),
        ({"predecessors": "AB"}, "reorganisation.no_result"),
        ({"predecessors": "AB", "successor": "A"}, "reorganisation.merged_into_itself"),
        (
            {"predecessors": "AB", "new_unit": True, "legal_basis": " "},
            "reorganisation.no_legal_basis",
        ),
        ({"predecessors": "AB", "new_unit": "XA-C"}, "unit.code_taken"),
    ],
    ids=["one-unit", "no-result", "result-among-merged", "no-legal-basis", "code-taken"],
)
def test_merge_lists_what_is_wrong(par_officer, province, communes, arguments, expected):
    by_letter = {unit.code[-1]: unit for unit in communes}
    kwargs = {
        "predecessors": [by_letter[letter] for letter in arguments["predecessors"]],
        "effective_date": JULY,
        "legal_basis": arguments.get("legal_basis", BASIS),
    }
    if "successor" in arguments:
        kwargs["successor"] = by_letter[arguments["successor"]]
    if arguments.get("new_unit"):
        code = arguments["new_unit"] if isinstance(arguments["new_unit"], str) else "P-MOI"
        kwargs["new_unit"] = services.NewUnit(code=code, name="Mới", unit_type=unit_type("XA"))
    with refuses("reorganisation.invalid") as refused:
        services.merge_units(by=par_officer, **kwargs)
    assert expected in refused.value.codes
    assert not Reorganisation.objects.exists()
    assert not Unit.objects.filter(active_to__isnull=False).exists()


def test_a_unit_with_existing_units_under_it_cannot_end(par_officer, province):
    district = make_unit("H-1", "HUYEN", parent=province)
    make_unit("XA-1", parent=district)
    with refuses("reorganisation.invalid") as refused:
        services.retire_unit(by=par_officer, unit=district, effective_date=JULY, legal_basis=BASIS)
    assert refused.value.codes == ["reorganisation.has_units_under"]


def test_reorganisations_are_recorded_in_date_order(par_officer, communes):
    first, second, third = communes
    services.rename_unit(
        by=par_officer, unit=first, new_name="Xã Mới", effective_date=JULY, legal_basis=BASIS
    )
    with refuses("reorganisation.invalid") as refused:
        services.merge_units(
            by=par_officer,
            predecessors=[first, second],
            successor=third,
            effective_date=MARCH,
            legal_basis=BASIS,
        )
    assert refused.value.codes[0] == "reorganisation.out_of_order"


def test_split_ends_the_unit_and_names_new_and_existing_successors(par_officer, province):
    old = make_unit("XA-CU", parent=province)
    neighbour = make_unit("XA-BEN", parent=province)
    event = services.split_unit(
        by=par_officer,
        predecessor=old,
        successors=[neighbour],
        new_units=[services.NewUnit(code="XA-TACH", name="Xã Tách", unit_type=unit_type("XA"))],
        effective_date=JULY,
        legal_basis=BASIS,
    )
    assert roles_of(event) == (["XA-CU"], ["XA-BEN", "XA-TACH"])
    old.refresh_from_db()
    assert old.active_to == JULY
    assert Unit.objects.get(code="XA-TACH").active_from == JULY


def test_split_needs_two_resulting_units(par_officer, province):
    old = make_unit("XA-CU", parent=province)
    with refuses("reorganisation.invalid") as refused:
        services.split_unit(
            by=par_officer,
            predecessor=old,
            new_units=[services.NewUnit(code="XA-1", name="Xã 1", unit_type=unit_type("XA"))],
            effective_date=JULY,
            legal_basis=BASIS,
        )
    assert refused.value.codes == ["reorganisation.too_few_units"]


def test_rename_keeps_the_unit_and_its_old_name_in_the_event(par_officer, communes):
    unit = communes[0]
    event = services.rename_unit(
        by=par_officer,
        unit=unit,
        new_name="UBND xã Tây Sơn",
        effective_date=JULY,
        legal_basis=BASIS,
    )
    unit.refresh_from_db()
    assert (unit.code, unit.name, unit.active_to) == ("XA-A", "UBND xã Tây Sơn", None)
    assert (event.old_name, event.new_name) == ("Đơn vị XA-A", "UBND xã Tây Sơn")
    assert roles_of(event) == (["XA-A"], ["XA-A"])
    entry = AuditEntry.objects.get(action="unit.renamed")
    assert entry.old == {"name": "Đơn vị XA-A"} and entry.reason == BASIS


def test_rename_refuses_the_same_name_and_a_future_date(par_officer, communes):
    unit = communes[0]
    with refuses("reorganisation.invalid") as refused:
        services.rename_unit(
            by=par_officer,
            unit=unit,
            new_name=unit.name,
            effective_date=dt.date(2999, 1, 1),
            legal_basis=BASIS,
        )
    assert refused.value.codes == ["reorganisation.same_name", "reorganisation.in_future"]


def test_move_places_the_unit_under_another_parent(par_officer, province):
    district = make_unit("H-1", "HUYEN", parent=province)
    commune = make_unit("XA-1", parent=district)
    event = services.move_unit(
        by=par_officer, unit=commune, new_parent=province, effective_date=JULY, legal_basis=BASIS
    )
    commune.refresh_from_db()
    assert commune.parent == province
    assert (event.old_parent, event.new_parent) == (district, province)
    # The district has nothing left under it, so it can now end.
    services.retire_unit(by=par_officer, unit=district, effective_date=JULY, legal_basis=BASIS)


def test_move_refuses_a_loop_and_a_parent_that_has_ended(par_officer, province):
    district = make_unit("H-1", "HUYEN", parent=province)
    commune = make_unit("XA-1", parent=district)
    with refuses("reorganisation.invalid") as refused:
        services.move_unit(
            by=par_officer,
            unit=district,
            new_parent=commune,
            effective_date=JULY,
            legal_basis=BASIS,
        )
    assert refused.value.codes[0] == "unit.under_itself"
    ended = make_unit("H-2", "HUYEN", parent=province, active_to=MARCH)
    with refuses("reorganisation.invalid") as refused:
        services.move_unit(
            by=par_officer, unit=commune, new_parent=ended, effective_date=JULY, legal_basis=BASIS
        )
    assert refused.value.codes == ["reorganisation.parent_absent"]


def test_retire_ends_the_unit_without_successor(par_officer, communes):
    unit = communes[0]
    event = services.retire_unit(by=par_officer, unit=unit, effective_date=JULY, legal_basis=BASIS)
    unit.refresh_from_db()
    assert unit.active_to == JULY
    assert roles_of(event) == (["XA-A"], [])
    with refuses("reorganisation.invalid") as refused:
        services.retire_unit(by=par_officer, unit=unit, effective_date=JULY, legal_basis=BASIS)
    assert refused.value.codes == ["reorganisation.unit_ended"]


def test_a_dry_run_checks_and_saves_nothing(par_officer, communes):
    services.reorganise(
        kind="retire",
        by=par_officer,
        dry_run=True,
        unit=communes[0],
        effective_date=JULY,
        legal_basis=BASIS,
    )
    communes[0].refresh_from_db()
    assert communes[0].active_to is None
    assert not Reorganisation.objects.exists() and not AuditEntry.objects.exists()
