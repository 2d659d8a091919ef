"""Reading, validating and writing back index-set specs."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from parindex.engine import (
    PROBLEM_TEMPLATES,
    Band,
    ChoiceOption,
    ChoiceRule,
    Criterion,
    DeductionRule,
    IndexSet,
    IndexSetInvalid,
    Kind,
    NAPolicy,
    PercentTiersRule,
    ProportionalRule,
    RangeRule,
    Source,
    Tier,
    parse_index_set,
    to_spec,
    validate_index_set,
)
from parindex.engine.tests.builders import (
    BANDS,
    CHOICE,
    DESIGN_YAML,
    TIERS,
    D,
    branch,
    choice,
    leaf,
    make_set,
    make_spec,
    tiers,
)


def problems_of(spec: Any) -> list[tuple[str, str]]:
    """(path, code) of every problem found in a spec, in document order."""
    with pytest.raises(IndexSetInvalid, check=lambda exception: bool(exception.problems)) as raised:
        parse_index_set(spec)
    return [(problem.path, problem.code) for problem in raised.value.problems]


def test_the_design_example_is_the_one_in_the_contract_document():
    contract = Path(__file__).resolve().parents[3] / "docs" / "design.md"
    assert DESIGN_YAML in contract.read_text(encoding="utf-8")


def test_the_design_example_reads_into_the_model():
    index_set = parse_index_set(yaml.safe_load(DESIGN_YAML))
    assert (index_set.code, index_set.unit_type, index_set.valid_from) == ("SO-2024", "SO", 2024)
    assert index_set.bands[1] == Band("KHA", "Khá", D("80"))
    area = index_set.criterion("1")
    assert (area.owner, area.max_points, area.is_leaf) == ("SNV", D("2"), False)
    assert index_set.criterion("1.1.1").rule == ChoiceRule(
        (
            ChoiceOption("Đúng hạn", D("1")),
            ChoiceOption("Chậm", D("0.5")),
            ChoiceOption("Không ban hành", D("0")),
        )
    )
    assert index_set.criterion("1.1.1").evidence == "Quyết định ban hành kế hoạch"
    assert index_set.criterion("1.1.2").rule == PercentTiersRule(
        (Tier(D("100"), D("1")), Tier(D("80"), D("0.5")))
    )
    survey = index_set.criterion("8.1")
    assert (survey.source, survey.rule) == (Source.SURVEY, ProportionalRule())
    bonus = index_set.criterion("B")
    assert (bonus.kind, bonus.rule) == (Kind.BONUS, RangeRule(D("0.25")))
    assert index_set.max_points == D("22")  # the bonus stands outside the maximum


def test_defaults_apply_to_a_bare_leaf():
    node = make_set(branch("A", leaf("L", 3))).criterion("L")
    assert (node.source, node.not_applicable, node.rule) == (
        Source.SELF,
        NAPolicy.NONE,
        RangeRule(D("0.01")),
    )
    assert (node.owner, node.evidence, node.guidance) == ("", "", "")


@pytest.mark.parametrize(
    "value",
    [1, 1.0, "1", "1.00", D("1")],
    ids=["int", "float", "str", "str-trailing-zeros", "decimal"],
)
def test_numbers_are_read_through_their_text(value):
    assert make_set(branch("A", leaf("L", value))).criterion("L").max_points == D("1")


def test_a_float_is_read_as_written_not_as_its_binary_value():
    assert make_set(branch("A", leaf("L", 0.1))).criterion("L").max_points == D("0.1")


def test_integer_codes_are_read_as_text():
    index_set = make_set({"code": 1, "name": "Lĩnh vực 1", "children": [leaf("1.1")]})
    assert index_set.criteria[0].code == "1"


def test_a_bonus_branch_may_cap_below_its_children():
    bonus = branch("B", leaf("B.1"), leaf("B.2"), kind="bonus", max_points=1.5)
    index_set = make_set(branch("A", leaf("L")), bonus)
    assert index_set.criterion("B").max_points == D("1.5")


def test_every_problem_is_reported_at_once_in_document_order():
    spec = make_spec(
        branch("A", leaf("A.1", 0), leaf("A.1", 1, colour="red")),
        branch("Z", leaf("Z.1", 1, rule={"type": "range", "step": 0.3})),
    )
    spec["valid_from"] = "năm 2024"
    assert problems_of(spec) == [
        ("valid_from", "not_a_year"),
        ("criteria/A/A.1/max_points", "not_positive"),
        ("criteria/A/A.1/colour", "unknown_key"),
        ("criteria/A/A.1", "duplicate_code"),
        ("criteria/Z/Z.1/rule/step", "step_not_divisor"),
    ]


def test_the_error_lists_every_problem_in_english():
    with pytest.raises(
        IndexSetInvalid, match="criteria/A/L/max_points: The field 'max_points' must be a number"
    ):
        parse_index_set(make_spec(branch("A", leaf("L", "abc"))))


def _with(spec: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**spec, **changes}


OK_AREA = branch("A", leaf("A.1"))
PROBLEM_CASES: dict[str, tuple[Any, str]] = {
    # problem code: (spec, path of the problem)
    "not_a_mapping": (make_spec(OK_AREA, "Lĩnh vực 2"), "criteria/#2"),  # type: ignore[arg-type]
    "not_a_list": (_with(make_spec(), criteria={"A": OK_AREA}), "criteria"),
    "missing_field": (make_spec(OK_AREA, {"code": "B", "children": [leaf("B.1")]}), "criteria/B"),
    "unknown_key": (make_spec(branch("A", leaf("A.1", weight=2))), "criteria/A/A.1/weight"),
    "not_text": (make_spec(branch("A", leaf("A.1", evidence=12))), "criteria/A/A.1/evidence"),
    "empty_text": (make_spec(branch("A", leaf("A.1", name="  "))), "criteria/A/A.1/name"),
    "code_not_text": (make_spec(branch("A", {**leaf("x"), "code": 1.1})), "criteria/A/#1/code"),
    "invalid_code": (make_spec(branch("A", leaf("A 1"))), "criteria/A/#1/code"),
    "not_a_number": (make_spec(branch("A", leaf("A.1", "một"))), "criteria/A/A.1/max_points"),
    "too_many_decimals": (make_spec(branch("A", leaf("A.1", 0.125))), "criteria/A/A.1/max_points"),
    "not_positive": (make_spec(branch("A", leaf("A.1", 0))), "criteria/A/A.1/max_points"),
    "negative_number": (
        make_spec(branch("A", leaf("A.1", rule=choice(("Có", 1), ("Vi phạm", -1))))),
        "criteria/A/A.1/rule/options/2/points",
    ),
    "percent_out_of_range": (
        make_spec(OK_AREA, bands=[{"code": "TOT", "name": "Tốt", "min_percent": 120}, BANDS[-1]]),
        "bands/1/min_percent",
    ),
    "invalid_value": (make_spec(branch("A", leaf("A.1", source="robot"))), "criteria/A/A.1/source"),
    "not_a_year": (_with(make_spec(OK_AREA), valid_from=24), "valid_from"),
    "no_criteria": (make_spec(leaf("B", kind="bonus")), "criteria"),
    "duplicate_code": (
        make_spec(branch("A", leaf("A.1")), branch("B", leaf("A.1"))),
        "criteria/B/A.1",
    ),
    "no_children": (make_spec(OK_AREA, branch("B")), "criteria/B/children"),
    "branch_has_rule": (make_spec(branch("A", leaf("A.1"), rule=CHOICE)), "criteria/A/rule"),
    "leaf_field_on_branch": (
        make_spec(branch("A", leaf("A.1"), source="survey")),
        "criteria/A/source",
    ),
    "max_mismatch": (make_spec(branch("A", leaf("A.1"), max_points=2)), "criteria/A/max_points"),
    "cap_above_children": (
        make_spec(OK_AREA, branch("B", leaf("B.1"), kind="bonus", max_points=2)),
        "criteria/B/max_points",
    ),
    "kind_not_top_level": (
        make_spec(branch("A", leaf("A.1", kind="bonus"))),
        "criteria/A/A.1/kind",
    ),
    "na_in_bonus_penalty": (
        make_spec(OK_AREA, leaf("P", kind="penalty", not_applicable="exclude")),
        "criteria/P/not_applicable",
    ),
    "deduction_in_penalty": (
        make_spec(OK_AREA, leaf("P", kind="penalty", rule={"type": "deduction", "per_item": 1})),
        "criteria/P/rule/type",
    ),
    "input_not_computed": (
        make_spec(branch("A", leaf("A.1", input="tasks_done"))),
        "criteria/A/A.1/input",
    ),
    "computed_rule": (
        make_spec(branch("A", leaf("A.1", source="computed", input="tasks_done"))),
        "criteria/A/A.1/rule",
    ),
    "no_options": (
        make_spec(branch("A", leaf("A.1", rule=choice()))),
        "criteria/A/A.1/rule/options",
    ),
    "duplicate_label": (
        make_spec(branch("A", leaf("A.1", rule=choice(("Có", 1), ("Có", 0))))),
        "criteria/A/A.1/rule/options/2/label",
    ),
    "points_above_max": (
        make_spec(branch("A", leaf("A.1", rule=choice(("Có", 2))))),
        "criteria/A/A.1/rule/options/1/points",
    ),
    "best_option_below_max": (
        make_spec(branch("A", leaf("A.1", rule=choice(("Có", 0.5), ("Không", 0))))),
        "criteria/A/A.1/rule/options",
    ),
    "no_tiers": (make_spec(branch("A", leaf("A.1", rule=tiers()))), "criteria/A/A.1/rule/tiers"),
    "tiers_not_descending": (
        make_spec(branch("A", leaf("A.1", rule=tiers((80, 1), (100, 0.5))))),
        "criteria/A/A.1/rule/tiers/2/min_percent",
    ),
    "tier_points_increasing": (
        make_spec(branch("A", leaf("A.1", rule=tiers((100, 1), (80, 0.5), (50, 0.75))))),
        "criteria/A/A.1/rule/tiers/3/points",
    ),
    "best_tier_below_max": (
        make_spec(branch("A", leaf("A.1", 2, rule=TIERS))),
        "criteria/A/A.1/rule/tiers/1/points",
    ),
    "step_not_divisor": (
        make_spec(branch("A", leaf("A.1", rule={"type": "range", "step": 0.3}))),
        "criteria/A/A.1/rule/step",
    ),
    "no_bands": (make_spec(OK_AREA, bands=[]), "bands"),
    "bands_not_descending": (
        make_spec(OK_AREA, bands=[BANDS[1], BANDS[0], BANDS[3]]),
        "bands/2/min_percent",
    ),
    "last_band_not_zero": (make_spec(OK_AREA, bands=BANDS[:3]), "bands/3/min_percent"),
    "duplicate_band_code": (
        make_spec(OK_AREA, bands=[BANDS[0], {**BANDS[3], "code": "TOT"}]),
        "bands/2/code",
    ),
}


@pytest.mark.parametrize(("spec", "path"), PROBLEM_CASES.values(), ids=PROBLEM_CASES.keys())
def test_each_problem_is_found_where_it_is(spec, path, request):
    code = request.node.callspec.id
    with pytest.raises(
        IndexSetInvalid,
        check=lambda exception: any(problem.code == code for problem in exception.problems),
    ) as raised:
        parse_index_set(spec)
    found = [problem for problem in raised.value.problems if problem.code == code]
    assert [problem.path for problem in found] == [path], raised.value.problems
    assert found[0].message  # the template accepts the problem's params


def test_every_problem_code_has_a_template_and_a_case():
    assert set(PROBLEM_CASES) == set(PROBLEM_TEMPLATES)
    engine = Path(__file__).resolve().parents[1]
    literal_codes = set()
    for path in (engine / "spec").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "problem"
                and isinstance(node.args[1], ast.Constant)
            ):
                literal_codes.add(node.args[1].value)
    assert literal_codes <= set(PROBLEM_TEMPLATES)


JUNK = {
    "rule-type-list": leaf("L", rule={"type": ["range"]}),
    "rule-not-mapping": leaf("L", rule="range"),
    "options-not-list": leaf("L", rule={"type": "choice", "options": "Có"}),
    "option-not-mapping": leaf("L", rule={"type": "choice", "options": ["Có"]}),
    "children-not-list": branch("L") | {"children": "L.1"},
    "child-none": branch("L") | {"children": [None]},
    "kind-list": leaf("L", kind=["bonus"]),
    "max-dict": leaf("L", {"value": 1}),
    "max-bool": leaf("L", True),
    "max-nan": leaf("L", "NaN"),
    "max-infinity": leaf("L", float("inf")),
    "code-none": leaf("L") | {"code": None},
    "name-list": leaf("L") | {"name": ["Tên"]},
}


@pytest.mark.parametrize("node", JUNK.values(), ids=JUNK.keys())
def test_junk_is_reported_as_problems_never_as_a_crash(node):
    with pytest.raises(IndexSetInvalid, check=lambda exception: bool(exception.problems)) as raised:
        parse_index_set(make_spec(branch("A", node)))
    assert all(problem.message for problem in raised.value.problems)


def test_a_spec_that_is_not_a_mapping_is_refused():
    assert problems_of(["code", "name"]) == [("", "not_a_mapping")]


def test_missing_set_fields_are_all_reported():
    assert problems_of({}) == [
        ("", "missing_field"),
        ("", "missing_field"),
        ("", "missing_field"),
        ("", "missing_field"),
        ("", "missing_field"),
        ("", "missing_field"),
    ]


# -- writing back --------------------------------------------------------------------------------


def dump(spec: dict[str, Any]) -> str:
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)


def test_the_design_example_round_trips_once_its_default_is_dropped():
    data = yaml.safe_load(DESIGN_YAML)
    del data["criteria"][0]["children"][0]["children"][1]["not_applicable"]  # `none` is default
    assert to_spec(parse_index_set(data)) == data


CANONICAL_LEAVES = {
    "range-default": leaf("L", 2),
    "range-step": leaf("L", 2, rule={"type": "range", "step": 0.25}),
    "choice": leaf("L", 1, rule=CHOICE),
    "percent-tiers": leaf("L", 1, rule=TIERS),
    "proportional-survey": leaf("L", 20, source="survey", rule={"type": "proportional"}),
    "deduction": leaf("L", 2, rule={"type": "deduction", "per_item": 0.5}),
    "computed-exclude": leaf("L", 1.5, source="computed", not_applicable="exclude"),
    "full-with-texts": leaf(
        "L", 1, not_applicable="full", owner="STP", evidence="Báo cáo", guidance="Đếm văn bản"
    ),
}


@pytest.mark.parametrize("node", CANONICAL_LEAVES.values(), ids=CANONICAL_LEAVES.keys())
def test_canonical_yaml_round_trips_exactly(node):
    text = dump(
        make_spec(branch("A", node), leaf("B", 2, kind="bonus"), leaf("P", 1, kind="penalty"))
    )
    assert dump(to_spec(parse_index_set(yaml.safe_load(text)))) == text


def test_numbers_come_back_as_written():
    spec = make_spec(branch("A", leaf("L", 1, rule=CHOICE)))
    text = dump(to_spec(parse_index_set(spec)))
    assert "max_points: 1\n" in text and "points: 0.5\n" in text and "min_percent: 0\n" in text


def test_a_branch_max_is_written_only_when_it_is_a_cap():
    spec = make_spec(
        branch("A", leaf("A.1"), max_points=1),
        branch("B", leaf("B.1"), leaf("B.2"), kind="bonus", max_points=1.5),
    )
    written = to_spec(parse_index_set(spec))
    assert "max_points" not in written["criteria"][0]
    assert written["criteria"][1]["max_points"] == 1.5


def test_an_index_set_built_in_code_can_be_validated():
    bad = IndexSet(
        code="X",
        name="X",
        unit_type="SO",
        valid_from=2024,
        bands=(Band("ALL", "Tất cả", D("0")),),
        criteria=(Criterion("A", "A", D("1"), rule=DeductionRule(D("0"))),),
    )
    with pytest.raises(
        IndexSetInvalid,
        check=lambda exception: (
            [problem.code for problem in exception.problems] == ["not_positive"]
        ),
    ):
        validate_index_set(bad)


def test_a_computed_leaf_reads_its_input_and_writes_it_back():
    spec = make_spec(
        branch(
            "A",
            leaf(
                "A.1",
                source="computed",
                input="reports_on_time",
                rule={"type": "proportional"},
                not_applicable="exclude",
            ),
        )
    )
    index_set = parse_index_set(spec)
    node = index_set.criterion("A.1")
    assert (node.source, node.input) == (Source.COMPUTED, "reports_on_time")
    written = to_spec(index_set)["criteria"][0]["children"][0]
    assert list(written) == [
        "code",
        "name",
        "max_points",
        "source",
        "input",
        "rule",
        "not_applicable",
    ]
    assert parse_index_set(to_spec(index_set)) == index_set


def test_an_unknown_input_is_refused_with_the_allowed_ones():
    spec = make_spec(
        branch("A", leaf("A.1", source="computed", input="budget", rule={"type": "proportional"}))
    )
    with pytest.raises(
        IndexSetInvalid, check=lambda exception: len(exception.problems) == 1
    ) as raised:
        parse_index_set(spec)
    (problem,) = raised.value.problems
    assert (problem.path, problem.code) == ("criteria/A/A.1/input", "invalid_value")
    assert "tasks_on_time" in problem.params["allowed"]
