from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "parindex.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from parindex.results.history import register_texts

        register_texts()
        from parindex.accounts import dashboard as panels
        from parindex.assessments import hooks
        from parindex.core import registry
        from parindex.results import dashboard, jobs, queries

        registry.menu.add(
            registry.MenuEntry(50, _("Results"), "results:index", "/results/", "view_results")
        )
        registry.panel_items.add(
            registry.PanelItems(20, panels.OFFICE, "results", queries.dashboard_items)
        )
        registry.panel_items.add(
            registry.PanelItems(10, panels.RESULTS, "results", queries.dashboard_items)
        )
        for panel in (panels.OFFICE, panels.RESULTS):
            registry.panel_charts.add(
                registry.PanelCharts(20, panel, "results", dashboard.top_and_bottom)
            )
        registry.demo_steps.add(registry.DemoStep(60, "results", "parindex.results.demo"))
        jobs.register()  # publication and the heavy documents run as background jobs
        # A published round's pages show the computed values its snapshot froze (asked before
        # monitoring's live values).
        hooks.register_computed(queries.snapshot_computed, first=True)
