"""Sociological surveys (điều tra xã hội học) and satisfaction surveys (docs/design.md, "Surveys").

- A questionnaire (phiếu điều tra) belongs to an index set: respondent groups with weights, a
  default answer scale, questions each linked to one survey leaf and asked of some groups. A
  code is versioned: importing a changed file of a known code makes a new version; campaigns
  keep the version they were started with.
- A campaign runs a questionnaire in one round: which groups evaluate which units (targets,
  with the sample size), one-time invitations (tokens stored only as SHA-256 hashes) and the
  responses, however they came (file, public form, paper typed twice).
- Anonymity: a response names its unit and group and nothing else. No row links a response to
  an invitation, a token or a person; an invitation keeps only the day it was used, so the
  order of use cannot be matched with the responses either.
- SIPAS-style satisfaction counts per unit and item, and PAPI dimensions per province, are
  imported for analysis.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parindex.core.models import TimeStampedModel

PERCENT: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}


class Questionnaire(TimeStampedModel):
    """One version of a questionnaire: groups, answer scale and questions, on one index set."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    index_set = models.ForeignKey(
        "indexsets.IndexSet",
        verbose_name=_("index set"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_responses = models.PositiveSmallIntegerField(
        _("minimum counted answers per unit, group and question"), default=1
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="unique_questionnaire_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class RespondentGroup(models.Model):
    """A group of respondents (lãnh đạo cấp phòng, doanh nghiệp…) and its weight."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="groups"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("respondent group")
        verbose_name_plural = _("respondent groups")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_group_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A closed question linked to one survey leaf, asked of some groups."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(pgettext_lazy("survey", "question"))
    criterion = models.ForeignKey(
        "indexsets.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    groups = models.ManyToManyField(RespondentGroup, related_name="questions")
    # True when the question has its own options instead of the questionnaire's scale.
    has_own_options = models.BooleanField(_("own answer options"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("survey", "question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_question_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Option(models.Model):
    """An answer option: of the default scale (question empty) or of one question.

    `percent` is the share of the question's value the answer gives; an option without a
    percent (không biết, không trả lời) is not counted.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="options"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=16)
    label = models.CharField(_("label"), max_length=200)
    percent = models.DecimalField(_("percent"), null=True, blank=True, **PERCENT)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["questionnaire", "question_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"],
                condition=models.Q(question__isnull=False),
                name="unique_question_option_code",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "code"],
                condition=models.Q(question__isnull=True),
                name="unique_scale_option_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class Campaign(TimeStampedModel):
    """A questionnaire run in a round: targets, invitations, responses, until its close date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Collecting")
        CLOSED = "closed", _("Closed")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    # The questionnaire's code: one campaign per code and round, whatever the version.
    code = models.CharField(_("code"), max_length=40)
    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closes_on = models.DateField(_("closes on"))
    margin_percent = models.DecimalField(
        _("margin of error (%)"), max_digits=4, decimal_places=2, default=5
    )
    applied_at = models.DateTimeField(_("applied to the round at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-round__year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="one_campaign_per_code_round"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.round.code}"


class Target(models.Model):
    """A group that evaluates a unit in a campaign: its population and sample size."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RespondentGroup, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(_("population (N)"), null=True, blank=True)
    sample = models.PositiveIntegerField(_("sample target (n)"), default=0)

    class Meta:
        verbose_name = _("survey target")
        verbose_name_plural = _("survey targets")
        ordering = ["campaign", "unit__code", "group__position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "group"], name="unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}/{self.group_id}"


class Invitation(models.Model):
    """A one-time link to the public form for one unit and group (a printed sheet or an e-mail).

    Only the token's SHA-256 is stored, so a sheet is printed once, when issued. `used_on` keeps
    the day, not the time, and nothing points to the response it gave (anonymity). `draft` holds
    the answers of a form in progress (resumable) and is emptied when the form is sent.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RespondentGroup, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("invitee"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    used_on = models.DateField(_("answered on"), null=True, blank=True)
    draft = models.JSONField(_("answers in progress"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["campaign", "unit__code", "group__position", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"

    @property
    def is_used(self) -> bool:
        return self.used_on is not None


class Response(models.Model):
    """One filled-in form: its unit and group, how it came, and the checks it raised.

    It holds no reference to an invitation, a token, a person or a time of day.
    """

    class Channel(models.TextChoices):
        FILE = "file", _("Imported file")
        WEB = "web", _("Link or QR code")
        PAPER = "paper", _("Paper form")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    response_id = models.CharField(_("response id"), max_length=64)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RespondentGroup, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    is_duplicate = models.BooleanField(_("same answers as another response"), default=False)
    is_straightlined = models.BooleanField(_("same option for every question"), default=False)
    # Set by the office to leave a response out of the scores (e.g. a confirmed duplicate).
    excluded_reason = models.CharField(_("excluded because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["campaign", "unit__code", "group__position", "response_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "response_id"], name="unique_response_id"),
        ]
        indexes = [models.Index(fields=["campaign", "unit", "group"])]

    def __str__(self) -> str:
        return self.response_id


class Answer(models.Model):
    """The option a response chose for one question (empty: not answered)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class PaperEntry(models.Model):
    """One typing of a paper form by data-entry staff. Two entries by different people that
    agree on every answer make the response; until then the form waits (double-entry check)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="paper_entries")
    form_number = models.CharField(_("form number"), max_length=40)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RespondentGroup, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"))  # {question code: option code or ""}
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    is_accepted = models.BooleanField(_("matched and accepted"), default=False)

    class Meta:
        verbose_name = _("paper form entry")
        verbose_name_plural = _("paper form entries")
        ordering = ["campaign", "form_number", "entered_at"]
        indexes = [models.Index(fields=["campaign", "form_number"])]

    def __str__(self) -> str:
        return f"{self.form_number} ({self.entered_by_id})"


class SipasRecord(models.Model):
    """Satisfaction counts of one unit on one item of a SIPAS-style survey in one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("position"))  # order of the item in the file
    aspect = models.CharField(_("aspect"), max_length=200)
    factor = models.CharField(_("factor"), max_length=200)
    item = models.CharField(_("item"), max_length=300)
    satisfied = models.PositiveIntegerField(_("satisfied"))
    answered = models.PositiveIntegerField(pgettext_lazy("survey", "answered"))

    class Meta:
        verbose_name = _("satisfaction record")
        verbose_name_plural = _("satisfaction records")
        ordering = ["year", "unit__code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "aspect", "factor", "item"], name="unique_sipas_item"
            ),
            models.CheckConstraint(
                condition=models.Q(satisfied__lte=models.F("answered")),
                name="sipas_satisfied_within_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"SIPAS {self.year} {self.unit_id} {self.item}"


class PapiScore(models.Model):
    """A province's PAPI scores in one year: 8 dimensions (1 to 10 each) and the total of 80."""

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.CharField(_("province"), max_length=100)
    dimensions = models.JSONField(_("dimensions"))  # {dimension code: "6.4321"}
    total = models.DecimalField(_("total (of 80)"), max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("PAPI score")
        verbose_name_plural = _("PAPI scores")
        ordering = ["-year", "province"]
        constraints = [
            models.UniqueConstraint(fields=["year", "province"], name="unique_papi_province_year"),
        ]

    def __str__(self) -> str:
        return f"PAPI {self.year} {self.province}"
