from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "parindex.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The API sits at the top of the layers: it registers itself with the apps below (menu,
        # demo step, its permission, the daily reminders) and listens to the audit log for the
        # events its webhooks send. No lower app imports it.
        from parindex.api import hooks
        from parindex.api.history import register_texts

        hooks.register()
        register_texts()
