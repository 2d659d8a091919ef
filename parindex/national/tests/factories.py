"""Test data for national tables: a year's table from {province: index} in a single call."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from parindex.national.models import NationalArea, NationalScore, NationalTable, Province


def make_table(
    year: int,
    indices: Mapping[str, str],
    areas: Mapping[str, Mapping[str, str | None]] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> NationalTable:
    """Save a national table: `indices` by province name, `areas` {province: {code: percent}}."""
    table = NationalTable.objects.create(year=year, source_name=f"test-{year}.csv")
    codes = sorted({code for values in (areas or {}).values() for code in values})
    for order, code in enumerate(codes, start=1):
        NationalArea.objects.create(
            table=table,
            code=code,
            order=order,
            name=(area_names or {}).get(code, f"Lĩnh vực {code}"),
        )
    provinces = {p.name: p for p in Province.objects.filter(name__in=indices)}
    NationalScore.objects.bulk_create(
        NationalScore(
            table=table,
            province=provinces[name],
            index_percent=Decimal(value),
            area_percents=dict((areas or {}).get(name, {})),
        )
        for name, value in indices.items()
    )
    return table
