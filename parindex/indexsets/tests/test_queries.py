"""The engine's copy of a set: built from rows in a few queries, cached per revision."""

from __future__ import annotations

import pytest
import yaml

from parindex import engine
from parindex.indexsets import queries, services
from parindex.indexsets.models import IndexSet
from parindex.indexsets.tests.factories import sample_bytes, sample_set, small_set

pytestmark = pytest.mark.django_db


def test_engine_index_set_is_the_sample_as_the_engine_reads_it():
    index_set = IndexSet.objects.select_related("unit_type").get(pk=sample_set("so-2024.yaml").pk)
    built = queries.engine_index_set(index_set)
    assert built == engine.parse_index_set(yaml.safe_load(sample_bytes("so-2024.yaml")))


def test_engine_index_set_takes_two_queries_then_none(django_assert_num_queries):
    index_set = IndexSet.objects.select_related("unit_type").get(pk=small_set().pk)
    queries.clear_engine_cache()
    with django_assert_num_queries(2):
        first = queries.engine_index_set(index_set)
    with django_assert_num_queries(0):
        assert queries.engine_index_set(index_set) is first


def test_a_new_revision_is_never_served_from_the_cache():
    draft = small_set(draft=True)
    before = queries.engine_index_set(draft)
    leaf = draft.criteria.get(code="1.1")
    values = {key: getattr(leaf, key) for key in services.NODE_FIELDS}
    services.update_criterion(criterion=leaf, by=None, values={**values, "name": "Mới"})
    after = queries.engine_index_set(IndexSet.objects.get(pk=draft.pk))
    assert before.criterion("1.1").name != after.criterion("1.1").name == "Mới"


def test_the_tree_counts_areas_criteria_and_the_point_split():
    tree = queries.tree_of(sample_set("so-2024.yaml"))
    summary = tree.summary
    assert (summary.areas, summary.max_total) == (8, 100)
    assert (summary.self_points, summary.survey_points) == (80, 20)
    assert (summary.bonus_points, summary.penalty_points) == (2, 3)
    assert summary.criteria == 35 and summary.subcriteria == 70
    assert tree.nodes[0].row.code == "1" and tree.nodes[0].depth == 1
    assert not tree.problems
