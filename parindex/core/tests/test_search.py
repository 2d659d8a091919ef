"""Issue 14: the header search finds units, criteria and documents, only those the user may
open, with or without Vietnamese marks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.core import queries
from parindex.core.vietnamese import sorted_vi
from parindex.monitoring.models import Plan
from parindex.rounds.models import Round
from parindex.units.models import Unit

pytestmark = pytest.mark.django_db


def search(client, username, text, **params):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("core:search"), {"q": text, **params})


def library_of_two_units(count: int) -> tuple[Unit, Unit]:
    """`count` documents titled "Báo cáo phân trang NN" in STP's library and in another's."""
    stp = Unit.objects.get(code="STP")
    other = Unit.objects.exclude(code="STP").filter(unit_type=stp.unit_type).first()
    assert other is not None, "the demo has another department"
    officer = User.objects.get(username="cchc")
    Evidence.objects.bulk_create(
        Evidence(
            unit=unit,
            kind="document",
            title=f"Báo cáo phân trang {unit.code} {n:03}",
            added_by=officer,
        )
        for unit in (stp, other)
        for n in range(count)
    )
    return stp, other


def titles(response) -> list[str]:
    return [hit.label for hit in response.context["page_obj"].object_list]


def test_units_are_found_without_marks(demo_world, client):
    html = search(client, "lanhdao", "so tu phap").content.decode()
    assert "Sở Tư pháp" in html
    assert "Đơn vị" in html


def test_criteria_are_found_by_name(demo_world, client):
    html = search(client, "stp.canbo", "kế hoạch").content.decode()
    assert "Tiêu chí" in html
    assert "/indexsets/" in html


def test_a_unit_officer_finds_only_the_documents_of_the_unit(demo_world, client):
    stp = Unit.objects.get(code="STP")
    other = Unit.objects.exclude(code="STP").filter(unit_type=stp.unit_type).first()
    officer = User.objects.get(username="cchc")
    for unit in (stp, other):
        title = f"Quyết định kiểm thử {unit.code}"
        Evidence.objects.create(unit=unit, kind="document", title=title, added_by=officer)
    html = search(client, "stp.canbo", "quyết định kiểm thử").content.decode()
    assert "Quyết định kiểm thử STP" in html
    assert f"Quyết định kiểm thử {other.code}" not in html
    html = search(client, "cchc", "quyết định kiểm thử").content.decode()
    assert f"Quyết định kiểm thử {other.code}" in html  # the office reads every library


def test_an_appraiser_finds_no_library_documents(demo_world, client):
    title = Evidence.objects.exclude(title="").values_list("title", flat=True).first()
    html = search(client, "thamdinh", title).content.decode()
    assert "/evidence/" not in html


def test_one_character_is_too_short_and_nothing_found_says_so(demo_world, client):
    assert "ít nhất hai ký tự" in search(client, "cchc", "S").content.decode()
    assert "Không tìm thấy" in search(client, "cchc", "zzzzqqq").content.decode()


def test_each_kind_shows_its_first_hits_and_links_to_all_of_them(demo_world, client):
    library_of_two_units(15)
    response = search(client, "stp.canbo", "báo cáo phân trang")
    (group,) = [g for g in response.context["groups"] if g.key == "documents"]
    assert group.total == 15 and len(group.hits) == queries.SEARCH_PREVIEW
    html = response.content.decode()
    assert "kind=documents" in html
    assert "Xem tất cả 15" in html


def test_a_kind_pages_through_every_hit_and_only_the_users_own(demo_world, client):
    stp, other = library_of_two_units(queries.SEARCH_PER_PAGE + 7)
    first = search(client, "stp.canbo", "báo cáo phân trang", kind="documents")
    second = search(client, "stp.canbo", "báo cáo phân trang", kind="documents", page=2)
    assert first.context["page_obj"].paginator.count == queries.SEARCH_PER_PAGE + 7
    found = titles(first) + titles(second)
    assert len(found) == len(set(found)) == queries.SEARCH_PER_PAGE + 7
    assert all(f" {stp.code} " in title for title in found)  # never the other unit's library
    html = second.content.decode()
    assert "kết quả 51–57 trong 57" in html
    assert "kind=documents&amp;page=1" in html  # the way back to the first page
    office = search(client, "cchc", "báo cáo phân trang", kind="documents")
    assert office.context["page_obj"].paginator.count == 2 * (queries.SEARCH_PER_PAGE + 7)


def test_an_appraiser_pages_through_no_library_documents(demo_world, client):
    library_of_two_units(3)
    response = search(client, "thamdinh", "báo cáo phân trang", kind="documents")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "Không tìm thấy" in response.content.decode()


def test_units_and_criteria_page_too(demo_world, client):
    units = search(client, "lanhdao", "xã", kind="units")
    overview = search(client, "lanhdao", "xã")
    (group,) = [g for g in overview.context["groups"] if g.key == "units"]
    assert units.context["page_obj"].paginator.count == group.total > 0
    assert titles(units)[: len(group.hits)] == [hit.label for hit in group.hits]
    criteria = search(client, "stp.canbo", "kế hoạch", kind="criteria")
    assert all(hit.url.startswith("/indexsets/") for hit in criteria.context["page_obj"])


def test_an_unknown_kind_is_not_found(demo_world, client):
    assert search(client, "cchc", "sở", kind="nothing").status_code == 404


def test_a_kind_page_runs_in_bounded_queries(demo_world, client, django_assert_max_num_queries):
    library_of_two_units(queries.SEARCH_PER_PAGE + 7)
    client.force_login(User.objects.get(username="stp.canbo"))
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("core:search"), {"q": "báo cáo phân trang", "kind": "documents", "page": "2"}
        )
    assert len(response.context["page_obj"].object_list) == 7


def test_search_runs_in_bounded_queries(demo_world, client, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="cchc"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("core:search"), {"q": "sở"})
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:search"), {"q": "sở"})
    assert response.status_code == 302


def _published_round():
    return Round.objects.filter(status=Round.Status.PUBLISHED).order_by("-year").first()


def _open_round():
    return Round.objects.exclude(status=Round.Status.PUBLISHED).order_by("-year").first()


# Every list with a search box: someone types in capitals and without marks (SQLite folds only
# ASCII letters; no database folds marks by itself).
DEPARTMENT = ("SO TU phap", "Sở Tư pháp")
LIST_SEARCHES = [
    ("units", "cchc", lambda: reverse("units:list"), "q", DEPARTMENT),
    (
        "round dashboard",
        "cchc",
        lambda: reverse("rounds:detail", args=[_open_round().pk]),
        "search",
        DEPARTMENT,
    ),
    (
        "ranking",
        "cchc",
        lambda: reverse("results:ranking", args=[_published_round().pk]),
        "q",
        DEPARTMENT,
    ),
    ("rates", "cchc", lambda: reverse("monitoring:rates"), "search", DEPARTMENT),
    ("reports received", "cchc", lambda: reverse("monitoring:submissions"), "search", DEPARTMENT),
    (
        "accounts",
        "admin",
        lambda: reverse("accounts:user_list"),
        "search",
        ("THAM dinh", "Trần Văn Thẩm Định"),
    ),
    (
        "index sets",
        "cchc",
        lambda: reverse("indexsets:list"),
        "search",
        ("CAC XA phuong", "UBND các xã, phường, thị trấn năm 2024"),
    ),
    (
        "inspections",
        "cchc",
        lambda: reverse("monitoring:inspections"),
        "search",
        ("binh LAM", "UBND phường Bình Lâm"),
    ),
    (
        "plan tasks",
        "cchc",
        lambda: reverse("monitoring:plan_detail", args=[Plan.objects.earliest("pk").pk]),
        "search",
        ("TUYEN truyen", "Ban hành Kế hoạch tuyên truyền cải cách hành chính"),
    ),
    (
        "evidence library",
        "stp.canbo",
        lambda: reverse("assessments:library", args=[Unit.objects.get(code="STP").pk]),
        "search",
        ("tu KIEM tra", "Báo cáo tự kiểm tra công tác CCHC năm 2025"),
    ),
]


@pytest.mark.parametrize(
    ("page", "username", "url", "param", "search"),
    LIST_SEARCHES,
    ids=[s[0] for s in LIST_SEARCHES],
)
def test_every_list_search_ignores_case_and_marks(
    demo_world, client, page, username, url, param, search
):
    typed, shown = search
    client.force_login(User.objects.get(username=username))
    found = client.get(url(), {param: typed})
    assert found.status_code == 200
    assert shown in found.content.decode()
    assert shown not in client.get(url(), {param: "zzqq"}).content.decode()
    # a forged search of thousands of words is a search like another, not an error page
    forged = client.get(url(), {param: f"{typed} " + " ".join(["x"] * 20_000)})
    assert forged.status_code == 200


def test_survey_campaigns_are_found_by_their_questionnaire_without_marks(demo_world, client):
    client.force_login(User.objects.get(username="cchc"))
    for typed, expected in (("ubnd CAC xa", {"XHH-XA-2026"}), ("zzqq", set())):
        response = client.get(reverse("surveys:index"), {"q": typed})
        assert {row.code for row in response.context["page_obj"].object_list} == expected


@pytest.mark.parametrize(
    ("username", "url", "name_of"),
    [
        ("cchc", lambda: reverse("units:list"), lambda unit: unit.name),
        ("admin", lambda: reverse("accounts:user_list"), lambda user: user.full_name),
        (
            "cchc",
            lambda: reverse("results:ranking", args=[_published_round().pk]),
            lambda row: row.unit_name,
        ),
    ],
    ids=["units", "accounts", "ranking"],
)
def test_lists_sorted_by_name_follow_the_vietnamese_alphabet(
    demo_world, client, username, url, name_of
):
    """Đ after D and tones after letters, as a Vietnamese reader expects (SQLite alone sorts by
    code point: every name in Đ would come after those in Y)."""
    client.force_login(User.objects.get(username=username))
    for sort, reverse_order in (("name", False), ("-name", True)):
        rows = client.get(url(), {"sort": sort, "per_page": 100}).context["page_obj"]
        names = [name_of(row) for row in rows.object_list]
        assert len(names) > 5
        assert names == sorted_vi(names)[:: -1 if reverse_order else 1]
