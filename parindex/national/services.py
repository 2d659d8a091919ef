"""Writes for the national PAR Index: tables, areas, aliases, settings and appraised points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from parindex.accounts.types import User
from parindex.core import audit
from parindex.core import services as core_services
from parindex.national import queries
from parindex.national.analysis import Group, round2
from parindex.national.importing import AppraisedRow, ParsedTables
from parindex.national.models import (
    AppraisedCriterion,
    NationalArea,
    NationalScore,
    NationalTable,
    Province,
    ProvinceAlias,
)
from parindex.national.names import name_key

# The areas of the provincial index (Decision 876/QĐ-BNV); a year's names are edited afterwards.
DEFAULT_AREA_NAMES = {
    "1": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "2": "Cải cách thể chế",
    "3": "Cải cách thủ tục hành chính",
    "4": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "5": "Cải cách chế độ công vụ",
    "6": "Cải cách tài chính công",
    "7": "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "8": "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
}


class NeedsConfirmation(Exception):
    """The import would replace data already saved; it runs only when the user confirms."""

    def __init__(self, years: list[int]) -> None:
        super().__init__(", ".join(str(year) for year in years))
        self.years = years


@dataclass
class TablesReport:
    """What an import of national tables did (or, on a dry run, would do)."""

    created: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    rows: int = 0


def _summary(rows: Sequence[Any], source_name: str) -> dict[str, Any]:
    values = [row.index_percent for row in rows]
    average = round2(sum(values, Decimal(0)) / len(values)) if values else None
    return {"provinces": len(values), "average": average, "source": source_name}


def _sync_areas(table: NationalTable, codes: list[str]) -> None:
    """Keep the year's area names for codes still present; name new ones from the latest year."""
    current = {area.code: area for area in table.areas.all()}
    table.areas.exclude(code__in=codes).delete()
    templates: dict[str, NationalArea] = {}
    for area in (
        NationalArea.objects.filter(code__in=codes).exclude(table=table).order_by("table__year")
    ):
        templates[area.code] = area
    for order, code in enumerate(codes, start=1):
        if code in current:
            area = current[code]
            if area.order != order:
                area.order = order
                area.save(update_fields=["order"])
            continue
        template = templates.get(code)
        NationalArea.objects.create(
            table=table,
            code=code,
            order=order,
            name=template.name if template else DEFAULT_AREA_NAMES.get(code, f"Lĩnh vực {code}"),
            max_points=template.max_points if template else None,
            lead=template.lead if template else "",
        )


@transaction.atomic
def import_national_tables(
    *,
    by: User | None,
    parsed: ParsedTables,
    replace: bool = False,
    dry_run: bool = False,
    reason: str = "",
) -> TablesReport:
    """Save the checked national tables, one per year; a year already saved is replaced only
    when `replace` is given (otherwise NeedsConfirmation). Every year's import is audited."""
    existing = {table.year: table for table in NationalTable.objects.filter(year__in=parsed.years)}
    if existing and not replace and not dry_run:
        raise NeedsConfirmation(sorted(existing))
    report = TablesReport()
    for year in sorted(parsed.years):
        rows = parsed.years[year]
        table = existing.get(year)
        old = None
        if table is not None:
            previous_rows = list(table.scores.all())
            old = _summary(previous_rows, table.source_name)
            table.scores.all().delete()
            table.source_name = parsed.source_name
            table.imported_by = by if getattr(by, "is_authenticated", False) else None
            table.save(update_fields=["source_name", "imported_by", "updated_at"])
            report.replaced.append(year)
        else:
            table = NationalTable.objects.create(
                year=year,
                source_name=parsed.source_name,
                imported_by=by if getattr(by, "is_authenticated", False) else None,
            )
            report.created.append(year)
        _sync_areas(table, parsed.area_codes)
        NationalScore.objects.bulk_create(
            NationalScore(
                table=table,
                province_id=row.province_id,
                index_percent=row.index_percent,
                area_percents={
                    code: None if value is None else str(value) for code, value in row.areas.items()
                },
            )
            for row in rows
        )
        report.rows += len(rows)
        audit.record(
            table,
            "national_table.replaced" if old else "national_table.imported",
            by=by,
            old=old,
            new=_summary(rows, parsed.source_name),
            reason=reason,
        )
    if dry_run:
        transaction.set_rollback(True)
    return report


