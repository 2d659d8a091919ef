"""Campaigns: creation rules, targets and sample sizes, one-time invitations, sheets, reminders,
progress and closing; and the anonymity of responses."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from pypdf import PdfReader

from parindex.conftest import refuses
from parindex.core.models import AuditEntry
from parindex.rounds.models import Round
from parindex.surveys import queries
from parindex.surveys.models import Answer, Invitation, PaperEntry, Response, Target
from parindex.surveys.services import campaigns, collection
from parindex.surveys.services.campaigns import CampaignRefused, Invitee, TargetRow
from parindex.surveys.sheets import invitation_sheets
from parindex.surveys.tests.factories import (
    add_response,
    campaign,
    make_round,
    questionnaire,
    survey_set,
)
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def units(db):
    survey_set()
    so = unit_type("SO")
    return [UnitFactory(code=code, name=f"Sở {code}", unit_type=so) for code in ("SNV", "STC")]


@pytest.fixture
def run(units):
    return campaign(units=units)


def test_a_campaign_needs_a_round_scoring_the_questionnaires_set(units):
    stored = questionnaire()
    other = make_round("CCHC-X", 2025, [])
    with refuses("campaign.set_not_in_round", CampaignRefused) as refused:
        campaign(stored, other)
    assert "SO-XHH" in str(refused.value)
    run = campaign(stored)
    with refuses("campaign.duplicate"):
        campaign(stored, run.round)
    run.round.status = Round.Status.PUBLISHED
    run.round.save()
    with refuses("campaign.round_published"):
        campaign(stored, run.round)


def test_targets_take_the_sample_size_from_the_population(run, units, par_officer):
    ldp, dn = run.questionnaire.groups.order_by("position")
    changed = campaigns.set_targets(
        campaign=run,
        rows=[
            TargetRow(units[0], ldp, population=100),
            TargetRow(units[0], dn, population=1000),
            TargetRow(units[1], ldp, sample=7),
        ],
        by=par_officer,
    )
    assert changed == 3
    samples = {
        (t.unit.code, t.group.code): (t.population, t.sample)
        for t in Target.objects.filter(campaign=run)
    }
    assert samples == {
        ("SNV", "LDP"): (100, 80),
        ("SNV", "DN"): (1000, 286),
        ("STC", "LDP"): (None, 7),
    }
    assert (
        campaigns.set_targets(
            campaign=run, rows=[TargetRow(units[0], ldp, population=100)], by=par_officer
        )
        == 0
    )


def test_an_invitation_list_is_read_with_every_bad_row_and_its_code(run, units):
    good = "unit_code,group,name,email\nSNV,LDP,Nguyễn Văn A,a@example.vn\nSTC,DN,,\n"
    read = campaigns.read_invitees(run, good.encode(), "list.csv")
    assert [(item.unit.code, item.group.code, item.email) for item in read] == [
        ("SNV", "LDP", "a@example.vn"),
        ("STC", "DN", ""),
    ]
    bad = "unit_code,group,name,email\nSNV,LDP,,\nNOPE,HDND,,\nSTC,DN,,not-mail\n"
    with refuses("invitees_file.invalid") as refused:
        campaigns.read_invitees(run, bad.encode(), "list.csv")
    rows = [int(re.match(r"\D*(\d+)", problem).group(1)) for problem in refused.value.problems]
    assert list(zip(rows, refused.value.codes, strict=True)) == [
        (3, "invitees_file.unit_not_evaluated"),
        (3, "invitees_file.unknown_group"),
        (4, "invitees_file.bad_email"),
    ]
    problems = refused.value.problems
    assert "NOPE" in problems[0] and "HDND" in problems[1] and "not-mail" in problems[2]
    with refuses("invitees_file.bad_header"):
        campaigns.read_invitees(run, b"unit,group\nSNV,LDP\n", "list.csv")


def test_invitations_keep_only_the_hash_of_their_token(run, units, par_officer):
    ldp = run.questionnaire.groups.get(code="LDP")
    issued = campaigns.issue_invitations(
        campaign=run,
        invitees=[Invitee(units[0], ldp), Invitee(units[0], ldp, "Nguyễn Văn A", "a@example.vn")],
        by=par_officer,
    )
    tokens = [item.token for item in issued]
    assert len(set(tokens)) == 2 and all(len(token) >= 32 for token in tokens)
    stored = list(Invitation.objects.values_list("token_hash", flat=True))
    assert sorted(stored) == sorted(campaigns.token_hash(token) for token in tokens)
    assert not any(token in stored for token in tokens)
    assert issued[0].url.endswith(f"/surveys/f/{tokens[0]}/")
    assert len(mail.outbox) == 1 and issued[1].url in mail.outbox[0].body
    assert collection.invitation_for(tokens[0]).pk == issued[0].invitation.pk
    assert collection.invitation_for("not-a-token") is None


def test_the_a4_sheets_have_one_card_per_link(run, units):
    ldp = run.questionnaire.groups.get(code="LDP")
    issued = campaigns.issue_invitations(
        campaign=run, invitees=[Invitee(units[0], ldp)] * 9, by=None
    )
    pdf = PdfReader(io.BytesIO(invitation_sheets(run, issued)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) == 2  # six cards per page
    assert text.count("Sở SNV") == 9
    assert "PHIẾU MỜI KHẢO SÁT" in text


def test_reminders_send_a_new_link_and_retire_the_old_one(run, units):
    ldp = run.questionnaire.groups.get(code="LDP")
    first, answered, paper = campaigns.issue_invitations(
        campaign=run,
        invitees=[
            Invitee(units[0], ldp, email="a@example.vn"),
            Invitee(units[0], ldp, email="b@example.vn"),
            Invitee(units[0], ldp),
        ],
        by=None,
    )
    collection.save_progress(token=first.token, answers={"Q1": "A"})
    collection.submit_form(token=answered.token, answers={"Q1": "B"})
    mail.outbox.clear()
    now = dt.datetime(2026, 1, 10, 8, tzinfo=dt.UTC)
    assert campaigns.send_reminders(campaign=run, by=None, now=now) == 1
    assert mail.outbox[0].to == ["a@example.vn"]
    assert collection.invitation_for(first.token) is None  # the old link is retired
    new_token = mail.outbox[0].body.split("/surveys/f/")[1].split("/")[0]
    invitation = collection.invitation_for(new_token)
    assert invitation.draft == {"Q1": "A"} and invitation.reminders == 1
    assert campaigns.send_reminders(campaign=run, by=None, now=now + dt.timedelta(days=1)) == 0
    assert campaigns.send_reminders(campaign=run, by=None, now=now + dt.timedelta(days=3)) == 1


def test_progress_counts_responses_and_links_per_unit_and_group(run, units):
    ldp, dn = run.questionnaire.groups.order_by("position")
    campaigns.set_targets(campaign=run, rows=[TargetRow(units[0], ldp, sample=4)], by=None)
    issued = campaigns.issue_invitations(
        campaign=run, invitees=[Invitee(units[0], ldp)] * 3, by=None
    )
    collection.submit_form(token=issued[0].token, answers={"Q1": "A"})
    add_response(run, units[0], "LDP", {"Q1": "B"})
    add_response(run, units[1], "DN", {"Q1": "B"})
    add_response(run, units[1], "DN", {"Q1": "C"}, excluded_reason="Trùng")
    rows = queries.progress(run)
    assert [
        (r.unit_code, r.group_code, r.sample, r.responses, r.invited, r.answered) for r in rows
    ] == [
        ("SNV", "LDP", 4, 2, 3, 1),
        ("STC", "DN", 0, 1, 0, 0),
    ]
    assert (rows[0].percent, rows[0].is_reached) == (50, False)


def test_closing_stops_links_and_reopening_sets_a_new_date(run, units, par_officer):
    ldp = run.questionnaire.groups.get(code="LDP")
    (item,) = campaigns.issue_invitations(campaign=run, invitees=[Invitee(units[0], ldp)], by=None)
    campaigns.close_campaign(campaign=run, by=par_officer)
    assert collection.invitation_for(item.token) is None
    with refuses("campaign.closed"):
        campaigns.issue_invitations(campaign=run, invitees=[Invitee(units[0], ldp)], by=None)
    campaigns.reopen_campaign(campaign=run, closes_on=dt.date(2099, 1, 1), by=par_officer)
    assert collection.invitation_for(item.token) is not None
    assert AuditEntry.objects.filter(action="survey_campaign.closed").exists()


def test_a_link_past_the_close_date_no_longer_opens(run, units):
    ldp = run.questionnaire.groups.get(code="LDP")
    (item,) = campaigns.issue_invitations(campaign=run, invitees=[Invitee(units[0], ldp)], by=None)
    run.closes_on = dt.date(2000, 1, 1)
    run.save()
    assert collection.invitation_for(item.token) is None


# -- anonymity -----------------------------------------------------------------------------------


def _links(model) -> set:
    """The tables a table points at (its own foreign keys and many-to-many fields)."""
    return {
        field.related_model
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is not None
    }


def test_no_table_links_an_answer_to_an_invitation_or_a_person():
    answers = {Response, Answer}
    people = {Invitation, apps.get_model("accounts", "User")}
    for model in (Response, Answer):
        assert not (_links(model) & people), model
    assert not (_links(Invitation) & answers)
    for model in apps.get_models(include_auto_created=True):
        if model in answers | people | {PaperEntry}:
            continue
        links = _links(model)
        assert not (links & answers and Invitation in links), f"{model} links both"
    # and no field of a response can hold a token, a hash, a name or a time of day
    for model in (Response, Answer):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), field
            assert field.name not in {"token", "token_hash", "name", "email", "invitation"}


def test_a_sent_form_leaves_no_trace_between_the_link_and_the_response(run, units):
    ldp = run.questionnaire.groups.get(code="LDP")
    (item,) = campaigns.issue_invitations(
        campaign=run, invitees=[Invitee(units[0], ldp, "Trần Thị B", "b@example.vn")], by=None
    )
    collection.save_progress(token=item.token, answers={"Q1": "A", "Q2": "B"})
    collection.submit_form(token=item.token, answers={"Q1": "A", "Q2": "B", "Q4": "C"})
    invitation = Invitation.objects.get()
    response = Response.objects.get()
    assert invitation.draft is None and invitation.used_on is not None
    assert response.response_id.startswith("W-")
    assert (
        item.token not in response.response_id
        and invitation.token_hash[:8] not in response.response_id
    )
    assert not AuditEntry.objects.filter(object_type="surveys.response").exists()
    assert not AuditEntry.objects.filter(action__startswith="survey.form").exists()
    with refuses("survey_form.link_invalid"):
        collection.submit_form(token=item.token, answers={"Q1": "A"})
