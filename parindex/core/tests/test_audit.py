from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex.core import audit
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_old_new_and_reason(par_officer, home_unit):
    entry = audit.record(
        home_unit,
        "unit.renamed",
        by=par_officer,
        old={"name": "A"},
        new={"name": D("1.5")},
        reason="QĐ 12",
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.object_type) == (
        par_officer,
        "unit.renamed",
        "units.unit",
    )
    assert entry.object_id == str(home_unit.pk)
    assert (entry.old, entry.new, entry.reason) == ({"name": "A"}, {"name": "1.5"}, "QĐ 12")


def test_record_by_the_system_has_no_actor(home_unit):
    assert audit.record(home_unit, "unit.created", by=None).actor is None


def test_audit_page_filters_by_action_and_object(client, par_officer, home_unit, other_unit):
    audit.record(home_unit, "unit.renamed", by=par_officer)
    audit.record(other_unit, "unit.retired", by=par_officer)
    client.force_login(par_officer)
    response = client.get(reverse("core:audit"), {"action": "retired"})
    assert response.status_code == 200
    retired, renamed = "chấm dứt hoạt động của đơn vị", "đổi tên đơn vị"  # in sentences
    assert retired in response.content.decode()
    assert renamed not in response.content.decode()
    response = client.get(
        reverse("core:audit"), {"object_type": "units.unit", "object_id": home_unit.pk}
    )
    assert renamed in response.content.decode()
    assert retired not in response.content.decode()


def test_audit_page_rejects_an_inverted_date_range(client, par_officer):
    client.force_login(par_officer)
    response = client.get(
        reverse("core:audit"), {"date_from": "2026-12-01", "date_to": "2026-11-01"}
    )
    assert "Ngày bắt đầu không được sau ngày kết thúc." in response.content.decode()


def test_audit_page_query_count_does_not_grow_with_entries(
    client, par_officer, home_unit, django_assert_max_num_queries
):
    for number in range(60):
        audit.record(home_unit, f"unit.change{number}", by=par_officer)
    client.force_login(par_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:audit"))
    assert response.status_code == 200


def test_audit_entries_cannot_be_changed_through_the_app():
    """No URL edits or deletes entries: the only audit URL is the read-only list."""
    from parindex.core.tests.matrix import url_names

    assert [name for name in url_names() if "audit" in name] == ["core:audit"]
    assert AuditEntry._meta.default_permissions == ("view",)


def test_audit_page_filters_by_the_actors_name_without_marks(client, par_officer, admin, home_unit):
    par_officer.full_name = "Nguyễn Thị Cải Cách"
    par_officer.save()
    audit.record(home_unit, "unit.renamed", by=par_officer)
    audit.record(home_unit, "unit.retired", by=admin)
    client.force_login(par_officer)
    for typed in ("CAI cach", par_officer.username.upper()):
        html = client.get(reverse("core:audit"), {"user": typed}).content.decode()
        assert "đổi tên đơn vị" in html
        assert "chấm dứt hoạt động của đơn vị" not in html
