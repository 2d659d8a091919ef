"""Questionnaires: import, versions, validation per path, YAML round trip, copy, command line."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.cli import translate
from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.surveys import files, queries
from parindex.surveys.models import Option, Question, Questionnaire
from parindex.surveys.services import questionnaires
from parindex.surveys.spec import (
    GroupSpec,
    OptionSpec,
    QuestionnaireSpec,
    QuestionSpec,
    parse_questionnaire,
)
from parindex.surveys.tests.factories import QUESTIONNAIRE_YAML, questionnaire, survey_set
from parindex.surveys.yamlform import dump_questionnaire, load_questionnaire_yaml


def _document(**changes):
    document = yaml.safe_load(QUESTIONNAIRE_YAML)
    document.update(changes)
    return document


def _problems(document) -> list[tuple[str, str]]:
    """(place, code) of each problem (the place is the document's path, never translated)."""
    with refuses("questionnaire.invalid") as refused:
        parse_questionnaire(document)
    places = [problem.split(": ", 1)[0] for problem in refused.value.problems]
    return list(zip(places, refused.value.codes, strict=True))


@pytest.fixture
def so_set(db):
    return survey_set()


def test_import_stores_groups_scale_and_questions(so_set, par_officer):
    stored = questionnaire(by=par_officer)
    assert (stored.code, stored.version, stored.index_set) == ("XHH-SO-T", 1, so_set)
    assert list(stored.groups.values_list("code", "weight")) == [
        ("LDP", Decimal("2.00")),
        ("DN", Decimal("1.00")),
    ]
    q3 = Question.objects.get(questionnaire=stored, code="Q3")
    assert q3.has_own_options and q3.criterion.code == "8.2"
    assert list(q3.groups.values_list("code", flat=True)) == ["DN"]
    assert list(q3.options.values_list("code", "percent")) == [
        ("C", Decimal("100.00")),
        ("K", Decimal("0.00")),
    ]
    assert Option.objects.get(questionnaire=stored, question=None, code="X").percent is None
    assert AuditEntry.objects.filter(action="questionnaire.created", actor=par_officer).exists()


def test_the_yaml_export_gives_back_the_imported_file_byte_for_byte(so_set):
    stored = questionnaire()
    assert dump_questionnaire(queries.questionnaire_spec(stored)) == QUESTIONNAIRE_YAML


def test_reimporting_the_same_file_changes_nothing_and_a_changed_one_makes_a_version(so_set):
    first = questionnaire()
    again = files.read_questionnaire_file(QUESTIONNAIRE_YAML.encode(), "x.yaml")
    assert questionnaires.import_questionnaire(spec=again, by=None).action == "unchanged"
    changed = QUESTIONNAIRE_YAML.replace("weight: 2}", "weight: 3}")
    second = questionnaire(changed)
    assert (second.version, second.derived_from) == (2, first)
    assert Questionnaire.objects.filter(code="XHH-SO-T").count() == 2
    assert first.groups.get(code="LDP").weight == 2  # the old version never changes


def test_a_dry_run_checks_and_saves_nothing(so_set):
    spec = files.read_questionnaire_file(QUESTIONNAIRE_YAML.encode(), "x.yaml")
    result = questionnaires.import_questionnaire(spec=spec, by=None, dry_run=True)
    assert result.dry_run and result.action == "created"
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"code": "XHH SO"}, ("code", "questionnaire.bad_code")),
        ({"name": ""}, ("name", "questionnaire.required")),
        ({"min_responses": 0}, ("min_responses", "questionnaire.out_of_range")),
        ({"colour": "red"}, ("colour", "questionnaire.unknown_field")),
        ({"options": [{"code": "A", "label": "Có"}]}, ("options", "questionnaire.no_percent")),
        (
            {"options": [{"code": "A", "label": "Có", "percent": 120}]},
            ("options › 1 › percent", "questionnaire.out_of_range"),
        ),
        (
            {"options": [{"code": "A", "label": "Có", "percent": 12.345}]},
            ("options › 1 › percent", "questionnaire.too_many_decimals"),
        ),
        (
            {"groups": [{"code": "LDP", "name": "Lãnh đạo", "weight": 0}]},
            ("groups › 1 › weight", "questionnaire.out_of_range"),
        ),
        ({"groups": []}, ("groups", "questionnaire.empty_list")),
    ],
    ids=[
        "code-with-space",
        "empty-name",
        "zero-minimum",
        "unknown-key",
        "nothing-counted",
        "percent-above-100",
        "three-decimals",
        "zero-weight",
        "no-groups",
    ],
)
def test_a_bad_document_is_refused_with_the_path_of_each_problem(changes, expected):
    problems = _problems(_document(**changes))
    assert expected in problems, problems


