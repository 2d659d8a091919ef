"""Demo units: Tỉnh Hà Thanh, an invented province, before and after the 2025 reorganisation.

Before 2025 it has 20 departments, 8 central agencies, 8 districts and 76 communes. In 2025 it
goes through what Vietnamese provinces went through: on 1 March departments merge (Kế hoạch và
Đầu tư into Tài chính, Giao thông vận tải into Xây dựng…) and central agencies are renamed; on
1 July the district tier ends and communes merge into new communes and wards. Every change is a
reorganisation event recorded through the services, so the lineage and the audit log are real.
All names are invented for illustration.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from types import SimpleNamespace

from parindex.units import services
from parindex.units.models import PeerGroup, Unit, UnitType

PROVINCE = ("HT", "Tỉnh Hà Thanh (minh họa)")
MARCH = dt.date(2025, 3, 1)
JULY = dt.date(2025, 7, 1)
DEPARTMENTS_BASIS = "Nghị quyết số 15/NQ-HĐND ngày 20/02/2025 của HĐND tỉnh Hà Thanh (minh họa)"
AGENCIES_BASIS = "Quyết định của các bộ, ngành Trung ương về sắp xếp tổ chức (minh họa)"
COMMUNES_BASIS = (
    "Nghị quyết số 1699/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về sắp xếp các "
    "đơn vị hành chính cấp xã của tỉnh Hà Thanh (minh họa)"
)
DISTRICTS_BASIS = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (kết thúc cấp huyện)"

PEER_GROUPS = [
    ("PHUONG", "Phường, thị trấn"),
    ("XA-DB", "Xã đồng bằng, ven biển"),
    ("XA-MN", "Xã miền núi"),
]

# code, name, contact person
DEPARTMENTS = [
    ("VPUBND", "Văn phòng UBND tỉnh", "Lê Thị Thu Hà"),
    ("SNV", "Sở Nội vụ", "Nguyễn Văn Minh"),
    ("STP", "Sở Tư pháp", "Phạm Thị Lan"),
    ("STC", "Sở Tài chính", "Trần Quốc Hưng"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Đặng Văn Khoa"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Võ Thị Mai"),
    ("STTTT", "Sở Thông tin và Truyền thông", "Hoàng Minh Tuấn"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Bùi Thị Hồng"),
    ("SYT", "Sở Y tế", "Ngô Văn Đức"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Đinh Thị Hạnh"),
    ("SXD", "Sở Xây dựng", "Phan Văn Long"),
    ("SGTVT", "Sở Giao thông vận tải", "Lý Văn Thắng"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Dương Thị Ngọc"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Hồ Văn Bình"),
    ("SCT", "Sở Công Thương", "Mai Thị Phương"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Trịnh Văn Sơn"),
    ("SNGV", "Sở Ngoại vụ", "Cao Thị Yến"),
    ("TTRA", "Thanh tra tỉnh", "Lưu Văn Hải"),
    ("BDT", "Ban Dân tộc tỉnh", "Hà Văn Thào"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", "Tạ Thị Thanh"),
]

AGENCIES = [
    ("CTHUE", "Cục Thuế tỉnh"),
    ("KBNN", "Kho bạc Nhà nước tỉnh"),
    ("BHXH", "Bảo hiểm xã hội tỉnh"),
    ("CHQ", "Cục Hải quan tỉnh"),
    ("CTK", "Cục Thống kê tỉnh"),
    ("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh"),
    ("CTHADS", "Cục Thi hành án dân sự tỉnh"),
    ("QLTT", "Cục Quản lý thị trường tỉnh"),
]

# The departments' 2025 reorganisation (effective 1 March 2025).
DEPARTMENT_MERGERS: list[tuple[list[str], str | tuple[str, str]]] = [
    # merged units -> existing unit that absorbs them, or (code, name) of a new unit
    (["SKHDT"], "STC"),
    (["STTTT"], "SKHCN"),
    (["SGTVT"], "SXD"),
    (["SNGV"], "VPUBND"),
    (["STNMT", "SNNPTNT"], ("SNNMT", "Sở Nông nghiệp và Môi trường")),
]
DEPARTMENT_SPLITS = [("SLDTBXH", ["SNV", "SYT"])]
RENAMES_MARCH = [
    ("BDT", "Sở Dân tộc và Tôn giáo", DEPARTMENTS_BASIS),
    ("CTHUE", "Thuế tỉnh Hà Thanh", AGENCIES_BASIS),
    ("CTK", "Thống kê tỉnh Hà Thanh", AGENCIES_BASIS),
    ("CTHADS", "Thi hành án dân sự tỉnh Hà Thanh", AGENCIES_BASIS),
    ("KBNN", "Kho bạc Nhà nước khu vực XII", AGENCIES_BASIS),
]
RETIRED_MARCH = [("QLTT", AGENCIES_BASIS)]

P, T, X = "phường", "thị trấn", "xã"
DB, MN, PH = "XA-DB", "XA-MN", "PHUONG"

# District code, name, and its communes before 1 July 2025: (kind, name, peer group).
DISTRICTS = [
    (
        "H-HATHANH",
        "UBND thành phố Hà Thanh",
        [
            (P, "Bắc Hà", PH),
            (P, "Nam Hà", PH),
            (P, "Nguyễn Du", PH),
            (P, "Trần Phú", PH),
            (P, "Tân Giang", PH),
            (P, "Thạch Linh", PH),
            (P, "Văn Yên", PH),
            (P, "Đại Nài", PH),
            (X, "Thạch Trung", DB),
            (X, "Đồng Môn", DB),
            (X, "Thạch Hạ", DB),
        ],
    ),
    (
        "H-BINHLAM",
        "UBND thị xã Bình Lâm",
        [
            (P, "Bắc Lâm", PH),
            (P, "Nam Lâm", PH),
            (P, "Trung Lương", PH),
            (P, "Đức Thuận", PH),
            (X, "Thuận Lộc", DB),
            (X, "Xuân Lâm", DB),
            (X, "Lâm Hải", DB),
            (X, "Hải Bình", DB),
        ],
    ),
    (
        "H-HUONGSON",
        "UBND huyện Hương Sơn",
        [
            (T, "Phố Châu", PH),
            (T, "Tây Sơn", PH),
            (X, "Hương Sơn", MN),
            (X, "Sơn Bình", MN),
            (X, "Sơn Lâm", MN),
            (X, "Sơn Trà", MN),
            (X, "Sơn Hồng", MN),
            (X, "Sơn Kim", MN),
            (X, "Sơn Tây", MN),
            (X, "Sơn Lĩnh", MN),
        ],
    ),
    (
        "H-THACHBINH",
        "UBND huyện Thạch Bình",
        [
            (T, "Thạch Bình", PH),
            (X, "Thạch Long", DB),
            (X, "Thạch Sơn", DB),
            (X, "Thạch Kênh", DB),
            (X, "Thạch Liên", DB),
            (X, "Thạch Đài", DB),
            (X, "Thạch Ngọc", DB),
            (X, "Thạch Văn", DB),
            (X, "Thạch Khê", DB),
            (X, "Thạch Lạc", DB),
        ],
    ),
    (
        "H-YENPHU",
        "UBND huyện Yên Phú",
        [
            (T, "Yên Phú", PH),
            (X, "Phú Mỹ", DB),
            (X, "Phú Lộc", DB),
            (X, "Phú Hải", DB),
            (X, "Yên Hòa", DB),
            (X, "Yên Thịnh", DB),
            (X, "Yên Bình", DB),
            (X, "Cẩm Thành", DB),
            (X, "Cẩm Hưng", DB),
            (X, "Cẩm Lạc", DB),
        ],
    ),
    (
        "H-DONGLAC",
        "UBND huyện Đông Lạc",
        [
            (T, "Đông Lạc", PH),
            (X, "Đông Hưng", DB),
            (X, "Đông Minh", DB),
            (X, "Đông Phong", DB),
            (X, "Lạc Thiện", DB),
            (X, "Lạc Sơn", DB),
            (X, "Trung Lễ", DB),
            (X, "Trung Phúc", DB),
            (X, "Quang Lộc", DB),
        ],
    ),
    (
        "H-TANKY",
        "UBND huyện Tân Kỳ",
        [
            (T, "Tân Kỳ", PH),
            (X, "Kỳ Tân", MN),
            (X, "Kỳ Lâm", MN),
            (X, "Kỳ Hợp", MN),
            (X, "Kỳ Sơn", MN),
            (X, "Kỳ Thượng", MN),
            (X, "Kỳ Trung", MN),
            (X, "Kỳ Phong", MN),
            (X, "Kỳ Tây", MN),
        ],
    ),
    (
        "H-VINHXUAN",
        "UBND huyện Vĩnh Xuân",
        [
            (T, "Vĩnh Xuân", PH),
            (X, "Xuân Hội", DB),
            (X, "Xuân Trường", DB),
            (X, "Xuân Đan", DB),
            (X, "Xuân Phổ", DB),
            (X, "Xuân Liên", DB),
            (X, "Vĩnh Thành", DB),
            (X, "Vĩnh Lộc", DB),
            (X, "Vĩnh An", MN),
        ],
    ),
]

# New communes and wards of 1 July 2025: (kind, name, peer group, [former (kind, name)]).
NEW_COMMUNES = [
    (P, "Thành Sen", PH, [(P, "Bắc Hà"), (P, "Nam Hà"), (P, "Nguyễn Du"), (P, "Trần Phú")]),
    (P, "Sông Hà", PH, [(P, "Tân Giang"), (P, "Thạch Linh"), (P, "Văn Yên")]),
    (
        P,
        "Đồng Tiến",
        PH,
        [(P, "Đại Nài"), (X, "Thạch Trung"), (X, "Đồng Môn"), (X, "Thạch Hạ")],
    ),
    (P, "Bình Lâm", PH, [(P, "Bắc Lâm"), (P, "Nam Lâm"), (P, "Trung Lương")]),
    (P, "Lâm Thuận", PH, [(P, "Đức Thuận"), (X, "Thuận Lộc")]),
    (X, "Xuân Hải", DB, [(X, "Xuân Lâm"), (X, "Lâm Hải"), (X, "Hải Bình")]),
    (X, "Sơn Châu", MN, [(T, "Phố Châu"), (X, "Sơn Trà"), (X, "Sơn Hồng")]),
    (X, "Kim Hoa", MN, [(X, "Sơn Kim"), (X, "Sơn Tây"), (X, "Sơn Lĩnh")]),
    (X, "Bình An", DB, [(T, "Thạch Bình"), (X, "Thạch Long"), (X, "Thạch Sơn")]),
    (X, "Đồng Kênh", DB, [(X, "Thạch Kênh"), (X, "Thạch Liên"), (X, "Thạch Đài")]),
    (X, "Ngọc Văn", DB, [(X, "Thạch Ngọc"), (X, "Thạch Văn")]),
    (X, "Khê Lạc", DB, [(X, "Thạch Khê"), (X, "Thạch Lạc")]),
    (X, "Phú Yên", DB, [(T, "Yên Phú"), (X, "Phú Mỹ"), (X, "Phú Lộc")]),
    (X, "Hải Hòa", DB, [(X, "Phú Hải"), (X, "Yên Hòa")]),
    (X, "Thịnh Bình", DB, [(X, "Yên Thịnh"), (X, "Yên Bình")]),
    (X, "Cẩm Thịnh", DB, [(X, "Cẩm Thành"), (X, "Cẩm Hưng")]),
    (X, "Lạc Hưng", DB, [(T, "Đông Lạc"), (X, "Đông Hưng"), (X, "Đông Minh")]),
    (X, "Phong Thiện", DB, [(X, "Đông Phong"), (X, "Lạc Thiện"), (X, "Lạc Sơn")]),
    (X, "Trung Lộc", DB, [(X, "Trung Lễ"), (X, "Trung Phúc"), (X, "Quang Lộc")]),
    (X, "Tân Lâm", MN, [(T, "Tân Kỳ"), (X, "Kỳ Tân"), (X, "Kỳ Lâm")]),
    (X, "Hợp Sơn", MN, [(X, "Kỳ Hợp"), (X, "Kỳ Sơn")]),
    (X, "Thượng Trung", MN, [(X, "Kỳ Thượng"), (X, "Kỳ Trung")]),
    (X, "Phong Tây", MN, [(X, "Kỳ Phong"), (X, "Kỳ Tây")]),
    (X, "Hội Trường", DB, [(T, "Vĩnh Xuân"), (X, "Xuân Hội"), (X, "Xuân Trường")]),
    (X, "Đan Phổ", DB, [(X, "Xuân Đan"), (X, "Xuân Phổ"), (X, "Xuân Liên")]),
    (X, "Thành Lộc", DB, [(X, "Vĩnh Thành"), (X, "Vĩnh Lộc")]),
]
# Xã Hương Sơn absorbs two neighbours and keeps its name (a merger into an existing unit).
ABSORPTIONS = [((X, "Hương Sơn"), [(X, "Sơn Bình"), (X, "Sơn Lâm")])]
# Xã Cẩm Lạc is divided between two of the new communes.
SPLITS = [((X, "Cẩm Lạc"), [(X, "Cẩm Thịnh"), (X, "Thịnh Bình")])]
# Thị trấn Tây Sơn keeps its area and becomes a commune (thị trấn no longer exist).
RENAMES_JULY = [((T, "Tây Sơn"), "UBND xã Tây Sơn", MN)]
# Communes that keep their area and now stand directly under the province.
UNCHANGED = [(X, "Hương Sơn"), (T, "Tây Sơn"), (X, "Vĩnh An")]

PREFIXES = {P: "P", T: "TT", X: "XA"}


def slug(text: str) -> str:
    """ASCII capitals without spaces: "Thạch Hạ" -> "THACHHA"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.upper() if char.isalnum())


