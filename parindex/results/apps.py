from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "parindex.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # A published round's pages show the computed values its snapshot froze (asked before
        # monitoring's live values).
        from parindex.assessments import hooks
        from parindex.results.queries import snapshot_computed

        hooks.register_computed(snapshot_computed, first=True)
