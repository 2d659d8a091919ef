from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveysConfig(AppConfig):
    name = "parindex.surveys"
    verbose_name = _("Surveys")
    # The menu's short word (the office's menu stays on one line at 1280 px).
    menu_label = pgettext_lazy("menu", "Surveys")

    def ready(self) -> None:
        from parindex.surveys.history import register_texts

        register_texts()
        from parindex.core import registry
        from parindex.surveys import jobs

        registry.menu.add(
            registry.MenuEntry(45, self.menu_label, "surveys:index", "/surveys/", "view_surveys")
        )
        # Before results (60), which publishes last year's round.
        registry.demo_steps.add(registry.DemoStep(55, "surveys", "parindex.surveys.demo"))
        jobs.register()  # applying a campaign runs as a background job
