from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "parindex.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from parindex.accounts.history import register_texts

        register_texts()
        from parindex.accounts import dashboard, permissions
        from parindex.core import registry

        registry.install_access(
            registry.Access(
                has=permissions.has,
                role_labels=dashboard.role_labels,
                role_codes=dashboard.role_codes,
            )
        )
        registry.menu.add(
            registry.MenuEntry(
                90, _("Users"), "accounts:user_list", "/accounts/users/", "manage_users"
            )
        )
        for order, key, build in [
            (10, dashboard.OFFICE, dashboard.office_panel),
            (20, dashboard.UNIT, dashboard.unit_panel),
            (30, dashboard.APPRAISAL, dashboard.appraisal_panel),
            (40, dashboard.COUNCIL, dashboard.council_panel),
            (50, dashboard.RESULTS, dashboard.results_panel),
        ]:
            registry.dashboard_panels.add(registry.DashboardPanel(order, key, build))
        registry.demo_steps.add(registry.DemoStep(30, "accounts", "parindex.accounts.demo"))
