"""Permission matrix entries for assessments' URLs: a unit never reaches another unit's data."""

from __future__ import annotations

from parindex.assessments.tests.fixtures import build_world
from parindex.core.tests.matrix import OFFICE, SIGNED_IN, Route

# Who may read the home unit's assessment: the unit, the office, the council, its appraiser.
READERS = frozenset({"unit_editor", "unit_head", "admin", "par_officer", "council", "appraiser"})
UNIT = frozenset({"unit_editor", "unit_head"})
HIDDEN = {"viewer": 404, "outsider": 404}  # the object's existence must not leak


def setup(world):
    build_world(world)
    build_province(world)


def build_province(world) -> None:
    """The province's own assessment on a central set whose area 1 the home unit owns."""
    if hasattr(world, "province_assessment"):
        return
    import datetime as dt

    from parindex.assessments.models import Assessment
    from parindex.assessments.tests.factories import round_dates, save_index_set, small_spec
    from parindex.rounds import services as round_services
    from parindex.rounds.deadlines import today
    from parindex.units.tests.factories import UnitFactory, unit_type

    spec = small_spec(code="MATRIX-TINH", unit_type_code="TINH")
    spec["criteria"][0]["owner"] = world.home_unit.code
    index_set = save_index_set(spec)
    province = UnitFactory.create(code="MPROV", name="Tỉnh Ma Trận", unit_type=unit_type("TINH"))
    start = today() - dt.timedelta(days=10)
    created = round_services.create_round(
        by=world.par_officer,
        code="MATRIX-TINH",
        year=start.year,
        name="Tự đánh giá của tỉnh",
        index_sets={"TINH": index_set},
        dates=round_dates(start.year, start),
        units=[province],
    )
    world.province_round = round_services.open_round(by=world.par_officer, round_=created)
    world.province_assessment = Assessment.objects.get(round=world.province_round, unit=province)


def province_kwargs(w):
    return {"pk": w.province_assessment.pk}


def assessment(w):
    return {"pk": w.home_assessment.pk}


def item(w):
    return {"pk": w.home_item.pk}


ROUTES = [
    Route("assessments:mine", SIGNED_IN),
    Route("assessments:detail", READERS, kwargs=assessment, denied=404),
    Route("assessments:check", READERS, kwargs=assessment, denied=404),
    Route("assessments:print", READERS, kwargs=assessment, denied=404),
    Route(
        "assessments:remind",
        OFFICE,
        kwargs=assessment,
        method="post",
        ok=302,
    ),
    Route("assessments:explanations", READERS, kwargs=assessment, denied=404),
    Route(
        "assessments:submit",
        frozenset({"unit_head"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:withdraw",
        frozenset({"unit_head"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:send_explanations",
        frozenset({"unit_head"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:answer",
        UNIT,
        kwargs=lambda w: {"pk": w.request.pk},
        method="post",
        data=lambda w: {"answer": ""},
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:save_item",
        UNIT,
        kwargs=item,
        method="post",
        data=lambda w: {"version": "x"},
        statuses=HIDDEN,
    ),
    Route("assessments:item_history", READERS, kwargs=item, denied=404),
    Route("assessments:item_evidence", READERS, kwargs=item, denied=404),
    Route(
        "assessments:detach",
        UNIT,
        kwargs=lambda w: {"pk": w.home_item.pk, "evidence_pk": 0},
        method="post",
        ok=404,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:library",
        UNIT | OFFICE | {"council"},
        kwargs=lambda w: {"unit_pk": w.home_unit.pk},
        denied=404,
    ),
    Route(
        "assessments:add_evidence",
        UNIT,
        kwargs=lambda w: {"unit_pk": w.home_unit.pk},
        method="post",
        ok=302,
        statuses={**HIDDEN, "appraiser": 404},
    ),
    Route(
        "assessments:evidence_file",
        READERS,
        kwargs=lambda w: {"pk": w.evidence.pk},
        denied=404,
    ),
    Route("assessments:queue", frozenset({"appraiser"})),
    Route("assessments:appraise", READERS - UNIT, kwargs=assessment, statuses=HIDDEN),
    Route(
        "assessments:decide",
        frozenset({"appraiser"}),
        kwargs=item,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:accept_remaining",
        frozenset({"appraiser"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:accept_rest",
        frozenset({"appraiser"}),
        kwargs=assessment,
        method="post",
        data=lambda w: {"area": "1"},
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:return",
        frozenset({"appraiser"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:finalise",
        frozenset({"appraiser"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:council",
        OFFICE | {"council"},
        kwargs=lambda w: {"round_pk": w.round.pk},
    ),
    Route(
        "assessments:approve_many",
        frozenset({"admin", "council"}),
        kwargs=lambda w: {"round_pk": w.round.pk},
        method="post",
        ok=302,
    ),
    Route(
        "assessments:council_minutes_docx",
        OFFICE | {"council"},
        kwargs=lambda w: {"round_pk": w.round.pk},
    ),
    Route(
        "assessments:approve",
        frozenset({"admin", "council"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:send_back",
        frozenset({"admin", "council"}),
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route(
        "assessments:reopen",
        OFFICE,
        kwargs=assessment,
        method="post",
        ok=302,
        statuses=HIDDEN,
    ),
    Route("assessments:inbox", SIGNED_IN),
    Route("assessments:mark_read", SIGNED_IN, method="post", ok=302),
    Route("assessments:owners", OFFICE, kwargs=lambda w: {"round_pk": w.province_round.pk}),
    Route(
        "assessments:owners",
        OFFICE,
        kwargs=lambda w: {"round_pk": w.province_round.pk},
        method="post",
        ok=302,
    ),
    Route("assessments:province", OFFICE, kwargs=province_kwargs),
    Route("assessments:province_xlsx", OFFICE, kwargs=province_kwargs),
    Route("assessments:province_docx", OFFICE, kwargs=province_kwargs),
    Route("assessments:ministry", OFFICE, kwargs=province_kwargs),
    Route("assessments:ministry", OFFICE, kwargs=province_kwargs, method="post", ok=302),
]
