from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "parindex.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from parindex.accounts import permissions
        from parindex.core import registry
        from parindex.jobs.history import register_texts

        @permissions.predicate("view_all_jobs")
        def can_view_all_jobs(user: Any, obj: Any = None) -> bool:
            """The PAR office sees everybody's background jobs; others see their own."""
            return permissions.is_office(user)

        registry.menu.add(registry.MenuEntry(105, _("Background jobs"), "jobs:list", "/jobs/"))
        register_texts()
