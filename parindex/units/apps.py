from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "parindex.units"
    verbose_name = _("Units")

    def ready(self) -> None:
        from parindex.units.history import register_texts

        register_texts()
        from parindex.core import registry
        from parindex.units import search

        registry.menu.add(
            registry.MenuEntry(80, self.verbose_name, "units:list", "/units/", "view_units")
        )
        registry.search_sources.add(registry.SearchSource(10, "units", _("Units"), search.units))
        registry.demo_steps.add(registry.DemoStep(10, "units", "parindex.units.demo"))
