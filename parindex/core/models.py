"""The audit trail and site-wide settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for rows that record when they were created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One recorded change: who did what to which object, when, old and new values, and why.

    Entries are written only by `parindex.core.audit.record` and never edited or deleted.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # No constraint in the database: an import by a user writes 10^5 entries, each of which
    # PostgreSQL would check one by one at commit (decision 36). Users are deactivated, never
    # deleted, and Django's PROTECT still refuses a deletion.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # No index: the audit page filters actions by substring (which no b-tree serves) and the
    # exact lookups go through the object's index; every import writes 10^5 entries (decision 35).
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    old = models.JSONField(_("old value"), null=True, blank=True)
    new = models.JSONField(_("new value"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Setting(models.Model):
    """A site-wide setting (e.g. whether the data is an illustrative demo)."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")

    def __str__(self) -> str:
        return self.key
