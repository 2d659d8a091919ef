"""The national PAR Index as the Ministry publishes it: provinces, their names, the 2025 merger,
the yearly tables (index and per-area component indices in percent) and the Ministry's appraised
points of the province's own criteria (for the appendix of the analysis).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parindex.core.models import TimeStampedModel


class Province(models.Model):
    """A province or centrally-run city as named in the national tables."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_city = models.BooleanField(_("centrally-run city"), default=False)
    last_year = models.PositiveSmallIntegerField(
        _("last year in the national table"),
        null=True,
        blank=True,
        help_text=_("Empty while the province still exists (merged provinces end in 2024)."),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProvinceAlias(models.Model):
    """Another spelling of a province's name found in published tables ("Thừa Thiên Huế")."""

    alias = models.CharField(_("alias"), max_length=100)
    key = models.CharField(_("normalised alias"), max_length=100, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        verbose_name = _("province alias")
        verbose_name_plural = _("province aliases")
        ordering = ["province__name", "alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.province}"


class ProvinceMerger(models.Model):
    """One predecessor of a province formed by a merger, from the year of its first table."""

    year = models.PositiveSmallIntegerField(_("first year of the new province"))
    successor = models.ForeignKey(
        Province,
        verbose_name=_("new province"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    predecessor = models.ForeignKey(
        Province,
        verbose_name=pgettext_lazy("province", "predecessor"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )

    class Meta:
        verbose_name = _("province merger")
        verbose_name_plural = _("province mergers")
        ordering = ["year", "successor__name", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "predecessor"], name="one_successor_per_predecessor_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.predecessor} → {self.successor}"


class NationalTable(TimeStampedModel):
    """The Ministry's published PAR Index table of one year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("national table")
        verbose_name_plural = _("national tables")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class NationalArea(models.Model):
    """An area (lĩnh vực) of one year's table: its name, maximum points and leading department."""

    table = models.ForeignKey(
        NationalTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    lead = models.CharField(_("leading department"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("national area")
        verbose_name_plural = _("national areas")
        ordering = ["table", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="unique_area_code_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class NationalScore(models.Model):
    """One province's row of a national table: its index and its areas' percentages."""

    table = models.ForeignKey(
        NationalTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="scores"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="scores"
    )
    index_percent = models.DecimalField(_("index (%)"), max_digits=5, decimal_places=2)
    # Area code -> percent as a string with two decimals ("86.50"), or null when not published.
    area_percents = models.JSONField(_("area percentages"), default=dict)

    class Meta:
        verbose_name = _("national score")
        verbose_name_plural = _("national scores")
        ordering = ["table", "-index_percent", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "province"], name="one_score_per_province_and_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table.year} {self.province}: {self.index_percent}"


class AppraisedCriterion(models.Model):
    """The Ministry's appraised points of one criterion of a province's central-index assessment."""

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    criterion_code = models.CharField(_("criterion code"), max_length=40)
    criterion_name = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    owner = models.CharField(_("responsible department"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("appraised criterion")
        verbose_name_plural = _("appraised criteria")
        ordering = ["year", "province", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province", "criterion_code"],
                name="one_appraised_row_per_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.province} {self.criterion_code}"
