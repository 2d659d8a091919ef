from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "parindex.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # The hooks through which lower apps reach monitoring without importing it: the daily
        # reminders (`parindex remind`) and the values of computed criteria on the
        # self-assessment and appraisal pages.
        from parindex.monitoring import hooks

        hooks.register()
