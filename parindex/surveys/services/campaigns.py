"""Writes of campaigns: start one in a round, set targets and sample sizes, close it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import audit
from parindex.core.formatting import format_date
from parindex.core.refusals import Problems, Refused
from parindex.documents.tables import TableError, read_table
from parindex.engine.surveys import sample_size
from parindex.rounds.models import Round, RoundIndexSet
from parindex.surveys.models import Campaign, Invitation, Questionnaire, RespondentGroup, Target
from parindex.units.models import Unit

log = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters
MAX_INVITATIONS = 5000


class CampaignRefused(Refused):
    """The campaign action is not allowed; the message says why."""

    default_code = "campaign.refused"


def ensure_round_open_for_surveys(round_: Round) -> None:
    """Refuse survey work in a round whose results are published (frozen)."""
    if round_.status == Round.Status.PUBLISHED:
        raise CampaignRefused(
            _("The round %(round)s is published; its survey points no longer change.")
            % {"round": round_.code},
            code="campaign.round_published",
        )


@transaction.atomic
def create_campaign(
    *, questionnaire: Questionnaire, round_: Round, closes_on: dt.date, by: Any
) -> Campaign:
    """Run a questionnaire version in a round that scores units on its index set."""
    ensure_round_open_for_surveys(round_)
    set_code = questionnaire.index_set.code
    if not RoundIndexSet.objects.filter(round=round_, index_set__code=set_code).exists():
        raise CampaignRefused(
            _("The round %(round)s does not score any unit type on the index set %(set)s.")
            % {"round": round_.code, "set": set_code},
            code="campaign.set_not_in_round",
        )
    if Campaign.objects.filter(round=round_, code=questionnaire.code).exists():
        raise CampaignRefused(
            _("The round %(round)s already has a campaign of the questionnaire %(code)s.")
            % {"round": round_.code, "code": questionnaire.code},
            code="campaign.duplicate",
        )
    campaign = Campaign.objects.create(
        questionnaire=questionnaire, code=questionnaire.code, round=round_, closes_on=closes_on
    )
    audit.record(
        campaign,
        "survey_campaign.created",
        by=by,
        new={"questionnaire": str(questionnaire), "round": round_.code, "closes_on": closes_on},
    )
    return campaign


# -- targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    """One line of targets: a group evaluates a unit; N gives n unless n is given."""

    unit: Unit
    group: RespondentGroup
    population: int | None = None
    sample: int | None = None


@transaction.atomic
def set_targets(*, campaign: Campaign, rows: list[TargetRow], by: Any) -> int:
    """Set which groups evaluate which units and the sample to reach (n = N / (1 + N·e²))."""
    ensure_round_open_for_surveys(campaign.round)
    margin = campaign.margin_percent / 100
    existing = {
        (target.unit_id, target.group_id): target
        for target in Target.objects.filter(campaign=campaign)
    }
    changed = 0
    for row in rows:
        sample = row.sample if row.sample is not None else sample_size(row.population or 0, margin)
        target = existing.get((row.unit.pk, row.group.pk))
        if target is None:
            Target.objects.create(
                campaign=campaign,
                unit=row.unit,
                group=row.group,
                population=row.population,
                sample=sample,
            )
        elif (target.population, target.sample) != (row.population, sample):
            target.population, target.sample = row.population, sample
            target.save(update_fields=["population", "sample"])
        else:
            continue
        changed += 1
    audit.record(campaign, "survey_campaign.targets_set", by=by, new={"changed": changed})
    return changed


@transaction.atomic
def remove_target(*, campaign: Campaign, target: Target, by: Any) -> None:
    """Stop a group evaluating a unit (its responses stay; the office may exclude them)."""
    ensure_round_open_for_surveys(campaign.round)
    audit.record(
        campaign,
        "survey_campaign.target_removed",
        by=by,
        old={"unit": target.unit.code, "group": target.group.code},
    )
    target.delete()


# -- invitations ---------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The only form in which a token is stored."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def form_url(token: str) -> str:
    """The public form's address for a token (absolute, from SITE_URL)."""
    return settings.SITE_URL + reverse("surveys:form", args=[token])


@dataclass(frozen=True)
class Issued:
    """An invitation and its token, known only now (printed or e-mailed at once)."""

    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return form_url(self.token)


@dataclass(frozen=True)
class Invitee:
    """A person on an invitation list (name and e-mail optional)."""

    unit: Unit
    group: RespondentGroup
    name: str = ""
    email: str = ""


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def _ensure_issuable(campaign: Campaign) -> None:
    ensure_round_open_for_surveys(campaign.round)
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignRefused(
            _("The campaign is closed; no more invitations can be issued."), code="campaign.closed"
        )


@transaction.atomic
def issue_invitations(*, campaign: Campaign, invitees: list[Invitee], by: Any) -> list[Issued]:
    """One-time links for each invitee (a printed sheet, or an e-mail when there is an address).

    The tokens are returned to be printed or sent now: only their hash is kept.
    """
    _ensure_issuable(campaign)
    if not invitees:
        raise CampaignRefused(
            _("Nobody to invite: give a unit, a group and a number."), code="invitations.nobody"
        )
    if len(invitees) > MAX_INVITATIONS:
        raise CampaignRefused(
            _("At most %(n)d invitations at a time.") % {"n": MAX_INVITATIONS},
            code="invitations.too_many",
        )
    now = timezone.now()
    tokens = [_new_token() for _invitee in invitees]
    invitations = Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign,
            unit=invitee.unit,
            group=invitee.group,
            name=invitee.name,
            email=invitee.email,
            token_hash=hashed,
            issued_at=now,
        )
        for invitee, (_token, hashed) in zip(invitees, tokens, strict=True)
    )
    issued = [
        Issued(invitation, token)
        for invitation, (token, _hashed) in zip(invitations, tokens, strict=True)
    ]
    mailed = sum(_mail(item, reminder=False) for item in issued if item.invitation.email)
    audit.record(
        campaign,
        "survey_campaign.invitations_issued",
        by=by,
        new={"count": len(issued), "mailed": mailed},
    )
    return issued