def commune_code(kind: str, name: str) -> str:
    """The demo's commune codes: P-…, TT-…, XA-… from the kind and the name."""
    return f"{PREFIXES[kind]}-{slug(name)}"


def commune_name(kind: str, name: str) -> str:
    return f"UBND {kind} {name}"


def load(world: SimpleNamespace) -> None:
    """Create the province as it was before 2025, then apply the 2025 reorganisation."""
    if Unit.objects.filter(code=PROVINCE[0]).exists():
        world.units = {unit.code: unit for unit in Unit.objects.all()}
        world.province = world.units[PROVINCE[0]]
        return
    types = {unit_type.code: unit_type for unit_type in UnitType.objects.all()}
    groups = {
        code: PeerGroup.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in PEER_GROUPS
    }
    units: dict[str, Unit] = {}

    def add(code: str, name: str, type_code: str, parent: str | None, **extra: object) -> None:
        units[code] = services.create_unit(
            by=None,
            code=code,
            name=name,
            unit_type=types[type_code],
            parent=units[parent] if parent else None,
            **extra,  # type: ignore[arg-type]
        )

    add(*PROVINCE, "TINH", None, contact_email="cchc.snv@hathanh.demo.invalid")
    for code, name, contact in DEPARTMENTS:
        add(code, name, "SO", "HT", contact_name=contact, contact_email=_email(code))
    for code, name in AGENCIES:
        add(code, name, "TW", "HT", contact_email=_email(code))
    for district_code, district_name, communes in DISTRICTS:
        add(district_code, district_name, "HUYEN", "HT", contact_email=_email(district_code))
        for kind, name, group in communes:
            code = commune_code(kind, name)
            add(code, commune_name(kind, name), "XA", district_code, peer_group=groups[group])
    _reorganise_departments(units)
    _reorganise_communes(units, types, groups)
    world.units = {unit.code: unit for unit in Unit.objects.all()}
    world.province = world.units[PROVINCE[0]]
    _letterhead()


