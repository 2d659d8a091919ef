"""Finding 11 of issue 10 in a real browser: the main pages under the Content-Security-Policy.

The `page` fixture fails any browser test whose pages report a `securitypolicyviolation` (or a
CSP or Permissions-Policy console error); these tests walk the main pages of each role and use
what depends on script: autosave, htmx panels, confirmations, the language switch, the HTML
bars of the national analysis and the evidence preview.
"""

from __future__ import annotations

import pytest
from PIL import Image

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, ItemEvidence
from parindex.conftest import load_demo_quickly, login
from parindex.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e  # the `page` fixture provides a transactional database


@pytest.fixture
def demo(page):
    return load_demo_quickly()


def as_user(page, username):
    page.context.clear_cookies()
    login(page, User.objects.get(username=username), DEMO_PASSWORD)


def test_headers_the_violation_watch_sees_a_broken_policy(page, demo):
    """The watch itself works: a style attribute added by script is refused and reported."""
    as_user(page, "cchc")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_function("() => true")
    page.wait_for_timeout(300)
    assert any("style-src" in violation for violation in page.csp_violations)
    page.csp_violations.clear()


def test_headers_main_pages_report_no_violation(page, demo):
    as_user(page, "cchc")
    current, published = demo.current_round, demo.published_round
    index_set = current.index_sets.first().index_set
    paths = [
        "/",
        "/units/",
        "/units/tree/",
        "/indexsets/",
        "/rounds/",
        f"/rounds/{current.pk}/",
        f"/rounds/{current.pk}/appraisers/",
        f"/results/{published.pk}/",
        f"/results/{published.pk}/analysis/",
        "/national/",
        "/national/analysis/",
        "/national/provinces/",
        "/accounts/users/",
        "/audit/",
        f"/indexsets/{index_set.pk}/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
    # The national analysis draws its bars from data-width with script (no style attribute).
    page.goto("/national/analysis/")
    widths = page.locator(".nbar").evaluate_all("bars => bars.map(bar => bar.style.width)")
    assert widths and all(width.endswith("%") for width in widths)
    assert page.csp_violations == []


def test_headers_autosave_htmx_and_confirmations_work_under_the_policy(page, demo):
    assessment = demo.current_round.assessments.get(unit__code="STP")
    item = (
        assessment.items.filter(self_answer__isnull=True)
        .exclude(criterion__source="survey")
        .select_related("area")
        .order_by("position")
        .first()
    )
    as_user(page, "stp.canbo")
    page.goto(f"/assessments/{assessment.pk}/?area={item.area.code}")
    row = page.locator(f"#leaf-{item.pk}")
    reason = row.locator(f"#ne-{item.pk}")
    reason.fill("Thực hiện trên hệ thống một cửa điện tử.")
    reason.press("Tab")
    row = page.locator(f"#leaf-{item.pk}")
    row.locator(".save-state").filter(has_text="Đã lưu").wait_for()
    # An htmx panel: the item's evidence opens beside the grid.
    row.get_by_role("link", name="Tài liệu kiểm chứng").click()
    page.locator("#evidence-panel").wait_for()
    # A confirmation declared with data-confirm: refusing it sends nothing.
    as_user(page, "stp.lanhdao")
    page.goto(f"/assessments/{assessment.pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Gửi thẩm định").click()
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("Gửi kết quả tự đánh giá")
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT
    # The language switch submits on change.
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Submit for appraisal").wait_for()
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Gửi thẩm định").wait_for()
    assert page.csp_violations == []


def test_headers_evidence_previews_in_a_sandbox_and_downloads_elsewhere(page, demo, tmp_path):
    link = (
        ItemEvidence.objects.filter(
            item__assessment__round=demo.current_round,
            item__assessment__status=Assessment.Status.IN_APPRAISAL,
            evidence__content_type="application/pdf",
        )
        .select_related("item__area", "item__assessment")
        .first()
    )
    assessment = link.item.assessment
    as_user(page, "thamdinh")
    page.goto(f"/assessments/{assessment.pk}/appraise/?area={link.item.area.code}")
    url = f"/assessments/evidence/{link.evidence_id}/file/"
    with page.expect_response(lambda response: url in response.url) as answer:
        page.locator(f'a[href="{url}"][target="evidence-preview"]').first.click()
    headers = answer.value.all_headers()
    assert headers["content-disposition"].startswith("inline")
    assert headers["content-security-policy"].startswith("sandbox")
    assert headers["x-content-type-options"] == "nosniff"
    page.wait_for_timeout(1500)
    shot = tmp_path / "preview.png"
    page.locator("iframe[name=evidence-preview]").screenshot(path=shot)
    image = Image.open(shot).convert("L")
    toolbar = image.crop((0, 0, image.width, 40)).histogram()  # the PDF viewer's dark toolbar
    assert sum(toolbar[:100]) / sum(toolbar) > 0.5, "the preview frame shows no PDF viewer"
    # The same file opened on its own is a download, never a page of the site.
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", url)
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.csp_violations == []
