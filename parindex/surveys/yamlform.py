"""The questionnaire's YAML file, laid out as docs/design.md shows it: the details first, then each
option, group and question on one line (flow style), criterion codes in double quotes.

Reading goes through the index sets' safe YAML loader (`load_yaml`: safe_load only, UTF-8, the
syntax error located), so both files are read under the same limits.
"""

from __future__ import annotations

from typing import Any

import yaml

from parindex.indexsets.problems import IndexSetRefused
from parindex.indexsets.yamlfile import load_yaml
from parindex.surveys.spec import QuestionnaireRefused, QuestionnaireSpec, to_document


class _Code(str):
    """Text always in double quotes ("8.1" must stay text)."""


class _Line(dict):
    """A mapping written on one line."""


class _Layout(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        # Text that needs quotes gets double quotes, as in docs/design.md and the index-set files.
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Layout.add_representer(
    _Code, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, '"')
)
_Layout.add_representer(
    _Line,
    lambda dumper, value: dumper.represent_mapping(
        "tag:yaml.org,2002:map", value.items(), flow_style=True
    ),
)


def dump_questionnaire(spec: QuestionnaireSpec) -> str:
    """The canonical YAML text of a questionnaire."""
    document = to_document(spec)
    document["options"] = [_Line(option) for option in document["options"]]
    document["groups"] = [_Line(group) for group in document["groups"]]
    questions = []
    for question in document["questions"]:
        line = _Line(question)
        line["criterion"] = _Code(question["criterion"])
        if "options" in question:
            line["options"] = [_Line(option) for option in question["options"]]
        questions.append(line)
    document["questions"] = questions
    return yaml.dump(
        document,
        Dumper=_Layout,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
    )


def load_questionnaire_yaml(data: bytes) -> Any:
    """The document in a questionnaire's YAML file; QuestionnaireRefused says where it breaks."""
    try:
        return load_yaml(data)
    except IndexSetRefused as refused:
        raise QuestionnaireRefused(refused.problems) from None
