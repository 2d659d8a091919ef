"""Monitoring (theo dõi, đôn đốc): plans and their tasks, the reporting regime, inspections.

The follow-up work that raises the scores, and that computed criteria read (DESIGN.md
"Monitoring"). A plan (the yearly PAR plan, a remediation plan answering last year's lost
points, an inspection plan…) has tasks; a task's lead is a list of unit codes and unit type codes
and each unit it names gets its own `Progress`. Report types say which unit types send which
periodic report by which day; a `Submission` is one unit's report for one period. An
`Inspection` of a unit records `Finding`s the unit must remedy by a deadline, which the office
verifies. Documents (products, reports, minutes, remedies) come from the unit's evidence library
(`parindex.assessments.models.Evidence`).

Rows two people may edit (a plan, a task, a unit's progress, a finding) carry a `version` that
every save increments; a save names the version it started from (optimistic locking).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parindex.core.models import TimeStampedModel


class Plan(TimeStampedModel):
    """A plan of one year: the yearly PAR plan, a remediation plan, an inspection plan…"""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly PAR plan")
        REMEDIATION = "remediation", _("Remediation plan")
        INSPECTION = "inspection", _("Inspection plan")
        OTHER = "other", _("Other plan")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        ISSUED = "issued", _("Issued")

    code = models.CharField(_("code"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.YEARLY)
    title = models.CharField(_("title"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    # A remediation plan drafted from a published round's lost points names that round.
    source_round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("drafted from round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class Task(TimeStampedModel):
    """A task of a plan: who leads it, by when, what it produces, which criteria it serves."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title = models.TextField(_("title"))
    # Unit codes and unit type codes as written in the plan ("SNV", "XA" = every active commune).
    lead = models.JSONField(_("lead"), default=list)
    coordinating = models.JSONField(_("coordinating units"), default=list, blank=True)
    deadline = models.DateField(_("deadline"))
    product = models.TextField(_("expected product"), blank=True)
    criterion_codes = models.JSONField(_("linked criteria"), default=list, blank=True)
    # Where a remediation task comes from: {"round", "unit", "criterion", "lost_points"}.
    origin = models.JSONField(_("origin"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="one_task_code_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class Progress(models.Model):
    """One assigned unit's progress on a task, reported by the unit and reviewed by the office.

    `deadline` is the one that counts: the task's, or the later day of an extension granted to
    this unit (then `extended_until` and `extension_reason` say so).
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Review(models.TextChoices):
        NONE = "", _("Not reported")
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", pgettext_lazy("task review", "Accepted")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    deadline = models.DateField(_("deadline"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.ForeignKey(
        "assessments.Evidence",
        verbose_name=_("product (document)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    review_reason = models.TextField(_("reason for returning"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")
        ordering = ["task", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="one_progress_per_task_unit"),
            models.CheckConstraint(
                condition=~models.Q(status="done", completed_on__isnull=True),
                name="done_progress_has_a_date",
            ),
        ]
        # Narrow covering indexes: the completion counts scan them, not the wide rows.
        indexes = [
            models.Index(fields=["task", "status", "deadline", "completed_on"]),
            models.Index(fields=["unit", "task", "status", "deadline", "completed_on"]),
            # Open work by deadline (reminders, units at risk) and the reviews pending.
            models.Index(fields=["status", "deadline"]),
            models.Index(
                fields=["review"], condition=models.Q(review="pending"), name="progress_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.unit_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        """Work still expected from the unit (not done, not cancelled)."""
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def is_overdue_on(self, day: dt.date) -> bool:
        """Still open after its deadline."""
        return self.is_open and self.deadline < day


class ReportType(TimeStampedModel):
    """A periodic report of the reporting regime (chế độ báo cáo, Nghị định 09/2019/NĐ-CP)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    # The day of the period's last month the report is due (quarterly, 15 → 15/03, 15/06…).
    due_day = models.PositiveSmallIntegerField(_("due day"))
    unit_types = models.ManyToManyField(
        "units.UnitType", verbose_name=_("unit types that send it"), related_name="+"
    )
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_day__gte=1, due_day__lte=31), name="due_day_in_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class Submission(TimeStampedModel):
    """One unit's report for one period: when it was sent and the document; the office may
    return it for quality, and then only a new submission counts."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for quality")

    report_type = models.ForeignKey(
        ReportType, on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"))
    document = models.ForeignKey(
        "assessments.Evidence",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["report_type", "due_on", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "unit", "period"], name="one_submission_per_period"
            ),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.report_type_id}/{self.unit_id} {self.period}"

    @property
    def is_on_time(self) -> bool:
        return self.status == self.Status.SUBMITTED and self.submitted_on <= self.due_on


class Inspection(TimeStampedModel):
    """A PAR inspection (kiểm tra CCHC) of one unit, periodic or unscheduled, and its minutes."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic")
        UNSCHEDULED = "unscheduled", _("Unscheduled")

    code = models.CharField(_("code"), max_length=40, unique=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("inspection plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERIODIC)
    inspected_on = models.DateField(_("inspected on"))
    team = models.TextField(_("inspection team"), blank=True)
    minutes = models.ForeignKey(
        "assessments.Evidence",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.unit_id}"


class Finding(TimeStampedModel):
    """A shortcoming an inspection found: the remedy required and by when; the unit reports the
    remedy with evidence, the office verifies it (then `remedied_on` counts) or returns it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("finding status", "Open")
        REPORTED = "reported", _("Remedy reported")
        REMEDIED = "remedied", _("Remedied (verified)")
        RETURNED = "returned", _("Remedy returned")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("finding"))
    criterion_code = models.CharField(_("criterion"), max_length=40, blank=True)
    remedy = models.TextField(_("required remedy"), blank=True)
    remedy_deadline = models.DateField(_("remedy deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reported_on = models.DateField(_("remedied on (as reported)"), null=True, blank=True)
    evidence = models.ForeignKey(
        "assessments.Evidence",
        verbose_name=_("remedy evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_note = models.TextField(_("note"), blank=True)
    remedied_on = models.DateField(_("remedied on"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "code"], name="one_finding_code_per_inspection"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="remedied", remedied_on__isnull=True),
                name="remedied_finding_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["remedy_deadline"])]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.code}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.REMEDIED
