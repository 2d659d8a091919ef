"""Collection by link or QR code (the public form) and by paper forms typed in twice.

Both end in `responses.store_responses`, like imported files. Anonymity: the public form's
submission stores a response with a random id and the day only; the invitation is marked used
on that day and its answers in progress are erased. Nothing is written to the audit log for a
submission, because an entry's time would tie the response to the moment the link was used.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import audit
from parindex.core.refusals import Problems, Refused
from parindex.rounds.models import Round
from parindex.surveys.models import Campaign, Invitation, PaperEntry, RespondentGroup, Response
from parindex.surveys.services.campaigns import token_hash
from parindex.surveys.services.responses import Draft, Vocabulary, store_responses
from parindex.units.models import Unit


class FormRefused(Refused):
    """A form cannot be taken; the message says why, in Vietnamese."""

    default_code = "survey_form.refused"


def is_collecting(campaign: Campaign) -> bool:
    """Whether a campaign takes responses today: open, before its close date, round not frozen."""
    return (
        campaign.status == Campaign.Status.OPEN
        and timezone.localdate() <= campaign.closes_on
        and campaign.round.status != Round.Status.PUBLISHED
    )


def invitation_for(token: str) -> Invitation | None:
    """The unused invitation behind a token whose campaign still collects (None otherwise)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related(
            "campaign__questionnaire", "campaign__round", "unit", "group"
        )
        .filter(token_hash=token_hash(token), used_on__isnull=True)
        .first()
    )
    if invitation is None or not is_collecting(invitation.campaign):
        return None
    return invitation


def _draft(
    vocabulary: Vocabulary,
    group_id: int,
    answers: Mapping[str, str],
    response_id: str,
    unit_id: int,
) -> Draft:
    """A checked draft from {question code: option code or ''} for the questions of a group."""
    draft = Draft(response_id, unit_id, group_id)
    problems = Problems()
    for code, question in vocabulary.questions.items():
        if group_id not in vocabulary.asked[question.pk]:
            continue
        chosen = (answers.get(code) or "").strip()
        options = vocabulary.options[question.pk]
        option = options.get(chosen) or {key.upper(): o for key, o in options.items()}.get(
            chosen.upper()
        )
        if chosen and option is None:
            problems.add(
                _("“%(answer)s” is not an option of question %(code)s")
                % {"answer": chosen, "code": code},
                code="survey_form.not_an_option",
            )
        draft.answers[question.pk] = option.pk if option else None
    unknown = sorted(set(answers) - set(vocabulary.questions))
    if unknown:
        problems.add(
            _("unknown question(s): %(codes)s") % {"codes": ", ".join(unknown)},
            code="survey_form.unknown_questions",
        )
    if problems:
        raise FormRefused(problems.texts, code="survey_form.invalid_answers", codes=problems.codes)
    if all(option is None for option in draft.answers.values()):
        raise FormRefused(
            _("Answer at least one question before sending the form."), code="survey_form.empty"
        )
    return draft


@transaction.atomic
def save_progress(*, token: str, answers: Mapping[str, str]) -> Invitation:
    """Keep the answers typed so far, so the respondent can come back to the same link."""
    invitation = invitation_for(token)
    if invitation is None:
        raise FormRefused(_("This link is no longer valid."), code="survey_form.link_invalid")
    Invitation.objects.filter(pk=invitation.pk, used_on__isnull=True).update(
        draft={code: str(value)[:16] for code, value in answers.items() if value}
    )
    return invitation


@transaction.atomic
def submit_form(*, token: str, answers: Mapping[str, str]) -> Campaign:
    """Turn a filled-in public form into a response; the link then stops working."""
    invitation = invitation_for(token)
    if invitation is None:
        raise FormRefused(_("This link is no longer valid."), code="survey_form.link_invalid")
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, used_on__isnull=True)
    if not locked.exists():  # the same link sent twice at once: the first one wins
        raise FormRefused(_("This form has already been sent."), code="survey_form.already_sent")
    vocabulary = Vocabulary(invitation.campaign)
    draft = _draft(
        vocabulary,
        invitation.group_id,
        answers,
        f"W-{secrets.token_hex(8)}",
        invitation.unit_id,
    )
    today = timezone.localdate()
    store_responses(
        campaign=invitation.campaign,
        drafts=[draft],
        channel=Response.Channel.WEB,
        received_on=today,
    )
    locked.update(used_on=today, draft=None)
    return invitation.campaign