def _mail(item: Issued, *, reminder: bool) -> bool:
    """E-mail an invitee their link (a mail server down must not undo the issue)."""
    campaign = item.invitation.campaign
    subject = (
        _("Reminder: survey %(name)s") if reminder else _("Invitation to the survey %(name)s")
    ) % {"name": campaign.questionnaire.name}
    body = _(
        "You are invited to answer the survey on %(unit)s as %(group)s. Open the link below (it "
        "works once; your answers are not linked to your name). The survey closes on %(day)s."
    ) % {
        "unit": item.invitation.unit.name,
        "group": item.invitation.group.name,
        "day": format_date(campaign.closes_on),
    }
    try:
        send_mail(subject, f"{body}\n\n{item.url}\n", None, [item.invitation.email])
    except OSError:
        log.exception("could not e-mail a survey invitation")
        return False
    return True


@transaction.atomic
def send_reminders(
    *, campaign: Campaign, by: Any, now: dt.datetime | None = None, every_days: int = 3
) -> int:
    """Remind by e-mail the invitees who have not answered (not more often than every_days).

    The old link stops working and the reminder carries a new one (only hashes are stored);
    answers in progress are kept.
    """
    _ensure_issuable(campaign)
    now = now or timezone.now()
    due = Invitation.objects.filter(campaign=campaign, used_on__isnull=True).exclude(email="")
    due = due.filter(
        models.Q(reminded_at__isnull=True)
        | models.Q(reminded_at__lte=now - dt.timedelta(days=every_days))
    ).select_related("unit", "group", "campaign__questionnaire")
    sent = 0
    for invitation in due:
        token, hashed = _new_token()
        invitation.token_hash = hashed
        invitation.reminded_at = now
        invitation.reminders += 1
        invitation.save(update_fields=["token_hash", "reminded_at", "reminders"])
        sent += _mail(Issued(invitation, token), reminder=True)
    audit.record(campaign, "survey_campaign.reminded", by=by, new={"sent": sent})
    return sent


@transaction.atomic
def close_campaign(*, campaign: Campaign, by: Any) -> Campaign:
    """Stop collecting: the links and the paper entry no longer take responses."""
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignRefused(_("The campaign is already closed."), code="campaign.already_closed")
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status", "updated_at"])
    audit.record(campaign, "survey_campaign.closed", by=by, old="open", new="closed")
    return campaign


@transaction.atomic
def reopen_campaign(*, campaign: Campaign, closes_on: dt.date, by: Any) -> Campaign:
    """Collect again until a new close date (before the round's results are published)."""
    ensure_round_open_for_surveys(campaign.round)
    old = {"status": campaign.status, "closes_on": campaign.closes_on}
    campaign.status = Campaign.Status.OPEN
    campaign.closes_on = closes_on
    campaign.save(update_fields=["status", "closes_on", "updated_at"])
    audit.record(
        campaign,
        "survey_campaign.reopened",
        by=by,
        old=old,
        new={"status": "open", "closes_on": closes_on},
    )
    return campaign


INVITEES_HEADER = ["unit_code", "group", "name", "email"]


def read_invitees(campaign: Campaign, data: bytes, filename: str) -> list[Invitee]:
    """The people of an invitation list (CSV or XLSX: unit_code,group,name,email), checked;
    CampaignRefused lists every problem by row."""
    try:
        table = read_table(data, filename)
    except TableError as error:
        raise CampaignRefused(str(error), code="invitees_file.unreadable") from None
    if [cell.strip().lower() for cell in table.header[:4]] != INVITEES_HEADER:
        raise CampaignRefused(
            _("The first row must be %(header)s.") % {"header": ",".join(INVITEES_HEADER)},
            code="invitees_file.bad_header",
        )
    units = {
        unit.code: unit
        for unit in Unit.objects.filter(
            assessments__round_id=campaign.round_id,
            assessments__index_set__code=campaign.questionnaire.index_set.code,
        )
    }
    groups = {group.code: group for group in campaign.questionnaire.groups.all()}
    invitees, problems = [], Problems()
    for row in table.rows:
        unit_code, group_code, name, email = (cell.strip() for cell in row.cells[:4])
        row_problems = Problems()
        if unit_code not in units:
            row_problems.add(
                _("unit %(unit)s is not evaluated in this campaign") % {"unit": unit_code or "—"},
                code="invitees_file.unit_not_evaluated",
            )
        if group_code not in groups:
            row_problems.add(
                _("“%(group)s” is not a group of the questionnaire (%(known)s)")
                % {"group": group_code, "known": ", ".join(groups)},
                code="invitees_file.unknown_group",
            )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.add(
                    _("“%(email)s” is not an e-mail address") % {"email": email},
                    code="invitees_file.bad_email",
                )
        problems.extend(
            [
                _("Row %(row)d: %(problem)s") % {"row": row.number, "problem": problem}
                for problem in row_problems.texts
            ],
            row_problems.codes,
        )
        if not row_problems:
            invitees.append(Invitee(units[unit_code], groups[group_code], name[:200], email))
    if problems:
        raise CampaignRefused(
            problems.texts[:200], code="invitees_file.invalid", codes=problems.codes[:200]
        )
    return invitees
