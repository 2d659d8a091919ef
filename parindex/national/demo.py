"""Demo national tables 2021-2025 and the appraised points of "our province" (Hà Tĩnh).

The figures are invented but plausible, with real province names. They reproduce what is public
about Hà Tĩnh (the memo's province): 2022 85,95% rank 28/63, 20 places down from 2021, with the
three areas led by Sở Nội vụ up 4, 1 and 4 places; 2023 88,35% rank 18; 2024 89,72% rank 15;
and the published national averages 86,37% (2021), 86,98% (2023), 88,37% (2024). 2025 has the
34 provinces after the merger. Tables go through the same CSV import as a real file would
(older years spell "Thừa Thiên Huế", which the alias table resolves).
"""

from __future__ import annotations

import random
from decimal import Decimal
from types import SimpleNamespace

from parindex.documents import tables
from parindex.national import services
from parindex.national.analysis import HUNDRED
from parindex.national.importing import AppraisedRow, parse_tables
from parindex.national.models import NationalTable, Province, ProvinceMerger

OURS = "Hà Tĩnh"
CENT = Decimal("0.01")
# year -> (our index, our rank, national average). 2021 and 2025 for us, and the 2022 and 2025
# averages, are invented; the rest is public.
TARGETS: dict[int, tuple[Decimal, int, Decimal]] = {
    2021: (Decimal("89.08"), 8, Decimal("86.37")),
    2022: (Decimal("85.95"), 28, Decimal("84.92")),
    2023: (Decimal("88.35"), 18, Decimal("86.98")),
    2024: (Decimal("89.72"), 15, Decimal("88.37")),
    2025: (Decimal("90.46"), 9, Decimal("89.21")),
}
# Ranks of our province's areas where the memo fixes them: 2022 against 2021, areas led by
# Sở Nội vụ: direction +4, organisation +1, civil service +4.
AREA_RANKS = {2021: {"1": 24, "4": 15, "5": 20}, 2022: {"1": 20, "4": 14, "5": 16}}
AREAS = [  # code, maximum points (illustrative), leading department, mean offset from the index
    ("1", "8.00", "Sở Nội vụ", "1.5"),
    ("2", "9.50", "Sở Tư pháp", "0.5"),
    ("3", "13.00", "Văn phòng UBND tỉnh", "1.0"),
    ("4", "7.50", "Sở Nội vụ", "2.0"),
    ("5", "12.00", "Sở Nội vụ", "0.0"),
    ("6", "9.00", "Sở Tài chính", "-1.0"),
    ("7", "16.00", "Sở Khoa học và Công nghệ", "-2.5"),
    ("8", "25.00", "", "0.0"),
]
FREE_ORDER = [
    "8",
    "7",
    "3",
    "6",
    "2",
]  # areas adjusted (in this order) so areas add up to the index
CRITERIA = {  # area -> [(code, name, max points, responsible unit code)]
    "1": [
        ("1.1", "Kế hoạch cải cách hành chính năm", "2", "SNV"),
        ("1.2", "Báo cáo cải cách hành chính", "1", "SNV"),
        ("1.3", "Kiểm tra cải cách hành chính", "1.5", "SNV"),
        ("1.4", "Công tác thông tin, tuyên truyền cải cách hành chính", "1", "SNV"),
        ("1.5", "Sáng kiến, giải pháp mới trong cải cách hành chính", "1", "SNV"),
        ("1.6", "Thực hiện nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao", "1.5", "VPUBND"),
    ],
    "2": [
        ("2.1", "Xây dựng, ban hành văn bản quy phạm pháp luật", "3", "STP"),
        ("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "2", "STP"),
        ("2.3", "Kiểm tra, xử lý văn bản quy phạm pháp luật", "2", "STP"),
        ("2.4", "Theo dõi thi hành pháp luật", "2.5", "STP"),
    ],
    "3": [
        ("3.1", "Kiểm soát thủ tục hành chính", "2", "VPUBND"),
        ("3.2", "Công khai thủ tục hành chính", "2", "VPUBND"),
        ("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", "4", "VPUBND"),
        ("3.4", "Kết quả giải quyết thủ tục hành chính đúng hạn", "3", "VPUBND"),
        ("3.5", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "2", "VPUBND"),
    ],
    "4": [
        ("4.1", "Sắp xếp tổ chức bộ máy hành chính", "2.5", "SNV"),
        ("4.2", "Thực hiện quy định về quản lý biên chế", "2.5", "SNV"),
        ("4.3", "Thực hiện phân cấp, ủy quyền quản lý nhà nước", "2.5", "SNV"),
    ],
    "5": [
        ("5.1", "Vị trí việc làm và cơ cấu ngạch công chức", "3", "SNV"),
        ("5.2", "Tuyển dụng, sử dụng công chức, viên chức", "3", "SNV"),
        ("5.3", "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức", "3", "SNV"),
        ("5.4", "Kỷ luật, kỷ cương hành chính", "3", "SNV"),
    ],
    "6": [
        ("6.1", "Quản lý, sử dụng kinh phí ngân sách nhà nước", "3", "STC"),
        ("6.2", "Cơ chế tự chủ của đơn vị sự nghiệp công lập", "3", "STC"),
        ("6.3", "Giải ngân vốn đầu tư công", "3", "STC"),
    ],
    "7": [
        ("7.1", "Nền tảng, hệ thống thông tin phục vụ chính quyền số", "4", "SKHCN"),
        ("7.2", "Cung cấp dịch vụ công trực tuyến", "5", "SKHCN"),
        ("7.3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "4", "VPUBND"),
        ("7.4", "Bảo đảm an toàn thông tin mạng", "3", "SKHCN"),
    ],
    # The Ministry's sociological survey: the survey leaves of the province's central index set
    # (indexsets/samples/tinh-2024.yaml), which is how the survey view finds them.
    "8": [
        ("8.1.1", "Mức độ hài lòng đối với việc cung cấp dịch vụ hành chính công", "5", "VPUBND"),
        ("8.1.2", "Mức độ hài lòng đối với việc cung ứng dịch vụ y tế công", "3", "SYT"),
        ("8.1.3", "Mức độ hài lòng đối với việc cung ứng dịch vụ giáo dục công", "3", "SGDDT"),
        ("8.2.1", "Tác động đến tính minh bạch, trách nhiệm giải trình", "3", "SNV"),
        ("8.2.2", "Tác động đến hiệu lực, hiệu quả quản lý nhà nước", "3", "SNV"),
        (
            "8.2.3",
            "Mức độ hài lòng đối với việc xây dựng và tổ chức thực hiện chính sách",
            "3",
            "STP",
        ),
        ("8.3.1", "Tác động đến thu hút đầu tư và phát triển doanh nghiệp", "2.5", "STC"),
        ("8.3.2", "Tác động đến phát triển kinh tế - xã hội của tỉnh", "2.5", "STC"),
    ],
}
SPELLING_BEFORE_2025 = {"Huế": "Thừa Thiên Huế"}


def _d(value: float | Decimal | str) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _provinces(year: int) -> list[str]:
    provinces = Province.objects.order_by("name")
    if year >= 2025:
        return [p.name for p in provinces if p.last_year is None or p.last_year >= year]
    return [p.name for p in provinces]


def _skills(rng: random.Random) -> tuple[dict[str, float], dict[str, float]]:
    """A lasting strength per province (and per merged province), so ranks move plausibly."""
    skills = {p.name: rng.gauss(0, 2.2) for p in Province.objects.order_by("name")}
    parts: dict[str, list[float]] = {}
    for link in ProvinceMerger.objects.select_related("successor", "predecessor"):
        parts.setdefault(link.successor.name, []).append(skills[link.predecessor.name])
    return skills, {name: sum(values) / len(values) for name, values in parts.items()}


def _indices(
    year: int, rng: random.Random, skills: tuple[dict[str, float], dict[str, float]]
) -> dict[str, Decimal]:
    """A year's indices: ours at its published value and rank, the mean at the national average.

    The others are ordered by a lasting strength plus this year's luck; their values spread
    above ours up to the leader and below ours down to whatever bottom gives the average.
    """
    ours, rank, average = TARGETS[year]
    own, merged = skills
    names = [name for name in _provinces(year) if name != OURS]
    strength = {
        n: (merged.get(n, own[n]) if year >= 2025 else own[n]) + rng.gauss(0, 1.2) for n in names
    }
    ordered = sorted(names, key=strength.__getitem__, reverse=True)
    above, below = ordered[: rank - 1], ordered[rank - 1 :]
    top = min(Decimal("97.20"), average + Decimal("6.40"))
    ups = sorted((rng.uniform(0.03, 1.0) for _ in above), reverse=True)
    values = {n: _d(ours + (top - ours) * Decimal(str(u))) for n, u in zip(above, ups, strict=True)}
    if above:
        values[above[0]] = top
    downs = sorted(rng.uniform(0.02, 1.0) ** 1.3 for _ in below)
    needed = average * (len(names) + 1) - ours - sum(values.values())
    depth = (ours * len(below) - needed) / Decimal(str(sum(downs)))
    for name, down in zip(below, downs, strict=True):
        values[name] = min(ours - CENT, _d(ours - depth * Decimal(str(down))))
    # Two provinces share a rank (competition ranking then skips the next one).
    values[below[11]] = values[below[10]]
    # Rounding leaves a few hundredths: the bottom provinces absorb them.
    missing = average * (len(names) + 1) - ours - sum(values.values())
    steps = int(missing / CENT)
    for index in range(abs(steps)):
        name = below[-1 - index % 5]
        values[name] += CENT if steps > 0 else -CENT
    values[OURS] = ours
    return values


def _fit_areas(index: Decimal, areas: dict[str, Decimal], fixed: set[str]) -> dict[str, Decimal]:
    """Adjust the free areas so that their weighted sum gives the index (to a hundredth)."""
    maxima = {code: Decimal(max_points) for code, max_points, _lead, _offset in AREAS}
    for code in FREE_ORDER:
        if code in fixed:
            continue
        total = sum(areas[c] * maxima[c] / HUNDRED for c in areas)
        wanted = areas[code] + (index - total) * HUNDRED / maxima[code]
        areas[code] = _d(max(Decimal(55), min(HUNDRED, wanted)))
    return areas


def _areas_for(index: Decimal, rng: random.Random) -> dict[str, Decimal]:
    areas = {
        code: _d(min(100.0, float(index) + float(offset) + rng.gauss(0, 2.4)))
        for code, _max, _lead, offset in AREAS
    }
    return _fit_areas(index, areas, set())


def _place(rank: int, rows: dict[str, dict[str, Decimal]], code: str) -> Decimal:
    """A value of one area that ranks exactly `rank` among the other provinces' values."""
    ordered = sorted(rows, key=lambda name: rows[name][code], reverse=True)
    upper = rows[ordered[rank - 2]][code] if rank > 1 else HUNDRED + CENT
    for name in ordered[rank - 1 :]:  # make room below the province ranked just above
        rows[name][code] = min(rows[name][code], upper - 2 * CENT)
    lower = max(rows[name][code] for name in ordered[rank - 1 :])
    return min(HUNDRED, max(lower + CENT, min(upper - CENT, _d((upper + lower) / 2))))


def _table(
    year: int, rng: random.Random, skills: tuple[dict[str, float], dict[str, float]]
) -> dict[str, dict[str, Decimal]]:
    indices = _indices(year, rng, skills)
    rows = {name: _areas_for(value, rng) for name, value in indices.items() if name != OURS}
    ours: dict[str, Decimal] = {}
    fixed = AREA_RANKS.get(year, {})
    for code, _max, _lead, offset in AREAS:
        if code in fixed:
            ours[code] = _place(fixed[code], rows, code)
        else:
            ours[code] = _d(float(indices[OURS]) + float(offset) + rng.gauss(0, 1.5))
    rows[OURS] = _fit_areas(indices[OURS], ours, set(fixed))
    for name, value in indices.items():
        rows[name] = {"index": value, **rows[name]}
    return rows


def table_csv(year: int, rows: dict[str, dict[str, Decimal]]) -> bytes:
    """A year's table in the Ministry's wide CSV format."""
    table: list[list[object]] = [
        ["year", "province", "index_percent", *(f"area_{c}" for c, *_ in AREAS)]
    ]
    for name in sorted(rows, key=lambda n: -rows[n]["index"]):
        spelled = SPELLING_BEFORE_2025.get(name, name) if year < 2025 else name
        row = rows[name]
        table.append([year, spelled, row["index"], *(row[c] for c, *_ in AREAS)])
    return tables.write_csv(table)


def appraised_rows(areas: dict[str, Decimal], rng: random.Random) -> list[AppraisedRow]:
    """Our criteria's appraised points: each area's lost points spread over a few criteria; the
    survey criteria absorb rounding, so that the points lost add up to 100 minus the index."""
    rows: list[AppraisedRow] = []
    total_lost = HUNDRED - areas["index"]
    for code, max_points, _lead, _offset in AREAS:
        criteria = CRITERIA[code]
        lost = _d(Decimal(max_points) * (HUNDRED - areas[code]) / HUNDRED)
        losses = {c: Decimal(0) for c, *_ in criteria}
        if code == "8":  # survey criteria lose in proportion to their weight
            for c, _name, cmax, _owner in criteria:
                losses[c] = _d(lost * Decimal(cmax) / Decimal(max_points))
            losses[criteria[-1][0]] += lost - sum(losses.values())
        else:
            chosen = rng.sample(criteria, k=min(len(criteria), 1 + int(lost > 1) + int(lost > 2)))
            remaining = lost
            for c, _name, cmax, _owner in chosen:
                share = min(Decimal(cmax), (remaining / 2).quantize(Decimal("0.25")) or remaining)
                if c == chosen[-1][0]:
                    share = min(Decimal(cmax), remaining)
                losses[c] = share
                remaining -= share
            for c, _name, cmax, _owner in criteria:  # anything left goes where there is room
                room = Decimal(cmax) - losses[c]
                take = min(room, remaining)
                losses[c] += take
                remaining -= take
        if code == AREAS[-1][0]:
            losses[criteria[-1][0]] += (
                total_lost - sum(row.max_points - row.points for row in rows) - sum(losses.values())
            )
        for c, name, cmax, owner in criteria:
            maximum = Decimal(cmax)
            rows.append(AppraisedRow(0, c, name, maximum, _d(maximum - losses[c]), owner))
    return rows


def load(world: SimpleNamespace) -> None:
    """Import the demo national tables and our province's appraised points, once."""
    if NationalTable.objects.exists():
        return
    rng = random.Random(2022)
    skills = _skills(rng)
    tables = {year: _table(year, rng, skills) for year in TARGETS}
    for year, rows in tables.items():
        parsed = parse_tables(table_csv(year, rows), source_name=f"chi-so-cchc-{year}.csv")
        services.import_national_tables(by=None, parsed=parsed)
    for table in NationalTable.objects.all():
        services.update_areas(
            by=None,
            table=table,
            changes=[
                services.AreaChange(code, area.name, Decimal(max_points), lead)
                for (code, max_points, lead, _offset), area in zip(
                    AREAS, table.areas.order_by("order"), strict=True
                )
            ],
        )
    ours = Province.objects.get(name=OURS)
    for year, rows in tables.items():
        if year == 2021:
            continue
        services.import_appraised(
            by=None,
            province=ours,
            year=year,
            rows=appraised_rows(rows[OURS], rng),
            source_name=f"diem-tham-dinh-{year}.csv",
        )
    services.set_our_province(by=None, province=ours)
    world.national_years = sorted(tables)
