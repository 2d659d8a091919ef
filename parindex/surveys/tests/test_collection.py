"""Collection: the public form by token (no login, resumable) and paper forms typed twice.
Every channel ends as the same responses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.conftest import make_user, refuses
from parindex.surveys import scoring
from parindex.surveys.models import Invitation, PaperEntry, Response
from parindex.surveys.services import campaigns, collection, responses
from parindex.surveys.services.campaigns import Invitee
from parindex.surveys.services.collection import FormRefused
from parindex.surveys.tests.factories import campaign, survey_set
from parindex.units.tests.factories import UnitFactory, unit_type

ANSWERS = {"Q1": "A", "Q2": "B", "Q4": "C"}


@pytest.fixture
def unit(db):
    survey_set()
    return UnitFactory(code="SNV", name="Sở Nội vụ", unit_type=unit_type("SO"))


@pytest.fixture
def run(unit):
    return campaign(units=[unit])


@pytest.fixture
def link(run, unit):
    ldp = run.questionnaire.groups.get(code="LDP")
    (item,) = campaigns.issue_invitations(campaign=run, invitees=[Invitee(unit, ldp)], by=None)
    return reverse("surveys:form", args=[item.token]), item.token


def test_the_form_opens_without_login_and_asks_the_groups_questions(client, link):
    url, _token = link
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sở Nội vụ" in text and "Lãnh đạo cấp phòng" in text
    assert 'name="q-Q1"' in text and 'name="q-Q2"' in text and 'name="q-Q4"' in text
    assert 'name="q-Q3"' not in text  # asked of enterprises only
    assert text.count("<fieldset") == 3 and text.count("<legend") == 3
    assert response["Referrer-Policy"] == "same-origin" and response["Cache-Control"] == "no-store"


def test_an_unknown_or_used_link_says_so_without_a_form(client, link):
    url, token = link
    assert client.get(reverse("surveys:form", args=["x" * 32])).status_code == 404
    collection.submit_form(token=token, answers=ANSWERS)
    response = client.get(url)
    assert response.status_code == 404
    assert "không còn hiệu lực" in response.content.decode()


def test_answers_are_kept_as_they_are_chosen_and_the_form_resumes(client, link):
    url, _token = link
    saved = client.post(url, {"q-Q1": "A"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "đã được lưu" in saved.content.decode()
    assert Invitation.objects.get().draft == {"Q1": "A"}
    again = client.get(url).content.decode()
    assert 'value="A" checked' in again
    client.post(url, {"q-Q1": "B", "q-Q2": "C", "action": "save"})
    assert Invitation.objects.get().draft == {"Q1": "B", "Q2": "C"}


def test_sending_the_form_makes_a_response_and_retires_the_link(client, link):
    url, _token = link
    response = client.post(url, {"q-Q1": "A", "q-Q2": "B", "q-Q4": "", "action": "send"})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:form_done")
    stored = Response.objects.get()
    assert (stored.channel, stored.group.code, stored.unit.code) == ("web", "LDP", "SNV")
    assert sorted(stored.answers.values_list("question__code", "option__code")) == [
        ("Q1", "A"),
        ("Q2", "B"),
        ("Q4", None),
    ]
    assert client.get(reverse("surveys:form_done")).status_code == 200
    assert client.post(url, {"q-Q1": "A", "action": "send"}).status_code == 404


def test_an_empty_form_is_not_sent_and_keeps_what_was_typed(client, link):
    url, _token = link
    response = client.post(url, {"q-Q1": "", "action": "send"})
    assert response.status_code == 200
    assert "ít nhất một câu hỏi" in response.content.decode()
    assert not Response.objects.exists()
    with refuses("survey_form.invalid_answers", FormRefused) as refused:
        collection.submit_form(token=link[1], answers={"Q1": "Z", "Q99": "A"})
    assert refused.value.codes == ["survey_form.not_an_option", "survey_form.unknown_questions"]
    assert "“Z”" in refused.value.problems[0] and "Q99" in refused.value.problems[1]


def test_paper_forms_need_two_matching_entries_by_different_people(run, unit):
    first, second, third = (make_user(name, "par_officer") for name in ("nhap1", "nhap2", "nhap3"))
    dn = run.questionnaire.groups.get(code="DN")
    answers = {"Q1": "B", "Q3": "C", "Q4": "D"}

    def enter(by, typed):
        return collection.enter_paper_form(
            campaign=run, form_number="0007", unit=unit, group=dn, answers=typed, by=by
        )

    assert enter(first, answers).status == "waiting"
    with refuses("paper_form.same_typist"):
        enter(first, answers)
    differs = enter(second, {**answers, "Q3": "K"})
    assert (differs.status, differs.differing) == ("differs", ("Q3",))
    assert not Response.objects.exists()
    assert enter(third, answers).status == "accepted"
    stored = Response.objects.get()
    assert (stored.response_id, stored.channel) == ("P-0007", "paper")
    assert PaperEntry.objects.filter(is_accepted=True).count() == 3
    with refuses("paper_form.already_accepted"):
        enter(second, answers)


def test_every_channel_ends_as_the_same_responses(run, unit, link, monkeypatch):
    """The same answers by file, by link and on paper give identical rows and scores."""
    monkeypatch.setattr(responses, "DUPLICATE_MIN", 3)  # the test form has three questions
    _url, token = link
    responses.import_responses(
        campaign=run,
        rows=[(n, ["F1", "LDP", "SNV", q, a]) for n, (q, a) in enumerate(ANSWERS.items(), 2)],
        by=None,
    )
    collection.submit_form(token=token, answers=ANSWERS)
    ldp = run.questionnaire.groups.get(code="LDP")
    for clerk in (make_user("c1", "par_officer"), make_user("c2", "par_officer")):
        collection.enter_paper_form(
            campaign=run, form_number="9", unit=unit, group=ldp, answers=ANSWERS, by=clerk
        )
    stored = Response.objects.order_by("channel")
    assert [r.channel for r in stored] == ["file", "paper", "web"]
    shapes = {
        (r.unit_id, r.group_id, tuple(sorted(r.answers.values_list("question_id", "option_id"))))
        for r in stored
    }
    assert len(shapes) == 1
    assert [r.is_duplicate for r in stored] == [False, True, True]
    leaf = scoring.campaign_scores(run).results["SNV"]["8.1"]
    assert leaf.responses == 6  # Q1 and Q2 answered on each of the three forms
