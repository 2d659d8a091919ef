"""Benchmark: the self-assessment page of a 150-leaf set, half answered, with evidence.

Measured against the floor (the bare health-check view): the page loads the assessment, builds
the engine's index set, scores the unit through the engine and renders one area's grid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms


def run() -> Iterator[Figure]:
    from parindex import engine
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.assessments import answers, queries, services
    from parindex.assessments.demo import save_items
    from parindex.assessments.models import Assessment
    from parindex.indexsets.scale import big_spec, store_index_set
    from parindex.rounds import services as round_services
    from parindex.rounds.deadlines import today
    from parindex.units import services as unit_services

    index_set = store_index_set(big_spec(150, code="BENCH-SO"))
    unit = unit_services.create_unit(
        by=None, code="BENCH", name="Đơn vị đo hiệu năng", unit_type=index_set.unit_type
    )
    editor = user_with_role("bench-editor", Role.UNIT_EDITOR, unit)
    start = today() - dt.timedelta(days=5)
    round_ = round_services.create_round(
        by=None,
        code="BENCH",
        year=start.year,
        name="Bench",
        index_sets={"SO": index_set},
        dates={
            "self_assessment_opens_on": start,
            "self_assessment_closes_on": start + dt.timedelta(days=30),
            "appraisal_closes_on": start + dt.timedelta(days=40),
            "explanation_closes_on": start + dt.timedelta(days=45),
            "second_appraisal_closes_on": start + dt.timedelta(days=50),
            "council_closes_on": start + dt.timedelta(days=55),
            "publication_on": start + dt.timedelta(days=60),
        },
        units=[unit],
    )
    round_services.open_round(by=None, round_=round_)
    assessment = Assessment.objects.get(round=round_)
    tree = queries.engine_set_for(assessment)
    document, _ = services.register_document(
        unit=unit, by=editor, title="Kế hoạch CCHC", number="1/KH", issued_on=None, issuer=""
    )
    items = list(assessment.items.select_related("criterion").order_by("position"))
    for item in items[::2]:
        node = tree.criterion(item.criterion.code)
        rule = node.scoring_rule
        if isinstance(rule, engine.ChoiceRule):
            answer = engine.Choice(rule.options[0].label)
        elif isinstance(rule, engine.DeductionRule):
            answer = engine.Count(1)
        else:
            answer = engine.Percent(90)
        item.self_answer = answers.to_json(answer)
        item.self_points = engine.leaf_points(node, answer)
    save_items(items, ["self_answer", "self_points"])
    for item in items[::4]:
        services.ItemEvidence.objects.create(item=item, evidence=document, added_by=editor)
    client = Client()
    client.force_login(editor)
    url = f"/assessments/{assessment.pk}/?area=1"
    assert client.get(url).status_code == 200, "the self-assessment page must render"
    floor = floor_ms(client)
    page = median_ms(lambda: client.get(url), repeat=50, warmup=5)
    yield "self_assessment_page", round(page, 2), "ms"
    yield "self_assessment_vs_floor", round(page / floor, 1), "x"