def _letterhead() -> None:
    """The documents name the province: UBND TỈNH HÀ THANH, Hà Thanh, ngày … (illustrative)."""
    from parindex.core.queries import LetterheadSettings
    from parindex.core.services import set_letterhead

    set_letterhead(
        by=None,
        letterhead=LetterheadSettings(
            province="Hà Thanh",
            signer_name="Lê Minh Đạo",
            decision_signer_name="Trần Văn Bình",
        ),
    )


def _email(code: str) -> str:
    return f"{slug(code).lower()}@hathanh.demo.invalid"


def _reorganise_departments(units: dict[str, Unit]) -> None:
    for merged, result in DEPARTMENT_MERGERS:
        if isinstance(result, tuple):
            code, name = result
            new_unit = services.NewUnit(
                code=code, name=name, unit_type=units["SNV"].unit_type, parent=units["HT"]
            )
            event = services.merge_units(
                by=None,
                predecessors=[units[code] for code in merged],
                new_unit=new_unit,
                effective_date=MARCH,
                legal_basis=DEPARTMENTS_BASIS,
            )
            units[code] = event.links.get(role="after").unit
        else:
            services.merge_units(
                by=None,
                predecessors=[units[code] for code in merged],
                successor=units[result],
                effective_date=MARCH,
                legal_basis=DEPARTMENTS_BASIS,
            )
    for split, into in DEPARTMENT_SPLITS:
        services.split_unit(
            by=None,
            predecessor=units[split],
            successors=[units[code] for code in into],
            effective_date=MARCH,
            legal_basis=DEPARTMENTS_BASIS,
            note="Lĩnh vực lao động, việc làm chuyển về Sở Nội vụ; bảo trợ xã hội, trẻ em chuyển "
            "về Sở Y tế.",
        )
    for code, new_name, basis in RENAMES_MARCH:
        services.rename_unit(
            by=None, unit=units[code], new_name=new_name, effective_date=MARCH, legal_basis=basis
        )
    for code, basis in RETIRED_MARCH:
        services.retire_unit(
            by=None,
            unit=units[code],
            effective_date=MARCH,
            legal_basis=basis,
            note="Chuyển về Sở Công Thương thành Chi cục Quản lý thị trường.",
        )


