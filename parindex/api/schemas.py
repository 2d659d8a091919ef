"""The shapes of the API's requests and answers (pydantic, through django-ninja's `Schema`).

Descriptions are Vietnamese first, then English, as in the rest of the schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StrictBool, StrictInt, StrictStr


def _iso_only(value: Any) -> Any:
    """Dates are written 2026-06-30: a number is not taken for a day."""
    if isinstance(value, dt.date) or (
        isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"
    ):
        return value
    raise ValueError("Ngày viết dạng YYYY-MM-DD / a date is written YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_only)]


NUL_REFUSAL = "Văn bản có ký tự NUL / the text holds a NUL character"


def holds_nul(text: str) -> bool:
    """No text the application keeps may hold a NUL character: PostgreSQL refuses it (a 500)."""
    return "\x00" in text


def _no_nul(value: str) -> str:
    if holds_nul(value):
        raise ValueError(NUL_REFUSAL)
    return value


Text = Annotated[StrictStr, AfterValidator(_no_nul)]  # every text a request writes


class Error(Schema):
    """An error: `detail` is a sentence, or the list of problems (one per row or field)."""

    detail: Any = Field(description="Lý do / why")
    code: str | None = Field(
        None, description="Mã từ chối ổn định / the refusal's stable code (422 from a service)"
    )


class IndexSetSummary(Schema):
    code: str
    version: int
    name: str
    unit_type: str
    valid_from: int
    legal_basis: str


class UnitOut(Schema):
    code: str
    name: str
    unit_type: str
    parent: str | None
    peer_group: str | None
    active_from: dt.date | None
    active_to: dt.date | None


class ReorganisationOut(Schema):
    kind: str
    effective_date: dt.date
    legal_basis: str
    predecessors: list[str]
    successors: list[str]


class LineageYearOut(Schema):
    year: int = Field(description="Năm / year")
    units: list[str] = Field(description="Mã đơn vị tương ứng cuối năm / codes at the year's end")


class UnitDetail(UnitOut):
    reorganisations: list[ReorganisationOut]
    lineage: list[LineageYearOut]


class PhaseOut(Schema):
    phase: str
    label: str
    closes_on: dt.date


class RoundOut(Schema):
    code: str
    year: int
    name: str
    status: str
    self_assessment_opens_on: dt.date
    phases: list[PhaseOut]
    is_published: bool


class RoundIndexSetOut(Schema):
    unit_type: str
    index_set: str
    version: int


class RoundDetail(RoundOut):
    index_sets: list[RoundIndexSetOut]
    unit_count: int


class Results(Schema):
    """A round's results: the snapshot's figures once published (with its SHA-256)."""

    round: str
    year: int
    provisional: bool = Field(description="Tạm tính (chưa công bố) / provisional preview")
    sha256: str | None = Field(description="SHA-256 của bản chốt / the snapshot's digest")
    engine_version: str | None
    published_at: dt.datetime | None
    unit_types: list[dict[str, Any]]


class ScoreRowIn(Schema):
    unit_code: Text = Field(max_length=40)
    criterion_code: Text = Field(max_length=40)
    stage: Text = Field(description="self | appraised | survey", max_length=20)
    points: Text = Field(description="Điểm, hoặc NA / points, or NA", max_length=40)
    note: Text = Field("", max_length=2000)


class ScoresIn(Schema):
    rows: list[ScoreRowIn] = Field(max_length=20000)
    dry_run: StrictBool = Field(False, description="Chỉ kiểm tra / check only, change nothing")


class ScoresOut(Schema):
    dry_run: bool
    counts: dict[str, int]


class ProgressIn(Schema):
    plan: Text = Field(description="Mã kế hoạch / plan code", max_length=40)
    task: Text = Field(description="Mã nhiệm vụ / task code", max_length=40)
    unit: Text = Field(description="Mã đơn vị / unit code", max_length=40)
    status: Text = Field(description="not_started | in_progress | done", max_length=20)
    completed_on: IsoDate | None = None
    document: StrictInt | None = Field(
        None, description="Mã tài liệu trong thư viện của đơn vị / id of a document of the unit"
    )
    note: Text = Field("", max_length=2000)


class ProgressOut(Schema):
    id: int
    plan: str
    task: str
    title: str
    unit: str
    status: str
    deadline: dt.date
    completed_on: dt.date | None
    review: str
    document: int | None
    note: str
    reported_at: dt.datetime | None


class TaskOut(Schema):
    code: str
    title: str
    deadline: dt.date
    progress: list[ProgressOut]


class PlanOut(Schema):
    code: str
    year: int
    title: str
    status: str
    issued_on: dt.date | None


class PlanDetail(PlanOut):
    tasks: list[TaskOut]


class SubmissionIn(Schema):
    report_type: Text = Field(description="Mã loại báo cáo / report type code", max_length=40)
    unit: Text = Field(max_length=40)
    period: Text = Field(description="2026, 2026-H1, 2026-Q2 hoặc/or 2026-05", max_length=10)
    submitted_on: IsoDate
    document: StrictInt | None = None
    note: Text = Field("", max_length=2000)


class SubmissionOut(Schema):
    id: int
    report_type: str
    unit: str
    period: str
    due_on: dt.date
    submitted_on: dt.date
    status: str
    document: int | None


class DocumentOut(Schema):
    id: int
    unit: str
    kind: str
    title: str
    number: str
    issued_on: dt.date | None
    issuer: str
    sha256: str
    size_bytes: int
    created: bool = Field(description="Mới thêm (false: đã có) / new (false: already there)")
