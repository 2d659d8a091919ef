"""Demo accounts: one login per role (password printed by `parindex demo`)."""

from __future__ import annotations

from types import SimpleNamespace

from parindex.accounts import services
from parindex.accounts.models import Role, User, scope_units

# username, full name, description printed at start, [(role, unit code or None)]
DEMO_USERS: list[tuple[str, str, str, list[tuple[Role, str | None]]]] = [
    ("admin", "Quản trị hệ thống", "admin: quản trị hệ thống", [(Role.ADMIN, None)]),
    (
        "cchc",
        "Nguyễn Thị Cải Cách",
        "par_officer: phòng CCHC, Sở Nội vụ",
        [(Role.PAR_OFFICER, None)],
    ),
    ("thamdinh", "Trần Văn Thẩm Định", "appraiser: tổ thẩm định", [(Role.APPRAISER, None)]),
    ("hoidong", "Lê Văn Hội Đồng", "council: hội đồng thẩm định", [(Role.COUNCIL, None)]),
    (
        "stp.canbo",
        "Phạm Thị Tư Pháp",
        "unit_editor: cán bộ Sở Tư pháp",
        [(Role.UNIT_EDITOR, "STP")],
    ),
    (
        "stp.lanhdao",
        "Hoàng Văn Giám Đốc",
        "unit_head: lãnh đạo Sở Tư pháp",
        [(Role.UNIT_HEAD, "STP")],
    ),
    ("lanhdao", "Võ Văn Lãnh Đạo", "viewer: lãnh đạo tỉnh", [(Role.VIEWER, None)]),
]


def load(world: SimpleNamespace) -> None:
    """Create the demo accounts through the user service (the units must already exist)."""
    units = dict(scope_units().values_list("code", "id"))
    existing = set(User.objects.values_list("username", flat=True))
    for username, full_name, _description, roles in DEMO_USERS:
        if username not in existing:
            services.create_user(
                by=None,
                username=username,
                full_name=full_name,
                email=f"{username}@demo.invalid",
                roles={(role.value, units[code] if code else None) for role, code in roles},
                password=world.password,
            )
        world.logins.append(username)


def logins() -> list[tuple[str, str]]:
    """The demo accounts and their roles, for the start-up message of `parindex demo`."""
    return [(username, description) for username, _name, description, _roles in DEMO_USERS]
