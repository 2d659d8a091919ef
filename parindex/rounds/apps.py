from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "parindex.rounds"
    verbose_name = _("Assessment rounds")
