"""Assessment rounds (đợt đánh giá): phases and deadlines, index sets, appraisers, extensions.

A round scores the units of one year. Each unit type is scored on one index set; the units taking
part are the round's assessments (`parindex.assessments.models.Assessment`, one per unit).
Deadlines are calendar days in the province's time zone: a phase that closes on 15/01 accepts
work until 23:59 that day. A unit granted an extension works to its own later day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models import TimeStampedModel


class Phase(models.TextChoices):
    """The deadlines of a round, in the order the work happens."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPLANATION = "explanation", _("Explanation")
    SECOND_APPRAISAL = "second_appraisal", _("Second appraisal")
    COUNCIL = "council", _("Council")
    PUBLICATION = "publication", _("Publication")


# The Round field holding each phase's last day.
PHASE_FIELDS: dict[str, str] = {
    Phase.SELF_ASSESSMENT: "self_assessment_closes_on",
    Phase.APPRAISAL: "appraisal_closes_on",
    Phase.EXPLANATION: "explanation_closes_on",
    Phase.SECOND_APPRAISAL: "second_appraisal_closes_on",
    Phase.COUNCIL: "council_closes_on",
    Phase.PUBLICATION: "publication_on",
}

# Phases a unit may be given more time for (the unit's own work).
EXTENDABLE_PHASES = (Phase.SELF_ASSESSMENT, Phase.EXPLANATION)


class Round(TimeStampedModel):
    """One year's assessment of a set of units: index sets, phase dates, status."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("In progress")
        FINALISED = "finalised", _("Finalised")
        PUBLISHED = "published", _("Published")

    code = models.CharField(_("code"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("assessed year"))
    name = models.CharField(_("name"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    self_assessment_opens_on = models.DateField(_("self-assessment opens on"))
    self_assessment_closes_on = models.DateField(_("self-assessment closes on"))
    appraisal_closes_on = models.DateField(_("appraisal closes on"))
    explanation_closes_on = models.DateField(_("explanation window closes on"))
    second_appraisal_closes_on = models.DateField(_("second appraisal closes on"))
    council_closes_on = models.DateField(_("council decides by"))
    publication_on = models.DateField(_("publication planned on"))
    # The day monitoring rates (computed criteria) are taken at; empty means 31/12 of the year.
    as_of = models.DateField(_("monitoring data as of"), null=True, blank=True)
    # Ranks are computed within each unit type, or within peer groups when this is set.
    rank_within_peer_groups = models.BooleanField(_("rank within peer groups"), default=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    self_assessment_opens_on__lte=models.F("self_assessment_closes_on")
                )
                & models.Q(self_assessment_closes_on__lte=models.F("appraisal_closes_on"))
                & models.Q(appraisal_closes_on__lte=models.F("explanation_closes_on"))
                & models.Q(explanation_closes_on__lte=models.F("second_appraisal_closes_on"))
                & models.Q(second_appraisal_closes_on__lte=models.F("council_closes_on"))
                & models.Q(council_closes_on__lte=models.F("publication_on")),
                name="round_phases_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def closes_on(self, phase: str) -> dt.date:
        """The last day of a phase for every unit without an extension."""
        return getattr(self, PHASE_FIELDS[phase])

    @property
    def rates_as_of(self) -> dt.date:
        """The day computed criteria count tasks, reports and findings at (31/12 by default)."""
        return self.as_of or dt.date(self.year, 12, 31)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundIndexSet(models.Model):
    """The index set a round scores one unit type on."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="index_sets")
    unit_type = models.ForeignKey(
        "units.UnitType", verbose_name=_("unit type"), on_delete=models.PROTECT, related_name="+"
    )
    index_set = models.ForeignKey(
        "indexsets.IndexSet",
        verbose_name=_("index set"),
        on_delete=models.PROTECT,
        related_name="round_uses",
    )

    class Meta:
        verbose_name = _("index set of a round")
        verbose_name_plural = _("index sets of a round")
        ordering = ["round", "unit_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit_type"], name="one_index_set_per_round_unit_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.code}: {self.unit_type.code} → {self.index_set}"


class Assignment(models.Model):
    """An appraiser appraises one area (top-level criterion) of one unit in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "indexsets.Criterion",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraiser"),
        on_delete=models.PROTECT,
        related_name="appraisal_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appraiser assignment")
        verbose_name_plural = _("appraiser assignments")
        ordering = ["round", "unit", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "area"], name="one_appraiser_per_unit_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.code}: {self.unit_id}/{self.area_id} → {self.appraiser_id}"


class Extension(models.Model):
    """More time for one unit in one phase, granted by the PAR office with a reason."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    until_on = models.DateField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["round", "unit", "phase"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "phase"], name="one_extension_per_unit_phase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.code}: {self.unit_id} {self.phase} → {self.until_on}"
