"""Versioned index sets and their criteria trees (the YAML format of docs/design.md, as rows).

A set is identified by its code and version; a published version never changes, and editing it
creates a new draft version. The tree is stored flat: each criterion names its parent and its
position among its siblings; `parindex.indexsets.queries` turns it into the engine's dataclasses.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parindex.core.models import TimeStampedModel


class IndexSet(TimeStampedModel):
    """A criteria tree with its bands, used to score one unit type from a given year."""

    class Status(models.TextChoices):
        # An index set is issued (ban hành), not published like results: its own words.
        DRAFT = "draft", pgettext_lazy("index set", "Draft")
        PUBLISHED = "published", pgettext_lazy("index set", "Published")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    unit_type = models.ForeignKey(
        "units.UnitType", verbose_name=_("unit type"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("derived from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A new value on every change of the set or its rows: the cache key of the engine's copy
    # (`queries.engine_index_set`) and the token editors send back to detect a concurrent edit.
    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("index set")
        verbose_name_plural = _("index sets")
        ordering = ["-valid_from", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_index_set_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="draft"),
                name="one_draft_per_index_set_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Band(models.Model):
    """A classification band of a set (e.g. Tốt ≥ 90%), ordered highest first."""

    index_set = models.ForeignKey(IndexSet, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    min_percent = models.DecimalField(_("minimum percent"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["index_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["index_set", "code"], name="unique_band_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A node of the tree: an area (lĩnh vực), a criterion (tiêu chí) or a sub-criterion."""

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Normal")
        BONUS = "bonus", _("Bonus points")
        PENALTY = "penalty", _("Penalty points")

    class Source(models.TextChoices):
        SELF = "self", _("Self-assessed")
        SURVEY = "survey", _("Survey")
        COMPUTED = "computed", _("Computed from system data")

    class NotApplicable(models.TextChoices):
        NONE = "none", _("Not allowed")
        EXCLUDE = "exclude", _("Excluded from the maximum")
        FULL = "full", _("Scores its maximum")

    index_set = models.ForeignKey(IndexSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=40)
    name = models.TextField(_("name"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NORMAL)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.SELF
    )
    not_applicable = models.CharField(
        _("not applicable"),
        max_length=10,
        choices=NotApplicable.choices,
        default=NotApplicable.NONE,
    )
    # The leaf's scoring rule exactly as in the YAML format ({"type": "choice", "options": […]}).
    rule = models.JSONField(_("scoring rule"), null=True, blank=True)
    owner = models.CharField(_("responsible unit (code)"), max_length=40, blank=True)
    evidence = models.TextField(_("required evidence"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["index_set", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["index_set", "code"], name="unique_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"
