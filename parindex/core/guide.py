"""The user guide (hướng dẫn sử dụng): its sections per role, its screenshots, the "?" links.

The guide is one Vietnamese page (`core/guide.html`, printable to PDF through the print
stylesheet). Its screenshots are not drawn by hand: the accessibility browser test
(`core/tests/test_e2e_accessibility.py`) walks each demo role's main pages and, run with
`PARINDEX_GUIDE_SHOTS=1`, saves the pages named here into `SHOTS` (committed PNGs).
"""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).parent / "static" / "parindex" / "guide"

# (demo username, role code, the guide's section id): the seven demo logins, one per role.
DEMO_ROLES = [
    ("admin", "admin", "quan-tri"),
    ("cchc", "par_officer", "phong-cchc"),
    ("thamdinh", "appraiser", "tham-dinh"),
    ("hoidong", "council", "hoi-dong"),
    ("stp.canbo", "unit_editor", "can-bo-don-vi"),
    ("stp.lanhdao", "unit_head", "lanh-dao-don-vi"),
    ("lanhdao", "viewer", "lanh-dao-tinh"),
]
ROLE_SECTIONS = {role: section for _username, role, section in DEMO_ROLES}

# Which screenshots the walk saves: (username, page kind) -> file name. Page kinds: "home", or
# the first path segment of a work page ("appraise", "council", "print"…).
_WANTED = {
    ("admin", "/"): "quan-tri-trang-chu",
    ("cchc", "/"): "phong-cchc-trang-chu",
    ("cchc", "/rounds/"): "phong-cchc-dot-danh-gia",
    ("cchc", "/search/"): "phong-cchc-tim-kiem",
    ("thamdinh", "/"): "tham-dinh-trang-chu",
    ("thamdinh", "/assessments/appraisal/"): "tham-dinh-hang-doi",
    ("hoidong", "/"): "hoi-dong-trang-chu",
    ("hoidong", "/assessments/council/"): "hoi-dong-phe-duyet",
    ("stp.canbo", "/"): "can-bo-don-vi-trang-chu",
    ("stp.canbo", "/assessments/"): "can-bo-don-vi-phieu",
    ("stp.lanhdao", "/"): "lanh-dao-don-vi-trang-chu",
    ("stp.lanhdao", "/check/"): "lanh-dao-don-vi-kiem-tra",
    ("stp.lanhdao", "/print/"): "lanh-dao-don-vi-ban-in",
    ("lanhdao", "/"): "lanh-dao-tinh-trang-chu",
    ("lanhdao", "/results/"): "lanh-dao-tinh-ket-qua",
}

# The "?" of a page opens the guide at the section about it (the longest matching prefix);
# other pages open the section of the user's role.
PAGE_SECTIONS = {
    "/assessments/appraisal/": "tham-dinh",
    "/assessments/council/": "hoi-dong",
    "/assessments/inbox/": "hop-thu",
    "/assessments/": "can-bo-don-vi",
    "/rounds/": "phong-cchc",
    "/units/": "phong-cchc",
    "/indexsets/": "phong-cchc",
    "/results/": "lanh-dao-tinh",
    "/national/": "lanh-dao-tinh",
    "/accounts/users/": "quan-tri",
    "/audit/": "quan-tri",
    "/search/": "tim-kiem",
}


# The roles whose home the guide also shows on a phone (390×844).
_PHONE = {"cchc", "stp.canbo", "lanhdao"}


def shot_for(username: str, path: str, viewport: str) -> str | None:
    """The file name to save a page's screenshot under, or None if the guide does not show it.

    Home pages are kept on the laptop, and on the phone for a few roles; work pages on the
    laptop only.
    """
    if path == "/":
        name = _WANTED.get((username, "/"))
        if viewport != "desktop" and username not in _PHONE:
            return None
    else:
        bare = path.split("?")[0]
        name = next(
            (
                file
                for (user, prefix), file in _WANTED.items()
                if user == username
                and prefix != "/"
                and (bare.startswith(prefix) or bare.endswith(prefix))
            ),
            None,
        )
        if viewport != "desktop":
            return None
    return f"{name}-{viewport}.png" if name else None


def section_for(path: str, roles: list[str]) -> str:
    """The guide's section a page's "?" opens: about that page, else about the user's role."""
    matching = [prefix for prefix in PAGE_SECTIONS if path.startswith(prefix)]
    if matching:
        return PAGE_SECTIONS[max(matching, key=len)]
    for role in roles:
        if role in ROLE_SECTIONS:
            return ROLE_SECTIONS[role]
    return ""


def screenshots() -> dict[str, str]:
    """The guide's screenshots that exist, by name ("phong_cchc_trang_chu_desktop") -> URL."""
    from django.templatetags.static import static

    return {
        path.stem.replace("-", "_"): static(f"parindex/guide/{path.name}")
        for path in sorted(SHOTS.glob("*.png"))
    }
