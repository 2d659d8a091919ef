"""API tokens for other systems, and the webhooks that tell them what happened.

A token belongs to a named client (the document-management system, the LGSP, the IOC…). Only
the SHA-256 of its secret is stored; the secret is shown once, when it is created. Each token
acts through its own account (`user`, no password, no role), so that what it writes is
attributed to the client by name in the audit log and on the pages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex.core.models import TimeStampedModel


class Token(TimeStampedModel):
    """A client's key to the API: scopes, optional units, expiry; revocable."""

    name = models.CharField(_("client"), max_length=150, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_sha256 = models.CharField(_("SHA-256 of the key"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    units = models.ManyToManyField(
        "units.Unit", verbose_name=_("units it may write for"), blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_usable_at(self, moment: dt.datetime | None = None) -> bool:
        """Not revoked and not expired."""
        moment = moment or timezone.now()
        return self.revoked_at is None and self.expires_at > moment


class Endpoint(TimeStampedModel):
    """A URL of another system that receives signed events."""

    class Event(models.TextChoices):
        PUBLISHED = "results.published", _("Results published")
        ASSESSMENT = "assessment.status_changed", _("Assessment status changed")
        OVERDUE = "task.overdue", _("Task overdue")

    name = models.CharField(_("name"), max_length=150, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=Endpoint.Event.choices)
    # What the event is about, once per endpoint (an overdue task is told once per deadline).
    key = models.CharField(_("key"), max_length=120)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="one_delivery_per_event"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
