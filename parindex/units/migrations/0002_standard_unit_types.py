"""A fresh database has the standard unit types (DESIGN.md); more can be added as data."""

from __future__ import annotations

from django.db import migrations

STANDARD_TYPES = [
    ("TINH", "Tỉnh, thành phố", 10),
    ("SO", "Sở, ban, ngành cấp tỉnh", 20),
    ("TW", "Cơ quan Trung ương đóng trên địa bàn", 30),
    ("HUYEN", "UBND cấp huyện", 40),
    ("XA", "UBND cấp xã", 50),
]


def add_types(apps, schema_editor):
    UnitType = apps.get_model("units", "UnitType")
    for code, name, order in STANDARD_TYPES:
        UnitType.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def remove_types(apps, schema_editor):
    UnitType = apps.get_model("units", "UnitType")
    UnitType.objects.filter(code__in=[code for code, _, _ in STANDARD_TYPES], units__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
