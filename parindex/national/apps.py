from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "parindex.national"
    verbose_name = _("National PAR Index")

    def ready(self) -> None:
        from parindex.national.history import register_texts

        register_texts()
        from parindex.core import registry
        from parindex.national import queries

        registry.menu.add(
            registry.MenuEntry(
                60, self.verbose_name, "national:overview", "/national/", "view_national"
            )
        )
        registry.dashboard_panels.add(
            registry.DashboardPanel(60, "national", queries.dashboard_panel)
        )
        registry.demo_steps.add(registry.DemoStep(70, "national", "parindex.national.demo"))
