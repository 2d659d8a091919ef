from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "parindex.national"
    verbose_name = _("National PAR Index")
