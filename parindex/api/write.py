"""The API's write endpoints: scores, task progress, report submissions, documents.

Each calls the same service as the page or command that does the same thing, so the checks are
the same: a scores import is all or nothing (`assessments.services.import_scores`, the file
import's service), progress and reports go through monitoring's services, a document with a
file is checked like any upload (size, type read from the content, SHA-256). A refusal answers
422 with every problem listed; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from parindex.accounts import limits
from parindex.api import schemas
from parindex.api.auth import require, require_unit
from parindex.api.errors import get_or_404
from parindex.api.read import ERRORS, progress_row, visible_round
from parindex.api.scopes import Scope
from parindex.assessments.models import Evidence
from parindex.units.models import Unit

router = Router()
# A body that is not JSON (or not a form) at all: 400.
WRITE_ERRORS = {400: schemas.Error, **ERRORS}


class Refusal(HttpError):
    """A service's refusal as a 422: every problem, and the refusal's stable code."""

    def __init__(self, refused: Exception) -> None:
        problems = getattr(refused, "problems", None) or [str(refused)]
        super().__init__(422, "\n".join(str(problem) for problem in problems))
        self.code = str(getattr(refused, "code", "") or "")


def _refused(refused: Exception) -> HttpError:
    return Refusal(refused)


def _unit(code: str) -> Unit:
    return get_or_404(Unit, f"đơn vị {code}", f"unit {code}", status=422, code=code)


def _document(unit: Unit, document_id: int | None) -> Evidence | None:
    if document_id is None:
        return None
    return get_or_404(
        Evidence,
        f"tài liệu {document_id} trong thư viện của {unit.code}",
        f"document {document_id} in {unit.code}'s library",
        status=422,
        pk=document_id,
        unit=unit,
    )


def _upload_allowed(request: HttpRequest) -> None:
    """The upload rate of the token's account (the same limit as a person's uploads)."""
    key = f"user:{request.auth.user.pk}"  # type: ignore[attr-defined]
    if limits.retry_after("upload", key) is not None:
        from parindex.api.auth import RateLimited

        raise RateLimited(limits.retry_after("upload", key) or 60)
    limits.hit("upload", key)


@router.post(
    "/rounds/{code}/scores",
    response={200: schemas.ScoresOut, **WRITE_ERRORS},
    summary="Nhập điểm (tất cả hoặc không) / Import scores (all or nothing)",
    description=(
        "Cùng kiểm tra như nhập tệp điểm (`parindex scores import`): một dòng sai thì không "
        "dòng nào được ghi, và 422 liệt kê mọi lỗi theo dòng. dry_run=true chỉ kiểm tra. "
        "The same checks as the scores file import: one bad row and nothing is written; 422 "
        "lists every row's problem. dry_run=true only checks. Scope: scores:write (only the "
        "token's units, when it names some)."
    ),
    tags=["write"],
)
def push_scores(request: HttpRequest, code: str, body: schemas.ScoresIn) -> Any:
    from parindex.assessments import services as assessment_services
    from parindex.assessments.scorefile import ScoreRow

    token = require(request, Scope.WRITE_SCORES)
    round_ = visible_round(code)
    allowed = set(token.units.values_list("code", flat=True))
    outside = sorted({row.unit_code for row in body.rows} - allowed) if allowed else []
    if outside:
        raise HttpError(
            403,
            "Khóa API không được ghi điểm cho / the token may not write scores for: "
            + ", ".join(outside),
        )
    rows = [
        ScoreRow(
            line=number,
            unit_code=row.unit_code.strip(),
            criterion_code=row.criterion_code.strip(),
            stage=row.stage.strip().lower(),
            points=row.points.strip(),
            note=row.note.strip(),
        )
        for number, row in enumerate(body.rows, start=1)
    ]
    try:
        counts = assessment_services.import_scores(
            round_=round_, rows=rows, by=token.user, dry_run=body.dry_run
        )
    except assessment_services.ImportFailed as failed:
        raise _refused(failed) from None
    return {"dry_run": body.dry_run, "counts": counts}


@router.post(
    "/monitoring/progress",
    response={200: schemas.ProgressOut, **WRITE_ERRORS},
    summary="Báo cáo tiến độ nhiệm vụ / Report a task's progress",
    description=(
        "Đơn vị báo cáo tiến độ một nhiệm vụ của kế hoạch đã ban hành; `done` cần ngày hoàn "
        "thành và tài liệu (sản phẩm) trong thư viện của đơn vị, và chờ Văn phòng duyệt. A unit "
        "reports its progress on a task of an issued plan; `done` needs the completion day and "
        "a document of the unit's library (the product) and waits for the office's review. "
        "Scope: monitoring:write (only the token's units, when it names some)."
    ),
    tags=["write"],
)
def push_progress(request: HttpRequest, body: schemas.ProgressIn) -> Any:
    from parindex.monitoring import services as monitoring_services
    from parindex.monitoring.models import Progress

    unit = _unit(body.unit)
    token = require_unit(request, Scope.WRITE_MONITORING, unit)
    progress = get_or_404(
        Progress.objects.select_related("task__plan", "unit"),
        f"nhiệm vụ {body.task} của kế hoạch {body.plan} giao cho {unit.code}",
        f"task {body.task} in plan {body.plan} for {unit.code}",
        task__plan__code=body.plan,
        task__code=body.task,
        unit=unit,
    )
    document = _document(unit, body.document)
    try:
        with transaction.atomic():
            current = (
                Progress.objects.select_for_update()
                .select_related("task__plan", "unit")
                .get(pk=progress.pk)
            )
            monitoring_services.report_progress(
                by=token.user,
                progress=current,
                version=current.version,
                status=body.status,
                completed_on=body.completed_on,
                evidence=document,
                note=body.note,
            )
    except monitoring_services.Refused as refused:
        raise _refused(refused) from None
    progress.refresh_from_db()
    return progress_row(progress)


@router.post(
    "/monitoring/submissions",
    response={200: schemas.SubmissionOut, **WRITE_ERRORS},
    summary="Ghi nhận báo cáo đã gửi / Record a report sent",
    description=(
        "Một báo cáo định kỳ của đơn vị cho một kỳ (năm, 6 tháng, quý, tháng), với ngày gửi và "
        "tài liệu. A unit's periodic report for a period (year, half, quarter, month), with the "
        "day it was sent and the document. Scope: monitoring:write."
    ),
    tags=["write"],
)
def push_submission(request: HttpRequest, body: schemas.SubmissionIn) -> Any:
    from parindex.monitoring import services as monitoring_services
    from parindex.monitoring.models import ReportType

    unit = _unit(body.unit)
    token = require_unit(request, Scope.WRITE_MONITORING, unit)
    report_type = get_or_404(
        ReportType,
        f"loại báo cáo {body.report_type}",
        f"report type {body.report_type}",
        status=422,
        code=body.report_type,
    )
    document = _document(unit, body.document)
    try:
        submission = monitoring_services.submit_report(
            by=token.user,
            report_type=report_type,
            unit=unit,
            period=body.period.strip(),
            submitted_on=body.submitted_on,
            document=document,
            note=body.note,
        )
    except monitoring_services.Refused as refused:
        raise _refused(refused) from None
    return {
        "id": submission.pk,
        "report_type": report_type.code,
        "unit": unit.code,
        "period": submission.period,
        "due_on": submission.due_on,
        "submitted_on": submission.submitted_on,
        "status": submission.status,
        "document": submission.document_id,
    }


@router.post(
    "/documents",
    response={200: schemas.DocumentOut, **WRITE_ERRORS},
    summary="Đăng ký văn bản vào thư viện minh chứng / Register a document as evidence",
    description=(
        "Hệ thống quản lý văn bản gửi một văn bản (số, ngày, cơ quan ban hành, trích yếu) và "
        "tệp nếu có (PDF, DOCX, XLSX, PNG, JPEG; kiểm tra như mọi tệp tải lên). Đã có (cùng số "
        "và ngày, hoặc cùng tệp): trả lại văn bản đó, created=false. The document-management "
        "system pushes a document (number, date, issuer, title) and its file if any (checked "
        "like every upload). Already there (same number and date, or same file): that document, "
        "created=false. Scope: evidence:write (only the token's units, when it names some)."
    ),
    tags=["write"],
)
def register_document(
    request: HttpRequest,
    unit: Form[str],
    title: Form[str],
    number: Form[str] = "",
    issued_on: Form[schemas.IsoDate | None] = None,
    issuer: Form[str] = "",
    file: File[UploadedFile | None] = None,
) -> Any:
    from parindex.assessments import services as assessment_services

    if any(schemas.holds_nul(text) for text in (unit, title, number, issuer)):
        raise HttpError(422, schemas.NUL_REFUSAL)  # before the unit is looked up by its code
    found = _unit(unit)
    token = require_unit(request, Scope.WRITE_EVIDENCE, found)
    if file is not None:
        _upload_allowed(request)
    if len(title) > 500 or len(number) > 100 or len(issuer) > 300:
        raise HttpError(422, "Trường quá dài / a field is too long")
    try:
        document, created = assessment_services.add_document(
            unit=found,
            by=token.user,
            file=file,
            title=title,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
        )
    except assessment_services.UploadRefused as refused:
        raise _refused(refused) from None
    return {
        "id": document.pk,
        "unit": found.code,
        "kind": document.kind,
        "title": document.title,
        "number": document.number,
        "issued_on": document.issued_on,
        "issuer": document.issuer,
        "sha256": document.sha256,
        "size_bytes": document.size_bytes,
        "created": created,
    }