@dataclass(frozen=True)
class AreaChange:
    """The edited name, maximum points and leading department of one area."""

    code: str
    name: str
    max_points: Decimal | None
    lead: str


@transaction.atomic
def update_areas(*, by: User | None, table: NationalTable, changes: Sequence[AreaChange]) -> None:
    """Rename a year's areas, set their maximum points and leading departments; audited."""
    areas = {area.code: area for area in table.areas.all()}
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for change in changes:
        area = areas[change.code]
        values = {"name": change.name, "max_points": change.max_points, "lead": change.lead}
        before, after = audit.changes(area, list(values), values)
        if not after:
            continue
        for name, value in values.items():
            setattr(area, name, value)
        area.save(update_fields=list(values))
        old[change.code], new[change.code] = before, after
    if new:
        audit.record(table, "national_table.areas_changed", by=by, old=old, new=new)


@transaction.atomic
def add_alias(*, by: User | None, alias: str, province: Province) -> ProvinceAlias:
    """Let the imports recognise another spelling of a province's name."""
    created = ProvinceAlias.objects.create(
        alias=alias.strip(), key=name_key(alias), province=province
    )
    audit.record(
        created, "province_alias.added", by=by, new={"alias": alias, "province": province.name}
    )
    return created


@transaction.atomic
def delete_alias(*, by: User | None, alias: ProvinceAlias) -> None:
    """Stop recognising a spelling of a province's name."""
    audit.record(
        alias,
        "province_alias.deleted",
        by=by,
        old={"alias": alias.alias, "province": alias.province.name},
    )
    alias.delete()


@transaction.atomic
def set_our_province(*, by: User | None, province: Province) -> None:
    """Choose the province whose place in the national index the analysis is about."""
    core_services.set_setting(key=queries.OUR_PROVINCE_SETTING, value=province.name, by=by)


@transaction.atomic
def set_groups(*, by: User | None, groups: Sequence[Group]) -> None:
    """Change the group thresholds (A from 90%, B from 80%, C from 70% as published)."""
    value = [{"code": group.code, "min_percent": str(group.min_percent)} for group in groups]
    core_services.set_setting(key=queries.GROUPS_SETTING, value=value, by=by)


@transaction.atomic
def import_appraised(
    *,
    by: User | None,
    province: Province,
    year: int,
    rows: Sequence[AppraisedRow],
    replace: bool = False,
    dry_run: bool = False,
    source_name: str = "",
) -> int:
    """Save the Ministry's appraised points of a province's criteria for a year (all or nothing);
    points already saved for that year are replaced only with `replace`. Audited."""
    existing = AppraisedCriterion.objects.filter(year=year, province=province)
    old_count = existing.count()
    if old_count and not replace and not dry_run:
        raise NeedsConfirmation([year])
    old = (
        {"year": year, "criteria": old_count, "lost": str(queries.appraised_lost_total(existing))}
        if old_count
        else None
    )
    existing.delete()
    AppraisedCriterion.objects.bulk_create(
        AppraisedCriterion(
            year=year,
            province=province,
            criterion_code=row.code,
            criterion_name=row.name,
            max_points=row.max_points,
            points=row.points,
            owner=row.owner,
            order=order,
        )
        for order, row in enumerate(rows, start=1)
    )
    lost = sum((row.max_points - row.points for row in rows), Decimal(0))
    audit.record(
        province,
        "appraised_points.replaced" if old else "appraised_points.imported",
        by=by,
        old=old,
        new={"year": year, "criteria": len(rows), "lost": str(lost), "source": source_name},
    )
    if dry_run:
        transaction.set_rollback(True)
    return len(rows)
