from __future__ import annotations

from django.urls import path

from parindex.monitoring.views import analysis, inspections, plans, rates, reports, unit

app_name = "monitoring"

urlpatterns = [
    path("", unit.index, name="index"),
    path("mine/", unit.mine, name="mine"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/import/", analysis.plan_import, name="plan_import"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/tasks.csv", plans.plan_export, name="plan_export"),
    path("plans/<int:pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/clone/", plans.plan_clone, name="plan_clone"),
    path("plans/<int:pk>/tasks/new/", plans.task_create, name="task_create"),
    path("tasks/<int:pk>/", plans.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", plans.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", plans.task_delete, name="task_delete"),
    path("progress/<int:pk>/", unit.progress, name="progress"),
    path("progress/<int:pk>/review/", plans.progress_review, name="progress_review"),
    path("progress/<int:pk>/extend/", plans.progress_extend, name="progress_extend"),
    path("progress/<int:pk>/cancel/", plans.progress_cancel, name="progress_cancel"),
    path("urge/", plans.urge, name="urge"),
    path("completion/", plans.completion, name="completion"),
    path("reports/", reports.report_types, name="report_types"),
    path("reports/new/", reports.report_type_edit, name="report_type_create"),
    path("reports/<int:pk>/edit/", reports.report_type_edit, name="report_type_edit"),
    path("reports/received/", reports.submissions, name="submissions"),
    path("reports/received/<int:pk>/return/", reports.submission_return, name="submission_return"),
    path("reports/calendar/", unit.calendar, name="calendar"),
    path("reports/calendar/units/", unit.calendar_unit_options, name="calendar_unit_options"),
    path("reports/units/<int:unit_pk>/submit/", unit.submit_report, name="submit_report"),
    path("inspections/", inspections.inspection_list, name="inspections"),
    path("inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/units/", inspections.unit_options, name="unit_options"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/findings/new/", inspections.finding_create, name="finding_create"),
    path("inspections/<int:pk>/minutes/", inspections.minutes_upload, name="minutes_upload"),
    path("findings/<int:pk>/", unit.finding, name="finding"),
    path("findings/<int:pk>/verify/", inspections.finding_verify, name="finding_verify"),
    path("rates/", rates.rates_page, name="rates"),
    path("rates.csv", rates.rates_csv, name="rates_csv"),
    path("rates/job/", rates.rates_job, name="rates_job"),
    path("rates/rounds/<int:round_pk>/job/", rates.computed_job, name="computed_job"),
    path("remediation/", analysis.remediation, name="remediation"),
    path("warning/", analysis.early_warning, name="warning"),
]
