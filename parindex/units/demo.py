"""Demo units: a small illustrative province (the units issue grows it into a full province)."""

from __future__ import annotations

from types import SimpleNamespace

from parindex.units.models import Unit, UnitType

DEMO_UNITS = [
    ("HT", "Tỉnh Hà Thanh (minh họa)", "TINH", None),
    ("SNV", "Sở Nội vụ", "SO", "HT"),
    ("STP", "Sở Tư pháp", "SO", "HT"),
    ("STC", "Sở Tài chính", "SO", "HT"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "SO", "HT"),
    ("VPUBND", "Văn phòng UBND tỉnh", "SO", "HT"),
    ("CTHUE", "Cục Thuế tỉnh", "TW", "HT"),
    ("XA-HUONGSON", "UBND xã Hương Sơn", "XA", "HT"),
]


def load(world: SimpleNamespace) -> None:
    """Create the demo units once."""
    types = {unit_type.code: unit_type for unit_type in UnitType.objects.all()}
    created: dict[str, Unit] = {}
    for code, name, type_code, parent_code in DEMO_UNITS:
        created[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit_type": types[type_code],
                "parent": created.get(parent_code) if parent_code else None,
            },
        )
