"""The questionnaire's canonical content (docs/design.md, "Surveys"): read from a YAML document (or
the XLSX form's rows turned into the same dict), checked, and written back.

Reading checks what the file alone can get wrong and lists every problem with its path
("questions › Q2 › options › 1 › percent: …"), in Vietnamese. Whether the index set and its
survey leaves exist is checked by the import service against the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from parindex.core.refusals import Problems, Refused

CODE = re.compile(r"^[^\s/]{1,32}$")
TOP_KEYS = ("code", "name", "index_set", "min_responses", "options", "groups", "questions")
OPTION_KEYS = ("code", "label", "percent")
GROUP_KEYS = ("code", "name", "weight")
QUESTION_KEYS = ("code", "text", "criterion", "groups", "options")


class QuestionnaireRefused(Refused):
    """A questionnaire (file, copy or import) was refused; every problem is listed."""

    default_code = "questionnaire.refused"


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    percent: Decimal | None = None


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: str
    criterion: str
    groups: tuple[str, ...]
    options: tuple[OptionSpec, ...] | None = None  # None: the questionnaire's scale


@dataclass(frozen=True)
class QuestionnaireSpec:
    code: str
    name: str
    index_set: str
    min_responses: int
    options: tuple[OptionSpec, ...]
    groups: tuple[GroupSpec, ...]
    questions: tuple[QuestionSpec, ...]

    def options_of(self, question: QuestionSpec) -> tuple[OptionSpec, ...]:
        """The options a question offers: its own, else the questionnaire's scale."""
        return question.options if question.options is not None else self.options


def location(path: tuple[str | int, ...]) -> str:
    """Where a problem is, as the reader sees it: questions › Q2 › options › 1 › percent."""
    return " › ".join(str(part) for part in path) if path else _("questionnaire")


