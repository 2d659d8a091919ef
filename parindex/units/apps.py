from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "parindex.units"
    verbose_name = _("Units")
