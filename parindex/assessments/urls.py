from __future__ import annotations

from django.urls import path

from parindex.assessments.views import appraisal, council, evidence, inbox, province, unit

app_name = "assessments"

urlpatterns = [
    path("", unit.mine, name="mine"),
    path("<int:pk>/", unit.detail, name="detail"),
    path("<int:pk>/check/", unit.check, name="check"),
    path("<int:pk>/submit/", unit.submit, name="submit"),
    path("<int:pk>/withdraw/", unit.withdraw, name="withdraw"),
    path("<int:pk>/explanations/", unit.explanations, name="explanations"),
    path("<int:pk>/explanations/send/", unit.send_explanations, name="send_explanations"),
    path("requests/<int:pk>/answer/", unit.answer, name="answer"),
    path("items/<int:pk>/save/", unit.save_item, name="save_item"),
    path("items/<int:pk>/history/", unit.item_history, name="item_history"),
    path("items/<int:pk>/evidence/", evidence.item_evidence, name="item_evidence"),
    path("items/<int:pk>/evidence/<int:evidence_pk>/detach/", evidence.detach, name="detach"),
    path("units/<int:unit_pk>/evidence/", evidence.library, name="library"),
    path("units/<int:unit_pk>/evidence/add/", evidence.add, name="add_evidence"),
    path("evidence/<int:pk>/file/", evidence.evidence_file, name="evidence_file"),
    path("appraisal/", appraisal.queue, name="queue"),
    path("<int:pk>/appraise/", appraisal.appraise, name="appraise"),
    path("items/<int:pk>/decide/", appraisal.decide, name="decide"),
    path("<int:pk>/accept-rest/", appraisal.accept_rest, name="accept_rest"),
    path("<int:pk>/accept-remaining/", appraisal.accept_remaining, name="accept_remaining"),
    path("<int:pk>/return/", appraisal.return_to_unit, name="return"),
    path("<int:pk>/finalise/", appraisal.finalise, name="finalise"),
    path("council/<int:round_pk>/", council.council, name="council"),
    path("council/<int:round_pk>/approve/", council.approve_many, name="approve_many"),
    path(
        "council/<int:round_pk>/minutes.docx", council.council_minutes, name="council_minutes_docx"
    ),
    path("<int:pk>/approve/", council.approve, name="approve"),
    path("<int:pk>/send-back/", council.send_back, name="send_back"),
    path("<int:pk>/reopen/", council.reopen, name="reopen"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.mark_read, name="mark_read"),
    path("<int:pk>/remind/", inbox.remind, name="remind"),
    path("<int:pk>/print/", unit.print_form, name="print"),
    path("rounds/<int:round_pk>/owners/", province.owners, name="owners"),
    path("<int:pk>/province/", province.compile_page, name="province"),
    path("<int:pk>/province/report.xlsx", province.report_xlsx, name="province_xlsx"),
    path("<int:pk>/province/report.docx", province.report_docx, name="province_docx"),
    path("<int:pk>/province/ministry/", province.ministry, name="ministry"),
]
