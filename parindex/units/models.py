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
