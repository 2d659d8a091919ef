from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MonitoringConfig(AppConfig):
    name = "parindex.monitoring"
    verbose_name = _("Monitoring")
    # The menu's short word (the office's menu stays on one line at 1280 px).
    menu_label = pgettext_lazy("menu", "Monitoring")

    def ready(self) -> None:
        # What monitoring adds to the apps below it, which never import it: the menu, a home
        # panel and a demo step (core's registries); the daily reminders, the values of
        # computed criteria and the remarks beside criteria (assessments' hooks).
        from parindex.monitoring.history import register_texts

        register_texts()
        from parindex.monitoring import hooks

        hooks.register(self.menu_label)
