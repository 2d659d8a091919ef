"""The public form's content: the questions asked of the invitation's group, in order, with
their options and what was chosen so far (from the saved progress or the last post)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parindex.surveys.models import Invitation, Option, Question, Questionnaire, RespondentGroup


@dataclass(frozen=True)
class FormQuestion:
    code: str
    number: int
    text: str
    options: list[tuple[str, str]]  # (code, label)
    chosen: str


@dataclass(frozen=True)
class FormPage:
    title: str
    unit: str
    group: str
    closes_on: Any
    questions: list[FormQuestion]

    @property
    def answered(self) -> int:
        return sum(1 for question in self.questions if question.chosen)


def group_questions(
    questionnaire: Questionnaire, group: RespondentGroup
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(code, text, [(option code, label)]) of the questions asked of a group (two queries)."""
    questions = list(
        Question.objects.filter(questionnaire=questionnaire, groups=group).order_by("position")
    )
    scale: list[tuple[str, str]] = []
    own: dict[int, list[tuple[str, str]]] = {}
    for option in Option.objects.filter(questionnaire=questionnaire).order_by("position"):
        pair = (option.code, option.label)
        if option.question_id is None:
            scale.append(pair)
        else:
            own.setdefault(option.question_id, []).append(pair)
    return [(q.code, q.text, own.get(q.pk, []) if q.has_own_options else scale) for q in questions]


def form_page(invitation: Invitation, answers: Mapping[str, str] | None = None) -> FormPage:
    """The questions asked of the invitation's group (two queries)."""
    campaign = invitation.campaign
    chosen = dict(invitation.draft or {}) if answers is None else dict(answers)
    return FormPage(
        campaign.questionnaire.name,
        invitation.unit.name,
        invitation.group.name,
        campaign.closes_on,
        [
            FormQuestion(code, number, text, options, chosen.get(code, ""))
            for number, (code, text, options) in enumerate(
                group_questions(campaign.questionnaire, invitation.group), start=1
            )
        ],
    )


def answers_from(data: Mapping[str, Any], page: FormPage) -> dict[str, str]:
    """The option chosen per question in a posted form (fields named q-<code>)."""
    return {
        question.code: str(data.get(f"q-{question.code}", "")).strip()[:16]
        for question in page.questions
    }
