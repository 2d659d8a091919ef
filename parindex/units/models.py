"""Unit types (tiers), units and peer groups. Tiers are data: the 2025 reform showed they change."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models import TimeStampedModel


class UnitType(models.Model):
    """A tier of units scored on the same index set (TINH, SO, TW, HUYEN, XA…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class PeerGroup(models.Model):
    """Comparable units ranked together for fairness (e.g. wards apart from mountain communes)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    """A department, central agency, district, commune or the province itself."""

    # Set by units.queries on the units it reads (as_of, tree_level), not columns.
    name_then: str
    parent_then: Unit | None
    children_count: int

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    unit_type = models.ForeignKey(
        UnitType, verbose_name=_("unit type"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    peer_group = models.ForeignKey(
        PeerGroup,
        verbose_name=_("peer group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["unit_type__order", "code"]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the unit existed on `day` (active_to is the first day it no longer exists)."""
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_to is None or day < self.active_to)


class Reorganisation(TimeStampedModel):
    """A reorganisation that took effect on a date under a legal basis (merge, split, rename…).

    Its predecessors stop existing on `effective_date` (unless they continue, as in a rename or a
    move, or a merge into one of them); its successors exist from that date. The rows stay, so
    history and year-over-year comparisons can follow a unit's lineage.
    """

    # Set by units.queries.lineage on the events it reads, not columns.
    predecessors: list[Unit]
    successors: list[Unit]

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move to another parent")
        RETIRE = "retire", _("Retire")

    kind = models.CharField(_("kind of reorganisation"), max_length=10, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"), db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    old_name = models.CharField(_("name before"), max_length=255, blank=True)
    new_name = models.CharField(_("name after"), max_length=255, blank=True)
    old_parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent before"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent after"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField(
        Unit, through="ReorganisationUnit", related_name="reorganisations"
    )

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class ReorganisationUnit(models.Model):
    """A unit taking part in a reorganisation, as a predecessor (before) or a successor (after)."""

    class Role(models.TextChoices):
        PREDECESSOR = "before", _("predecessor")
        SUCCESSOR = "after", _("successor")

    reorganisation = models.ForeignKey(
        Reorganisation,
        verbose_name=_("reorganisation"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reorganisation_links"
    )
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)

    class Meta:
        verbose_name = _("unit in a reorganisation")
        verbose_name_plural = _("units in reorganisations")
        ordering = ["reorganisation", "role", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "unit", "role"],
                name="unique_unit_role_per_reorganisation",
            )
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.reorganisation}: {self.unit} ({self.get_role_display()})"
