"""Versions, publication, cloning and editing a draft's tree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.indexsets import files, queries, services
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.tests.factories import SMALL_YAML, sample_set, small_set

pytestmark = pytest.mark.django_db


def _import(text: str, **options):
    source = files.read_index_set_file(text.encode(), "x.yaml")
    return services.import_index_set(source=source, by=None, **options)


def _node(index_set: IndexSet, code: str) -> Criterion:
    return Criterion.objects.get(index_set=index_set, code=code)


def _leaf_values(node: Criterion, **changes) -> dict:
    values = {key: getattr(node, key) for key in services.NODE_FIELDS}
    values.update(changes)
    return values


def test_a_new_code_is_imported_as_published_version_1():
    index_set = small_set()
    assert (index_set.version, index_set.status) == (1, "published")
    assert index_set.published_at is not None
    assert AuditEntry.objects.filter(action="indexset.imported").count() == 1


def test_importing_the_same_file_again_changes_nothing():
    first = small_set()
    result = _import(SMALL_YAML)
    assert result.action == "unchanged" and result.index_set == first
    assert IndexSet.objects.count() == 1


def test_importing_a_changed_file_creates_the_next_version():
    first = small_set()
    result = _import(SMALL_YAML.replace("Lĩnh vực hai", "Lĩnh vực thứ hai"))
    assert result.action == "new_version"
    assert (result.index_set.version, result.index_set.derived_from) == (2, first)
    assert [change.code for change in result.diff.changed] == ["2"]
    first.refresh_from_db()
    assert first.name == "Bộ chỉ số thử" and _node(first, "2").name == "Lĩnh vực hai"


def test_importing_into_a_code_with_a_draft_replaces_the_draft():
    small_set()
    draft = _import(SMALL_YAML.replace("Lĩnh vực hai", "Bản nháp"), draft=True).index_set
    result = _import(SMALL_YAML.replace("Lĩnh vực hai", "Bản nháp 2"), draft=True)
    assert result.action == "draft_replaced" and result.index_set.pk == draft.pk
    assert _node(result.index_set, "2").name == "Bản nháp 2"
    assert IndexSet.objects.count() == 2


def test_a_dry_run_saves_nothing():
    result = _import(SMALL_YAML, dry_run=True)
    assert result.dry_run and result.action == "created"
    assert IndexSet.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_an_unknown_unit_type_is_refused():
    with refuses("index_set.unknown_unit_type") as refused:
        _import(SMALL_YAML.replace("unit_type: SO", "unit_type: PHUONG"))
    assert "PHUONG" in refused.value.problems[0]
    assert IndexSet.objects.count() == 0


def test_editing_a_published_set_starts_a_draft_version_and_leaves_it_unchanged():
    published = small_set()
    draft = services.start_new_version(index_set=published, by=None)
    assert (draft.version, draft.status, draft.derived_from) == (2, "draft", published)
    assert services.start_new_version(index_set=published, by=None) == draft
    leaf = _node(draft, "1.1")
    services.update_criterion(
        criterion=leaf, by=None, values=_leaf_values(leaf, name="Kế hoạch năm")
    )
    assert _node(published, "1.1").name == "Ban hành kế hoạch"
    with refuses("index_set.published"):
        services.update_criterion(
            criterion=_node(published, "1.1"), by=None, values=_leaf_values(leaf, name="X")
        )


def test_changing_a_leaf_maximum_rolls_up_to_its_area_and_checks_the_rule():
    draft = small_set(draft=True)
    leaf = _node(draft, "1.2")
    with refuses("index_set.invalid") as refused:
        services.update_criterion(
            criterion=leaf, by=None, values=_leaf_values(leaf, max_points=Decimal("3"))
        )
    assert refused.value.codes == ["best_tier_below_max"]
    assert "3" in refused.value.problems[0]  # the highest tier gives 2, the max would be 3
    rule = {"type": "percent_tiers", "tiers": [{"min_percent": 100, "points": 3}]}
    services.update_criterion(
        criterion=leaf, by=None, values=_leaf_values(leaf, max_points=Decimal("3"), rule=rule)
    )
    assert _node(draft, "1").max_points == Decimal("4")
    assert queries.engine_index_set(IndexSet.objects.get(pk=draft.pk)).max_points == 5


def test_publishing_checks_the_draft_with_the_engine():
    draft = small_set(draft=True)
    Criterion.objects.filter(index_set=draft, code="1.1").update(max_points=Decimal("2"))
    with refuses("index_set.invalid") as refused:
        services.publish_index_set(index_set=draft, by=None)
    assert refused.value.codes == ["best_option_below_max", "max_mismatch"]
    assert any("1.1" in problem for problem in refused.value.problems)
    draft.refresh_from_db()
    assert draft.is_draft
    Criterion.objects.filter(index_set=draft, code="1.1").update(max_points=Decimal("1"))
    services.publish_index_set(index_set=draft, by=None)
    assert draft.is_published and AuditEntry.objects.filter(action="indexset.published").exists()


def test_cloning_a_set_copies_its_tree_under_a_new_code():
    source = sample_set("so-2024.yaml")
    clone = services.clone_index_set(
        source=source,
        by=None,
        code="SO-2027",
        name="Bộ chỉ số các sở năm 2027",
        valid_from=2027,
        legal_basis="",
    )
    assert (clone.code, clone.version, clone.status) == ("SO-2027", 1, "draft")
    assert clone.criteria.count() == source.criteria.count()
    diff = queries.diff_sets(source, clone)
    assert not diff.nodes and {c.field for c in diff.details} == {
        "code",
        "name",
        "valid_from",
        "legal_basis",
    }
    with refuses("index_set.code_taken"):
        services.clone_index_set(
            source=source, by=None, code="SO-2027", name="x", valid_from=2027, legal_basis=""
        )


def test_moving_nodes_up_down_and_to_another_parent():
    draft = small_set(draft=True)
    services.move_criterion(criterion=_node(draft, "1.2"), by=None, direction="up")
    assert [c.code for c in _node(draft, "1").children.order_by("position")] == ["1.2", "1.1"]
    services.reparent_criterion(criterion=_node(draft, "1.2"), by=None, parent=_node(draft, "2"))
    assert _node(draft, "1").max_points == 1 and _node(draft, "2").max_points == 3
    assert [c.code for c in _node(draft, "2").children.order_by("position")] == ["2.1", "1.2"]
    with refuses("criterion.under_itself"):
        services.reparent_criterion(
            criterion=_node(draft, "2"), by=None, parent=_node(draft, "1.2")
        )


def test_adding_and_deleting_nodes_keeps_maxima_summed():
    draft = small_set(draft=True)
    services.add_criterion(
        index_set=draft,
        by=None,
        parent=_node(draft, "2.1"),
        values={"code": "2.1.1", "name": "Con", "max_points": Decimal("0.5")},
    )
    parent = _node(draft, "2.1")
    assert parent.rule is None and parent.source == "self" and parent.max_points == Decimal("0.5")
    services.delete_criterion(criterion=_node(draft, "1"), by=None)
    assert not Criterion.objects.filter(index_set=draft, code__startswith="1").exists()
    assert queries.engine_index_set(IndexSet.objects.get(pk=draft.pk)).max_points == Decimal("0.5")
    assert (
        AuditEntry.objects.filter(action="criterion.deleted").get().old
        == {"codes": ["1", "1.2", "1.1"]}
        or AuditEntry.objects.filter(action="criterion.deleted").get().old["codes"][0] == "1"
    )


def test_an_edit_from_a_stale_page_is_refused():
    draft = small_set(draft=True)
    leaf = _node(draft, "1.1")
    stale = str(draft.revision)
    services.update_criterion(criterion=leaf, by=None, values=_leaf_values(leaf, name="A"))
    leaf = _node(draft, "1.1")
    with refuses("index_set.conflict"):
        services.update_criterion(
            criterion=leaf, by=None, values=_leaf_values(leaf, name="B"), revision=stale
        )
