from __future__ import annotations

import factory

from parindex.units.models import PeerGroup, Unit, UnitType


def unit_type(code: str = "SO") -> UnitType:
    """A standard unit type (made again when a transactional test flushed the migration's rows)."""
    return UnitType.objects.get_or_create(code=code, defaults={"name": code})[0]


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PG{n}")
    name = factory.Sequence(lambda n: f"Nhóm {n}")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    unit_type = factory.LazyFunction(unit_type)


def make_unit(code: str, type_code: str = "XA", parent: Unit | None = None, **extra) -> Unit:
    """A unit with a readable code and name (for lineage tests)."""
    return UnitFactory.create(
        code=code,
        name=extra.pop("name", f"Đơn vị {code}"),
        unit_type=unit_type(type_code),
        parent=parent,
        **extra,
    )
