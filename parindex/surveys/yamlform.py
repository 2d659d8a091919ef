"""The questionnaire's YAML file, laid out as docs/design.md shows it: the details first, then each
option, group and question on one line (flow style), criterion codes in double quotes.

Reading goes through the index sets' safe YAML loader (`load_yaml`: safe_load only, UTF-8, the
syntax error located), so both files are read under the same limits.
"""

from __future__ import annotations

from typing import Any

import yaml

from parindex.indexsets.problems import IndexSetRefused

# One YAML layout for every canonical file: the index sets' dumper and its quoted/flow markers.
from parindex.indexsets.yamlfile import _Dumper as _Layout
from parindex.indexsets.yamlfile import _Flow as _Line
from parindex.indexsets.yamlfile import _Quoted as _Code
from parindex.indexsets.yamlfile import load_yaml
from parindex.surveys.spec import QuestionnaireRefused, QuestionnaireSpec, to_document


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
        raise QuestionnaireRefused(refused.problems, code=refused.code) from None