class _Reader:
    """Walks the document once, collecting every problem with its path and its code."""

    def __init__(self, locate: Callable[[tuple[str | int, ...]], str]) -> None:
        self.problems = Problems()
        self.locate = locate

    def problem(self, path: tuple[str | int, ...], message: str, *, code: str) -> None:
        self.problems.add(f"{self.locate(path)}: {message}", code=code)

    def refused(self) -> QuestionnaireRefused:
        return QuestionnaireRefused(
            self.problems.texts, code="questionnaire.invalid", codes=self.problems.codes
        )

    def mapping(self, value: Any, path: tuple[str | int, ...], keys: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.problem(
                path, _("expected fields written as key: value."), code="questionnaire.not_fields"
            )
            return {}
        for key in value:
            if key not in keys:
                self.problem(
                    (*path, str(key)),
                    _("unknown field; the fields are %(keys)s.") % {"keys": ", ".join(keys)},
                    code="questionnaire.unknown_field",
                )
        return value

    def text(self, data: dict, key: str, path: tuple[str | int, ...], *, limit: int) -> str:
        value = data.get(key)
        where = (*path, key)
        if value is None or value == "":
            self.problem(where, _("this field is required."), code="questionnaire.required")
            return ""
        if not isinstance(value, str):
            self.problem(
                where,
                _('must be text; write it in quotes, e.g. "%(value)s".') % {"value": value},
                code="questionnaire.not_text",
            )
            return ""
        value = value.strip()
        if not value:
            self.problem(where, _("this field is required."), code="questionnaire.required")
        elif len(value) > limit:
            self.problem(
                where, _("at most %(n)d characters.") % {"n": limit}, code="questionnaire.too_long"
            )
        return value

    def code(self, data: dict, key: str, path: tuple[str | int, ...]) -> str:
        value = self.text(data, key, path, limit=40)
        if value and not CODE.match(value):
            self.problem(
                (*path, key),
                _("the code “%(code)s” must have 1 to 32 characters, without spaces or “/”.")
                % {"code": value},
                code="questionnaire.bad_code",
            )
        return value

    def number(
        self, value: Any, where: tuple[str | int, ...], *, low: Decimal, high: Decimal | None
    ) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem(
                where,
                _("must be a number, not “%(value)s”.") % {"value": value},
                code="questionnaire.not_a_number",
            )
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.problem(
                where,
                _("must be a number, not “%(value)s”.") % {"value": value},
                code="questionnaire.not_a_number",
            )
            return None
        if not number.is_finite():
            self.problem(
                where,
                _("must be a number, not “%(value)s”.") % {"value": value},
                code="questionnaire.not_a_number",
            )
            return None
        if number != number.quantize(Decimal("0.01")):
            self.problem(
                where,
                _("at most 2 decimals: %(value)s.") % {"value": value},
                code="questionnaire.too_many_decimals",
            )
            return None
        if number < low or (high is not None and number > high):
            if high is None:
                message = _("must be greater than 0, not %(value)s.") % {"value": value}
            else:
                message = _("must be from %(low)s to %(high)s, not %(value)s.") % {
                    "low": low,
                    "high": high,
                    "value": value,
                }
            self.problem(where, message, code="questionnaire.out_of_range")
            return None
        return Decimal(int(number)) if number == number.to_integral_value() else number

    def items(self, value: Any, path: tuple[str | int, ...], *, required: bool = True) -> list:
        if value is None:
            if required:
                self.problem(path, _("this list is required."), code="questionnaire.required")
            return []
        if not isinstance(value, list):
            self.problem(
                path,
                _("expected a list (lines starting with “- ”)."),
                code="questionnaire.not_a_list",
            )
            return []
        if required and not value:
            self.problem(path, _("the list must not be empty."), code="questionnaire.empty_list")
        return value

    def options(self, value: Any, path: tuple[str | int, ...]) -> tuple[OptionSpec, ...]:
        options: list[OptionSpec] = []
        seen: set[str] = set()
        for position, raw in enumerate(self.items(value, path), start=1):
            where = (*path, position)
            data = self.mapping(raw, where, OPTION_KEYS)
            code = self.code(data, "code", where) if data else ""
            label = self.text(data, "label", where, limit=200) if data else ""
            percent = None
            if data.get("percent") is not None:
                percent = self.number(
                    data["percent"], (*where, "percent"), low=Decimal(0), high=Decimal(100)
                )
            if code in seen:
                self.problem(
                    (*where, "code"),
                    _("the option “%(code)s” is listed twice.") % {"code": code},
                    code="questionnaire.listed_twice",
                )
            seen.add(code)
            options.append(OptionSpec(code, label, percent))
        if options and all(option.percent is None for option in options):
            self.problem(
                path,
                _("at least one option needs a percent, or nothing is counted."),
                code="questionnaire.no_percent",
            )
        return tuple(options)


def parse_questionnaire(
    document: Any, locate: Callable[[tuple[str | int, ...]], str] = location
) -> QuestionnaireSpec:
    """The questionnaire in a YAML-shaped document; QuestionnaireRefused lists every problem."""
    reader = _Reader(locate)
    data = reader.mapping(document, (), TOP_KEYS)
    if not data:
        if not reader.problems:
            reader.problem((), _("the file is empty."), code="questionnaire.empty")
        raise reader.refused()
    code = reader.code(data, "code", ())
    name = reader.text(data, "name", (), limit=300)
    index_set = reader.code(data, "index_set", ())
    min_responses = 1
    if data.get("min_responses") is not None:
        value = data["min_responses"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 10000:
            reader.problem(
                ("min_responses",),
                _("must be a whole number from 1 up, not “%(value)s”.") % {"value": value},
                code="questionnaire.out_of_range",
            )
        else:
            min_responses = value
    options = reader.options(data.get("options"), ("options",))
    groups: list[GroupSpec] = []
    for position, raw in enumerate(reader.items(data.get("groups"), ("groups",)), start=1):
        where: tuple[str | int, ...] = ("groups", position)
        item = reader.mapping(raw, where, GROUP_KEYS)
        group_code = reader.code(item, "code", where) if item else ""
        group_name = reader.text(item, "name", where, limit=200) if item else ""
        weight = None
        if item:
            if item.get("weight") is None:
                reader.problem(
                    (*where, "weight"), _("this field is required."), code="questionnaire.required"
                )
            else:
                weight = reader.number(
                    item["weight"], (*where, "weight"), low=Decimal("0.01"), high=None
                )
        if group_code and any(group.code == group_code for group in groups):
            reader.problem(
                (*where, "code"),
                _("the group “%(code)s” is listed twice.") % {"code": group_code},
                code="questionnaire.listed_twice",
            )
        groups.append(GroupSpec(group_code, group_name, weight or Decimal(1)))
    known_groups = {group.code for group in groups}
    questions: list[QuestionSpec] = []
    for position, raw in enumerate(reader.items(data.get("questions"), ("questions",)), start=1):
        where = ("questions", position)
        item = reader.mapping(raw, where, QUESTION_KEYS)
        if not item:
            continue
        question_code = reader.code(item, "code", where)
        if question_code:
            where = ("questions", question_code)
        text = reader.text(item, "text", where, limit=2000)
        criterion = item.get("criterion")
        if isinstance(criterion, int | float) and not isinstance(criterion, bool):
            reader.problem(
                (*where, "criterion"),
                _(
                    "the criterion code %(value)s must be text; write it in quotes, "
                    'e.g. "%(value)s".'
                )
                % {"value": criterion},
                code="questionnaire.not_text",
            )
            criterion = ""
        else:
            criterion = reader.code(item, "criterion", where)
        asked: list[str] = []
        for group in reader.items(item.get("groups"), (*where, "groups")):
            if not isinstance(group, str) or group not in known_groups:
                reader.problem(
                    (*where, "groups"),
                    _("“%(group)s” is not one of the groups (%(known)s).")
                    % {"group": group, "known": ", ".join(sorted(known_groups))},
                    code="questionnaire.unknown_group",
                )
            elif group in asked:
                reader.problem(
                    (*where, "groups"),
                    _("the group “%(group)s” is listed twice.") % {"group": group},
                    code="questionnaire.listed_twice",
                )
            else:
                asked.append(group)
        own = None
        if "options" in item:
            own = reader.options(item["options"], (*where, "options"))
        if question_code and any(question.code == question_code for question in questions):
            reader.problem(
                (*where, "code"),
                _("the question “%(code)s” is listed twice.") % {"code": question_code},
                code="questionnaire.listed_twice",
            )
        questions.append(QuestionSpec(question_code, text, str(criterion), tuple(asked), own))
    if reader.problems:
        raise reader.refused()
    return QuestionnaireSpec(
        code, name, index_set, min_responses, options, tuple(groups), tuple(questions)
    )


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _option_dict(option: OptionSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": option.code, "label": option.label}
    if option.percent is not None:
        data["percent"] = _number(option.percent)
    return data


def to_document(spec: QuestionnaireSpec) -> dict[str, Any]:
    """The canonical document of a questionnaire (keys in the order of docs/design.md)."""
    questions = []
    for question in spec.questions:
        data: dict[str, Any] = {
            "code": question.code,
            "text": question.text,
            "criterion": question.criterion,
            "groups": list(question.groups),
        }
        if question.options is not None:
            data["options"] = [_option_dict(option) for option in question.options]
        questions.append(data)
    return {
        "code": spec.code,
        "name": spec.name,
        "index_set": spec.index_set,
        "min_responses": spec.min_responses,
        "options": [_option_dict(option) for option in spec.options],
        "groups": [
            {"code": group.code, "name": group.name, "weight": _number(group.weight)}
            for group in spec.groups
        ],
        "questions": questions,
    }