def _reorganise_communes(
    units: dict[str, Unit], types: dict[str, UnitType], groups: dict[str, PeerGroup]
) -> None:
    def unit(kind: str, name: str) -> Unit:
        return units[commune_code(kind, name)]

    for kind, name, group, former in NEW_COMMUNES:
        code = commune_code(kind, name)
        event = services.merge_units(
            by=None,
            predecessors=[unit(*item) for item in former],
            new_unit=services.NewUnit(
                code=code,
                name=commune_name(kind, name),
                unit_type=types["XA"],
                parent=units["HT"],
                peer_group=groups[group],
            ),
            effective_date=JULY,
            legal_basis=COMMUNES_BASIS,
        )
        units[code] = event.links.get(role="after").unit
    for absorbing, absorbed in ABSORPTIONS:
        services.merge_units(
            by=None,
            predecessors=[unit(*item) for item in absorbed],
            successor=unit(*absorbing),
            effective_date=JULY,
            legal_basis=COMMUNES_BASIS,
        )
    for split, into in SPLITS:
        services.split_unit(
            by=None,
            predecessor=unit(*split),
            successors=[unit(*item) for item in into],
            effective_date=JULY,
            legal_basis=COMMUNES_BASIS,
            note="Một phần diện tích và dân số nhập vào mỗi xã mới.",
        )
    for item, new_name, group in RENAMES_JULY:
        renamed = unit(*item)
        services.rename_unit(
            by=None,
            unit=renamed,
            new_name=new_name,
            effective_date=JULY,
            legal_basis=COMMUNES_BASIS,
        )
        services.update_unit(
            by=None,
            unit=renamed,
            name=renamed.name,
            unit_type=renamed.unit_type,
            parent=renamed.parent,
            peer_group=groups[group],
            active_from=renamed.active_from,
            active_to=renamed.active_to,
            contact_name=renamed.contact_name,
            contact_email=renamed.contact_email,
            reason="Thị trấn trở thành xã: xếp vào nhóm xã miền núi.",
        )
    for item in UNCHANGED:
        services.move_unit(
            by=None,
            unit=unit(*item),
            new_parent=units["HT"],
            effective_date=JULY,
            legal_basis=COMMUNES_BASIS,
        )
    for district_code, _name, _communes in DISTRICTS:
        services.retire_unit(
            by=None,
            unit=units[district_code],
            effective_date=JULY,
            legal_basis=DISTRICTS_BASIS,
            note="Chính quyền địa phương hai cấp: cấp huyện kết thúc hoạt động.",
        )
