"""The frozen results of a published round: one snapshot per round, never updated.

A snapshot holds the round's inputs (index sets as canonical specs, units, final answers, survey
answers, ranking groups), the outputs the engine computed from them and the engine's version, as
canonical JSON text; `sha256` is the digest of the two texts and the version (see
`parindex.results.snapshots`). `parindex verify ROUND` recomputes the outputs from the stored
inputs and checks both the digest and the figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The published results of a round (kết quả công bố), frozen when the round is published."""

    round = models.OneToOneField(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="snapshot",
    )
    engine_version = models.CharField(_("engine version"), max_length=80)
    inputs = models.TextField(_("inputs (canonical JSON)"))
    outputs = models.TextField(_("outputs (canonical JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("time of publication"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("results snapshot")
        verbose_name_plural = _("results snapshots")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.sha256[:12]}"


class PublicPage(models.Model):
    """A published round whose results the PAR office chose to show without login."""

    round = models.OneToOneField(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="public_page",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("public results page")
        verbose_name_plural = _("public results pages")

    def __str__(self) -> str:
        return str(self.round_id)
