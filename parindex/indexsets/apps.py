from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexsetsConfig(AppConfig):
    name = "parindex.indexsets"
    verbose_name = _("Index sets")
