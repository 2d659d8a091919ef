from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "parindex.rounds"
    verbose_name = _("Assessment rounds")

    def ready(self) -> None:
        from parindex.rounds.history import register_texts

        register_texts()
        from parindex.accounts import permissions
        from parindex.core import registry
        from parindex.rounds import queries

        permissions.provide_appraisal_cells(queries.appraisal_cells)
        registry.menu.add(
            registry.MenuEntry(20, _("Rounds"), "rounds:list", "/rounds/", "view_rounds")
        )
        registry.demo_steps.add(registry.DemoStep(40, "rounds", "parindex.rounds.demo"))
