"""A fresh database knows the 63 provinces, the 2025 merger into 34 and common aliases.

The data lives in parindex/national/data/ (see its README). `name_key` is a pure function of a
string (no models), so importing it here does not tie the migration to today's models.
Reversing removes the seeded rows that no national table uses.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import migrations

from parindex.national.names import name_key

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed(apps, schema_editor):
    Province = apps.get_model("national", "Province")
    ProvinceAlias = apps.get_model("national", "ProvinceAlias")
    ProvinceMerger = apps.get_model("national", "ProvinceMerger")
    provinces = {}
    for row in _rows("provinces.csv"):
        provinces[row["name"]], _ = Province.objects.get_or_create(
            name=row["name"],
            defaults={
                "is_city": row["is_city"] == "true",
                "last_year": int(row["last_year"]) if row["last_year"] else None,
            },
        )
    for row in _rows("mergers.csv"):
        ProvinceMerger.objects.get_or_create(
            year=int(row["year"]),
            predecessor=provinces[row["predecessor"]],
            defaults={"successor": provinces[row["province"]]},
        )
    for row in _rows("aliases.csv"):
        ProvinceAlias.objects.get_or_create(
            key=name_key(row["alias"]),
            defaults={"alias": row["alias"], "province": provinces[row["province"]]},
        )


def unseed(apps, schema_editor):
    Province = apps.get_model("national", "Province")
    names = [row["name"] for row in _rows("provinces.csv")]
    Province.objects.filter(name__in=names, scores__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("national", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
