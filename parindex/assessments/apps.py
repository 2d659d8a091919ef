from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "parindex.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from parindex.assessments.history import register_texts

        register_texts()
        from parindex.accounts import dashboard as panels
        from parindex.accounts import permissions
        from parindex.assessments import (
            bulk,
            dashboard,
            jobs,
            notifications,
            queries,
            search,
            services,
        )
        from parindex.assessments.models import Assessment
        from parindex.core import registry
        from parindex.rounds import participants

        jobs.register()  # the scores import from the browser runs as a background job
        # Loading the module registers the province's predicates (edit_province_item…) in accounts.
        import_module("parindex.assessments.province")
        permissions.provide_evidence_attachments(queries.evidence_attachments)
        participants.install(
            participants.Participants(
                add_units=services.add_units,
                remove_unit=services.remove_unit,
                round_opened=notifications.round_opened,
                extension_granted=notifications.extension_granted,
                areas=queries.round_areas,
                not_approved=queries.not_approved,
                published=services.mark_published,
                approve_imported=bulk.approve_imported,
                progress=queries.round_progress,
                status_summary=queries.status_summary,
                statuses=Assessment.Status.choices,
            )
        )
        for entry in [
            registry.MenuEntry(
                30, _("My assessments"), "assessments:mine", "/assessments/", "unit_work"
            ),
            registry.MenuEntry(
                40, _("Appraisal"), "assessments:queue", "/assessments/appraisal/", "appraise"
            ),
            registry.MenuEntry(
                110,
                _("Inbox"),
                "assessments:inbox",
                "/assessments/inbox/",
                count=queries.unread_count,
            ),
        ]:
            registry.menu.add(entry)
        for panel, items in [
            (panels.OFFICE, dashboard.office_items),
            (panels.UNIT, dashboard.unit_items),
            (panels.APPRAISAL, dashboard.appraiser_items),
            (panels.COUNCIL, dashboard.council_items),
        ]:
            registry.panel_items.add(registry.PanelItems(10, panel, "assessments", items))
        for panel, charts in [
            (panels.OFFICE, dashboard.office_charts),
            (panels.UNIT, dashboard.unit_charts),
            (panels.APPRAISAL, dashboard.appraiser_charts),
            (panels.COUNCIL, dashboard.council_charts),
            (panels.RESULTS, dashboard.progress_charts),
        ]:
            registry.panel_charts.add(registry.PanelCharts(10, panel, "assessments", charts))
        registry.search_sources.add(
            registry.SearchSource(30, "documents", _("Documents"), search.documents)
        )
        registry.inbox_sources.add(registry.InboxSource(10, "assessments", dashboard.inbox_item))
        registry.demo_steps.add(registry.DemoStep(50, "assessments", "parindex.assessments.demo"))