# -- paper forms, typed twice --------------------------------------------------------------------


@dataclass(frozen=True)
class PaperOutcome:
    """What an entry of a paper form did: waiting for a second entry, accepted, or differs."""

    status: str  # "waiting", "accepted", "differs"
    differing: tuple[str, ...] = ()  # question codes where the entries disagree


def paper_response_id(form_number: str) -> str:
    return f"P-{form_number}"


@transaction.atomic
def enter_paper_form(
    *,
    campaign: Campaign,
    form_number: str,
    unit: Unit,
    group: RespondentGroup,
    answers: Mapping[str, str],
    by: Any,
) -> PaperOutcome:
    """Record one typing of a paper form. A second typing by another person that agrees on
    the unit, the group and every answer makes the response (double-entry check)."""
    campaign = Campaign.objects.select_for_update().select_related("round").get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN or campaign.round.status == Round.Status.PUBLISHED:
        raise FormRefused(
            _("The campaign is closed; it takes no more responses."), code="campaign.closed"
        )
    form_number = form_number.strip()
    if not form_number or len(form_number) > 40:
        raise FormRefused(
            _("Type the number printed on the paper form (at most 40 characters)."),
            code="paper_form.no_number",
        )
    if campaign.responses.filter(response_id=paper_response_id(form_number)).exists():
        raise FormRefused(
            _("Form %(number)s was already typed twice and accepted.") % {"number": form_number},
            code="paper_form.already_accepted",
        )
    vocabulary = Vocabulary(campaign)
    if unit.pk not in vocabulary.units.values():
        raise FormRefused(
            _("Unit %(unit)s is not evaluated in this campaign.") % {"unit": unit},
            code="paper_form.unit_not_evaluated",
        )
    if problem := vocabulary.unit_group_problem(unit.pk, group.pk):
        raise FormRefused(problem, code="paper_form.group_not_evaluating")
    draft = _draft(vocabulary, group.pk, answers, paper_response_id(form_number), unit.pk)
    chosen = {
        question.code: _option_code(vocabulary, question.pk, draft.answers.get(question.pk))
        for question in vocabulary.questions.values()
        if question.pk in draft.answers
    }
    earlier = list(
        PaperEntry.objects.filter(campaign=campaign, form_number=form_number, is_accepted=False)
    )
    if any(entry.entered_by_id == getattr(by, "pk", None) for entry in earlier):
        raise FormRefused(
            _("You have already typed form %(number)s; another person must type it again.")
            % {"number": form_number},
            code="paper_form.same_typist",
        )
    entry = PaperEntry.objects.create(
        campaign=campaign,
        form_number=form_number,
        unit=unit,
        group=group,
        answers=chosen,
        entered_by=by,
    )
    audit.record(campaign, "survey.paper_entered", by=by, new={"form": form_number})
    if not earlier:
        return PaperOutcome("waiting")
    matching = [
        other
        for other in earlier
        if (other.unit_id, other.group_id, other.answers) == (unit.pk, group.pk, chosen)
    ]
    if matching:
        store_responses(
            campaign=campaign,
            drafts=[draft],
            channel=Response.Channel.PAPER,
            received_on=timezone.localdate(),
        )
        PaperEntry.objects.filter(pk__in=[entry.pk, *(other.pk for other in earlier)]).update(
            is_accepted=True
        )
        audit.record(campaign, "survey.paper_accepted", by=by, new={"form": form_number})
        return PaperOutcome("accepted")
    differing: set[str] = set()
    for other in earlier:
        if (other.unit_id, other.group_id) != (unit.pk, group.pk):
            differing.add(str(_("unit or group")))
        keys = set(other.answers) | set(chosen)
        differing |= {key for key in keys if other.answers.get(key, "") != chosen.get(key, "")}
    return PaperOutcome("differs", tuple(sorted(differing)))


def _option_code(vocabulary: Vocabulary, question_id: int, option_id: int | None) -> str:
    if option_id is None:
        return ""
    return next(
        code for code, option in vocabulary.options[question_id].items() if option.pk == option_id
    )
