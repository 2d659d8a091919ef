"""A unit's assessment in a round: its items (one per leaf), evidence, appraisals, explanations.

The workflow (docs/domain.md): the unit self-scores every sub-criterion with evidence →
appraisal 1 → the unit explains what the appraisers asked about → appraisal 2 → council
approval → publication. Values are stored as the engine's answers in JSON (see `answers.py`);
the points next to them are what the engine computed when the value was saved, kept for fast
listing.
A leaf's final value is the last appraised one when there is one, else the self-assessed one.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models import TimeStampedModel

POINTS: dict[str, Any] = {"max_digits": 7, "decimal_places": 2}


class Assessment(TimeStampedModel):
    """One unit's assessment in one round (phiếu tự đánh giá), scored on one index set."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_APPRAISAL = "in_appraisal", _("In appraisal")
        RETURNED = "returned", _("Returned for explanation")
        EXPLAINED = "explained", _("Explained")
        FINALISED = "finalised", _("Finalised")
        PUBLISHED = "published", _("Published")

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    index_set = models.ForeignKey(
        "indexsets.IndexSet",
        verbose_name=_("index set"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved by the council at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "unit__unit_type__order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_assessment_per_unit_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round.code} – {self.unit}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Item(models.Model):
    """One leaf criterion of an assessment: the unit's value, the appraisers', the survey's.

    `version` grows with every save; a save names the version it started from and is refused
    when someone else saved in between (optimistic locking: nobody overwrites silently).
    """

    # The references hold without foreign-key constraints in the database, and with no index
    # but the unique (assessment, criterion) one below, which serves every lookup by assessment:
    # round creation writes 10^5 items, and PostgreSQL checks each constraint row by row
    # (decisions 35 and 36). Items are written only by statements that read their assessment
    # and leaves in the same transaction. An assessment's deletion takes its items (Django's
    # CASCADE); a leaf or an area is never deleted under an item: its index set is published,
    # frozen and protected by the assessment's own foreign key.
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
        db_constraint=False,
    )
    criterion = models.ForeignKey(
        "indexsets.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The top-level criterion (area, lĩnh vực) the leaf belongs to: appraisers work by area.
    area = models.ForeignKey(
        "indexsets.Criterion",
        verbose_name=_("area"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveSmallIntegerField(_("position"))  # leaf order in the document

    self_answer = models.JSONField(_("self-assessed value"), null=True, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True)
    no_evidence_reason = models.TextField(_("explanation for missing evidence"), blank=True)
    # No index: nothing looks items up by who entered them (users are deactivated, not deleted),
    # and an unindexed column lets a save by another editor stay a heap-only update (decision 35).
    # No constraint either: an import by a user would have it checked for each of 10^5 items.
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    self_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)

    # The latest appraisal value (accepted or adjusted); empty while none was decided.
    appraised_answer = models.JSONField(_("appraised value"), null=True, blank=True)
    appraised_points = models.DecimalField(_("appraised points"), null=True, blank=True, **POINTS)

    survey_answer = models.JSONField(_("survey value"), null=True, blank=True)
    survey_points = models.DecimalField(_("survey points"), null=True, blank=True, **POINTS)

    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_item_per_assessment_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}"

    @property
    def is_answered(self) -> bool:
        return self.self_answer is not None

    @property
    def final_answer(self) -> dict | None:
        """The value that counts: the last appraised one, else the self-assessed one."""
        return self.appraised_answer if self.appraised_answer is not None else self.self_answer


class Appraisal(models.Model):
    """An appraiser's decision on one item, in the first or the second appraisal."""

    class Stage(models.IntegerChoices):
        FIRST = 1, _("Appraisal 1")
        SECOND = 2, _("Appraisal 2")

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        ADJUST = "adjust", _("Adjusted")
        REQUEST = "request", _("Explanation requested")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="appraisals")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    answer = models.JSONField(_("appraised value"), null=True, blank=True)
    points = models.DecimalField(_("appraised points"), null=True, blank=True, **POINTS)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraiser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("appraisal decision")
        verbose_name_plural = _("appraisal decisions")
        ordering = ["item", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="one_decision_per_item_stage"),
            models.CheckConstraint(
                condition=~models.Q(decision="request", stage=2),
                name="explanations_requested_in_first_appraisal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} #{self.stage}: {self.decision}"


class ExplanationRequest(models.Model):
    """A question the appraisers put to the unit about one item, and the unit's answer."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="request")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["item__assessment", "item__position"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.question[:40]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the disk."""
    return f"evidence/{instance.unit_id}/{secrets.token_hex(16)}{instance.extension}"


class Evidence(TimeStampedModel):
    """A document in a unit's evidence library (tài liệu kiểm chứng): a file or a registered act.

    A registered document is cited by number, date, issuer and title (e.g. Quyết định
    2629/QĐ-UBND ngày 23/12/2022) without a file. One document may support many items, in this
    round and in later ones.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("Uploaded file")
        DOCUMENT = "document", _("Registered document")

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["unit", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "sha256"],
                condition=models.Q(kind="file"),
                name="one_copy_of_a_file_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE

    @property
    def is_previewable(self) -> bool:
        """Whether a browser shows it inline (PDF and images); office files are downloaded."""
        return self.content_type in ("application/pdf", "image/png", "image/jpeg")


class ItemEvidence(models.Model):
    """A document attached to an item as its evidence (possibly as part of an explanation)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="links")
    request = models.ForeignKey(
        ExplanationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_links",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("attached at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attached evidence")
        verbose_name_plural = _("attached evidence")
        ordering = ["item", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "evidence"], name="attach_evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ← {self.evidence_id}"


class Notification(models.Model):
    """A message in a user's inbox (also e-mailed): a transition or a deadline reminder.

    Reminders carry a `key` naming the deadline and the day they are for, so sending them
    again the same day (a re-run of the daily job) creates nothing new.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="one_reminder_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CriterionOwner(models.Model):
    """The department answering for a criterion of the province's assessment in one round.

    Without a row, the owner is the index set's `owner` of the criterion or of its nearest
    ancestor; a row set by the office overrides it for the criterion and all below it.
    """

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.CASCADE, related_name="criterion_owners"
    )
    criterion = models.ForeignKey(
        "indexsets.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("criterion owner")
        verbose_name_plural = _("criterion owners")
        constraints = [
            models.UniqueConstraint(fields=["round", "criterion"], name="one_owner_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.criterion_id} → {self.unit_id}"


class MinistryPoints(models.Model):
    """The Ministry's appraised points of one leaf of the province's central-index assessment."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="ministry")
    points = models.DecimalField(_("Ministry's appraised points"), **POINTS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("Ministry's appraised points")
        verbose_name_plural = _("Ministry's appraised points")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"
