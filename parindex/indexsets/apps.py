from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexsetsConfig(AppConfig):
    name = "parindex.indexsets"
    verbose_name = _("Index sets")

    def ready(self) -> None:
        from parindex.indexsets.history import register_texts

        register_texts()
        from parindex.core import registry
        from parindex.indexsets import search

        registry.menu.add(
            registry.MenuEntry(
                70, self.verbose_name, "indexsets:list", "/indexsets/", "view_indexsets"
            )
        )
        registry.search_sources.add(
            registry.SearchSource(20, "criteria", _("Criteria"), search.criteria)
        )
        registry.demo_steps.add(registry.DemoStep(20, "indexsets", "parindex.indexsets.demo"))
