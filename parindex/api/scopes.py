"""What an API token may do: its scopes, each with a Vietnamese and an English description.

A token holds a list of scopes; every endpoint names the one it needs (`endpoints.py`), and the
permission matrix test walks every endpoint × scope. Write scopes may further be limited to some
units (`Token.units`): a token for Sở Tư pháp's document system writes only Sở Tư pháp's tasks.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_INDEXSETS = "indexsets:read", _("Read index sets")
    READ_UNITS = "units:read", _("Read units and their lineage")
    READ_ROUNDS = "rounds:read", _("Read rounds and their phases")
    READ_RESULTS = "results:read", _("Read published results")
    READ_PROVISIONAL = "results:provisional", _("Read provisional results before publication")
    READ_NATIONAL = "national:read", _("Read the national PAR Index tables and analysis")
    READ_MONITORING = "monitoring:read", _("Read plans, tasks, progress and monitoring rates")
    READ_SURVEYS = "surveys:read", _("Read survey results")
    WRITE_SCORES = "scores:write", _("Import scores")
    WRITE_MONITORING = "monitoring:write", _("Report task progress and report submissions")
    WRITE_EVIDENCE = "evidence:write", _("Register documents in units' evidence libraries")


# Scopes whose writes are limited to the token's units when it names some.
UNIT_SCOPES = frozenset({Scope.WRITE_SCORES, Scope.WRITE_MONITORING, Scope.WRITE_EVIDENCE})
