from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parindex.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from parindex.core import registry, vietnamese_sql
        from parindex.core.history import core_texts

        core_texts()
        connection_created.connect(
            vietnamese_sql.register_sqlite, dispatch_uid="parindex-vietnamese-sql"
        )
        registry.menu.add(registry.MenuEntry(10, _("Home"), "core:home", "/"))
        registry.menu.add(
            registry.MenuEntry(100, _("Audit log"), "core:audit", "/audit/", "view_audit")
        )
