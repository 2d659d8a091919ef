from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveysConfig(AppConfig):
    name = "parindex.surveys"
    verbose_name = _("Surveys")
    # The menu's short word (the office's menu stays on one line at 1280 px).
    menu_label = pgettext_lazy("menu", "Surveys")