def test_question_problems_are_located_by_the_questions_code():
    document = _document()
    document["questions"][1]["groups"] = ["LDP", "HDND"]
    document["questions"][2]["criterion"] = 8.2
    document["questions"][3]["code"] = "Q1"
    assert _problems(document) == [
        ("questions › Q2 › groups", "questionnaire.unknown_group"),
        ("questions › Q3 › criterion", "questionnaire.not_text"),
        ("questions › Q1 › code", "questionnaire.listed_twice"),
    ]


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ("9.9", "questionnaire.unknown_criterion"),
        ("1.1", "questionnaire.not_a_survey_leaf"),
        ("8", "questionnaire.not_a_survey_leaf"),
    ],
    ids=["unknown", "self-assessed", "branch"],
)
def test_each_question_must_point_at_a_survey_leaf_of_the_index_set(so_set, criterion, expected):
    text = QUESTIONNAIRE_YAML.replace('criterion: "8.3"', f'criterion: "{criterion}"')
    with refuses("questionnaire.criteria_invalid") as refused:
        questionnaire(text)
    assert refused.value.codes == [expected]
    assert refused.value.problems[0].startswith("questions › Q4 › criterion: ")
    assert re.search(rf"\b{re.escape(criterion)}\b", refused.value.problems[0].split(": ", 1)[1])
    assert not Questionnaire.objects.exists()


def test_an_unknown_index_set_is_refused(db):
    with refuses("questionnaire.unknown_index_set") as refused:
        questionnaire()
    assert "“SO-XHH”" in str(refused.value)


def test_a_yaml_syntax_error_is_located():
    with refuses("index_set_file.yaml_syntax") as refused:
        load_questionnaire_yaml(b"code: A\n  name: [\n")
    assert " 2, " in str(refused.value)  # line 2, column …


def test_copy_from_last_year_keeps_the_questions_on_the_new_set(so_set, par_officer):
    source = questionnaire()
    new_set = survey_set("SO-XHH-2026", 2026)
    copy = questionnaires.copy_questionnaire(
        source=source,
        code="XHH-SO-2026",
        name="Phiếu điều tra năm 2026",
        index_set_code="SO-XHH-2026",
        by=par_officer,
    ).questionnaire
    assert (copy.index_set, copy.derived_from, copy.version) == (new_set, source, 1)
    assert (
        queries.questionnaire_spec(copy).questions == queries.questionnaire_spec(source).questions
    )
    with refuses("questionnaire.code_taken"):
        questionnaires.copy_questionnaire(
            source=source, code="XHH-SO-2026", name="x", index_set_code="SO-XHH-2026", by=None
        )


def test_the_command_prints_the_code_and_refuses_a_bad_file(so_set, tmp_path, capsys):
    good = tmp_path / "xhh.yaml"
    good.write_text(QUESTIONNAIRE_YAML, "utf-8")
    call_command("import_questionnaire", str(good), "--dry-run")
    assert not Questionnaire.objects.exists()
    capsys.readouterr()
    call_command("import_questionnaire", str(good))
    assert capsys.readouterr().out.strip() == "XHH-SO-T"
    bad = tmp_path / "bad.yaml"
    bad.write_text(QUESTIONNAIRE_YAML.replace("weight: 1}", "weight: -1}"), "utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_questionnaire", str(bad))
    assert "groups › 2 › weight" in capsys.readouterr().err


def test_the_cli_words_name_the_import_command():
    assert translate(["survey", "import", "f.yaml"]) == ["import_questionnaire", "f.yaml"]


# -- round trip of any questionnaire -------------------------------------------------------------

codes = st.text(alphabet="ABCDEFGHKLMNPQRSTUVXY0123456789.-_", min_size=1, max_size=8)
texts = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
percents = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=100, places=2).map(lambda d: d.normalize())
)


@st.composite
def specs(draw):
    options = draw(
        st.lists(
            st.builds(OptionSpec, codes, texts, percents),
            min_size=1,
            max_size=5,
            unique_by=lambda option: option.code,
        )
    )
    if all(option.percent is None for option in options):
        options[0] = OptionSpec(options[0].code, options[0].label, Decimal(100))
    groups = draw(
        st.lists(
            st.builds(
                GroupSpec, codes, texts, st.decimals(min_value="0.01", max_value=99, places=2)
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda group: group.code,
        )
    )
    group_codes = [group.code for group in groups]
    questions = draw(
        st.lists(
            st.builds(
                QuestionSpec,
                codes,
                texts,
                codes,
                st.lists(st.sampled_from(group_codes), min_size=1, unique=True).map(tuple),
                st.none(),
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda question: question.code,
        )
    )
    return QuestionnaireSpec(
        draw(codes),
        draw(texts),
        draw(codes),
        draw(st.integers(1, 30)),
        tuple(options),
        tuple(groups),
        tuple(questions),
    )


@settings(max_examples=60, deadline=None)
@given(spec=specs())
def test_any_questionnaire_survives_the_yaml_round_trip(spec):
    text = dump_questionnaire(spec)
    assert parse_questionnaire(yaml.safe_load(text)) == spec
