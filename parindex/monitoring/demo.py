"""Demo monitoring: the province's PAR plan of the current year, a remediation plan drafted from
last year's published round, the reporting regime, and two inspections with findings.

Dates follow the current round's year, so whenever the demo is loaded some tasks are done on
time, some late, some overdue and some not yet due. Values come from a fixed seed. Plans are
created through the services (audited); the units' past progress, reports and remedies are
written in bulk, as the assessments demo writes past scores. Sở Tư pháp (the demo unit logins)
has a task of every kind: done and accepted, awaiting review, returned, overdue, extended.
"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from django.test.utils import override_settings
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.monitoring import queries, services
from parindex.monitoring.models import Finding, Plan, Progress, ReportType, Submission
from parindex.rounds import deadlines
from parindex.rounds.models import Round
from parindex.units.models import Unit

FEATURED = "STP"
BASIS = "Quyết định số 2629/QĐ-UBND ngày 23/12/{previous} của UBND tỉnh Hà Thanh (minh họa)"
PRODUCT = "Báo cáo kết quả thực hiện"

# code, task, lead, coordinating, (month, day), product, linked criteria
TASKS = [
    (
        "1.1",
        "Ban hành Kế hoạch cải cách hành chính năm của cơ quan, đơn vị",
        "SO;XA",
        "",
        (1, 31),
        "Kế hoạch CCHC năm",
        "1.1.1",
    ),
    (
        "1.2",
        "Ban hành Kế hoạch tuyên truyền cải cách hành chính",
        "SO",
        "",
        (2, 28),
        "Kế hoạch tuyên truyền CCHC",
        "1.4",
    ),
    (
        "1.3",
        "Tổng kết, công bố Chỉ số CCHC năm trước của các sở, ngành và UBND cấp xã",
        "SNV",
        "VPUBND",
        (3, 31),
        "Quyết định công bố Chỉ số CCHC",
        "",
    ),
    (
        "1.4",
        "Xây dựng Kế hoạch khắc phục tồn tại, hạn chế qua kết quả Chỉ số CCHC",
        "SNV",
        "",
        (4, 30),
        "Kế hoạch khắc phục",
        "",
    ),
    (
        "1.5",
        "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị theo kế hoạch",
        "SNV",
        "STP;STC",
        (11, 30),
        "Thông báo kết luận kiểm tra",
        "1.3.2",
    ),
    (
        "1.6",
        "Điều tra xã hội học xác định Chỉ số CCHC năm",
        "SNV",
        "VPUBND",
        (10, 31),
        "Báo cáo kết quả điều tra",
        "",
    ),
    (
        "1.7",
        "Tự kiểm tra cải cách hành chính đối với các phòng chuyên môn",
        "XA",
        "",
        (9, 30),
        "Kế hoạch và biên bản tự kiểm tra",
        "1.3.1",
    ),
    (
        "2.1",
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành",
        "STP",
        "SO",
        (3, 31),
        "Báo cáo kết quả rà soát",
        "2.1",
    ),
    (
        "2.2",
        "Tự kiểm tra, xử lý văn bản quy phạm pháp luật",
        "STP",
        "",
        (11, 30),
        "Báo cáo kết quả kiểm tra văn bản",
        "2.2",
    ),
    (
        "2.3",
        "Theo dõi tình hình thi hành pháp luật trên địa bàn",
        "STP;XA",
        "",
        (10, 31),
        "Báo cáo theo dõi thi hành pháp luật",
        "2.3",
    ),
    (
        "3.1",
        "Công bố, công khai danh mục thủ tục hành chính thuộc thẩm quyền giải quyết",
        "VPUBND",
        "SO",
        (6, 30),
        "Quyết định công bố danh mục TTHC",
        "3.1",
    ),
    (
        "3.2",
        "Rà soát, đề xuất đơn giản hóa thủ tục hành chính trong lĩnh vực quản lý",
        "SO",
        "",
        (9, 30),
        "Phương án đơn giản hóa TTHC",
        "3.2",
    ),
    (
        "3.3",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa",
        "XA",
        "",
        (11, 30),
        "Báo cáo tỷ lệ số hóa",
        "3.3",
    ),
    (
        "3.4",
        "Vận hành Trung tâm Phục vụ hành chính công tỉnh và cấp xã",
        "VPUBND;XA",
        "",
        (12, 31),
        "Báo cáo kết quả vận hành",
        "3.4",
    ),
    (
        "4.1",
        "Rà soát, sắp xếp tổ chức bên trong các cơ quan chuyên môn thuộc UBND tỉnh",
        "SNV",
        "SO",
        (6, 30),
        "Đề án sắp xếp tổ chức",
        "4.1",
    ),
    (
        "4.2",
        "Rà soát chức năng, nhiệm vụ của các phòng chuyên môn cấp xã",
        "XA",
        "SNV",
        (8, 31),
        "Quyết định quy định chức năng, nhiệm vụ",
        "4.1",
    ),
    (
        "4.3",
        "Hoàn thiện Đề án vị trí việc làm của cơ quan, đơn vị",
        "SO",
        "SNV",
        (9, 30),
        "Đề án vị trí việc làm",
        "4.2",
    ),
    ("5.1", "Tổ chức tuyển dụng công chức năm", "SNV", "", (9, 30), "Kết quả tuyển dụng", "5.1"),
    (
        "5.2",
        "Đào tạo, bồi dưỡng cán bộ, công chức theo kế hoạch",
        "SNV;SO",
        "",
        (11, 30),
        "Báo cáo kết quả đào tạo, bồi dưỡng",
        "5.2",
    ),
    (
        "5.3",
        "Đánh giá, xếp loại chất lượng cán bộ, công chức năm",
        "SO;XA",
        "",
        (12, 31),
        "Kết quả đánh giá, xếp loại",
        "5.3",
    ),
    (
        "5.4",
        "Thanh tra công vụ, kiểm tra kỷ luật, kỷ cương hành chính",
        "TTRA",
        "SNV",
        (11, 30),
        "Kết luận thanh tra",
        "5.4",
    ),
    (
        "6.1",
        "Giao dự toán ngân sách nhà nước cho các cơ quan, đơn vị",
        "STC",
        "",
        (1, 31),
        "Quyết định giao dự toán",
        "6.1",
    ),
    (
        "6.2",
        "Thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
        "STC",
        "SO",
        (6, 30),
        "Báo cáo kết quả thực hiện tự chủ",
        "6.2",
    ),
    (
        "6.3",
        "Công khai ngân sách, tài sản công theo quy định",
        "SO",
        "STC",
        (3, 31),
        "Văn bản công khai ngân sách",
        "6.3",
    ),
    (
        "7.1",
        "Nâng cấp Cổng dịch vụ công và Hệ thống thông tin giải quyết TTHC của tỉnh",
        "SKHCN",
        "VPUBND",
        (6, 30),
        "Hệ thống được nâng cấp",
        "7.1",
    ),
    (
        "7.2",
        "Sử dụng chữ ký số trong xử lý văn bản, hồ sơ công việc",
        "SKHCN;XA",
        "",
        (7, 31),
        "Báo cáo tỷ lệ văn bản ký số",
        "7.2",
    ),
    (
        "7.3",
        "Kết nối liên thông hệ thống quản lý văn bản điều hành bốn cấp",
        "VPUBND",
        "SKHCN",
        (5, 31),
        "Hệ thống liên thông",
        "7.3",
    ),
    (
        "7.4",
        "Bảo đảm an toàn, an ninh thông tin mạng cho các hệ thống dùng chung",
        "SKHCN",
        "",
        (10, 31),
        "Báo cáo kiểm tra an toàn thông tin",
        "7.4",
    ),
    (
        "7.5",
        "Triển khai ứng dụng dữ liệu dân cư phục vụ giải quyết thủ tục hành chính",
        "XA",
        "",
        (9, 30),
        "Báo cáo kết quả triển khai",
        "7.5",
    ),
    (
        "8.1",
        "Tổ chức Cuộc thi tìm hiểu về cải cách hành chính",
        "SNV",
        "SO",
        (8, 31),
        "Kết quả cuộc thi",
        "1.4",
    ),
    (
        "8.2",
        "Xây dựng mô hình, sáng kiến cải cách hành chính",
        "SO;XA",
        "",
        (10, 31),
        "Mô hình, sáng kiến được công nhận",
        "1.6",
    ),
    (
        "8.3",
        "Khảo sát sự hài lòng của người dân, tổ chức đối với dịch vụ hành chính công",
        "SNV",
        "",
        (11, 30),
        "Báo cáo kết quả khảo sát",
        "8.1",
    ),
    (
        "9.1",
        "Xây dựng Đề án phát triển thương mại điện tử của tỉnh",
        "SCT",
        "",
        (9, 30),
        "Đề án được phê duyệt",
        "",
    ),
    (
        "9.2",
        "Chuyển đổi số trong quản lý giáo dục, học bạ số",
        "SGDDT",
        "",
        (10, 31),
        "Báo cáo kết quả triển khai",
        "",
    ),
    (
        "9.3",
        "Triển khai hồ sơ sức khỏe điện tử",
        "SYT",
        "",
        (9, 30),
        "Báo cáo kết quả triển khai",
        "",
    ),
    (
        "9.4",
        "Cấp giấy phép xây dựng trực tuyến toàn trình",
        "SXD",
        "",
        (6, 30),
        "Quy trình điện tử được áp dụng",
        "",
    ),
    (
        "9.5",
        "Số hóa hồ sơ địa chính, xây dựng cơ sở dữ liệu đất đai",
        "SNNMT",
        "XA",
        (12, 31),
        "Cơ sở dữ liệu đất đai",
        "",
    ),
    (
        "9.6",
        "Xây dựng hệ thống du lịch thông minh",
        "SVHTTDL",
        "SKHCN",
        (10, 31),
        "Hệ thống được vận hành",
        "",
    ),
    (
        "9.7",
        "Cải cách thủ tục trong công tác dân tộc, tôn giáo",
        "BDT",
        "",
        (11, 30),
        "Báo cáo kết quả",
        "",
    ),
    (
        "9.8",
        "Rút ngắn thời gian giải quyết thủ tục đầu tư trong Khu kinh tế",
        "BQLKKT",
        "STC",
        (9, 30),
        "Báo cáo kết quả",
        "",
    ),
]


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(";") if code)


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


class Writer:
    """Writes the units' past progress, reports and remedies in bulk, from one seed."""

    def __init__(self, year: int, today: dt.date) -> None:
        self.year = year
        self.today = today
        self.rng = random.Random(year * 7 + 12)
        self.officer = User.objects.filter(username="cchc").first()
        self.editor = User.objects.filter(username="stp.canbo").first()
        self.documents: list[Evidence] = []

    def document(self, unit_id: int, title: str, on: dt.date) -> Evidence:
        """A registered document of a unit's library (its product or its report)."""
        number = f"{self.rng.randint(10, 480)}/BC-{self.year}"
        document = Evidence(
            unit_id=unit_id,
            kind=Evidence.Kind.DOCUMENT,
            title=title,
            number=number,
            issued_on=on,
            issuer="",
            added_by=self.editor if unit_id == self.featured_id else self.officer,
        )
        self.documents.append(document)
        return document

    @property
    def featured_id(self) -> int | None:
        if not hasattr(self, "_featured"):
            self._featured = Unit.objects.filter(code=FEATURED).values_list("pk", flat=True).first()
        return self._featured

    def save_documents(self) -> None:
        Evidence.objects.bulk_create(self.documents, batch_size=500)
        self.documents = []


def _plan(year: int, today: dt.date, writer: Writer) -> Plan:
    """The province's PAR plan of the year with about forty tasks, and their progress."""
    plan = services.create_plan(
        by=writer.officer,
        code=f"KH-CCHC-{year}",
        year=year,
        title=f"Kế hoạch cải cách hành chính năm {year} của UBND tỉnh Hà Thanh",
        legal_basis=BASIS.format(previous=year - 1),
    )
    resolver = queries.LeadResolver()
    for code, title, lead, coordinating, (month, day), product, criteria in TASKS:
        services.add_task(
            by=writer.officer,
            plan=plan,
            resolver=resolver,
            record=False,
            values=services.TaskValues(
                code=code,
                title=title,
                lead=_codes(lead),
                coordinating=_codes(coordinating),
                deadline=_day(year, month, day),
                product=product,
                criterion_codes=_codes(criteria),
            ),
        )
    services.issue_plan(
        by=writer.officer,
        plan=plan,
        issued_on=dt.date(year - 1, 12, 23),
    )
    _progress(plan, writer)
    return plan


def _progress(plan: Plan, writer: Writer, *, done_share: float = 0.78) -> None:
    """Give every assigned unit a plausible progress for the day the demo is loaded."""
    rng, today = writer.rng, writer.today
    now = timezone.now()
    rows = list(
        Progress.objects.filter(task__plan=plan)
        .select_related("task", "unit")
        .order_by("task__position", "unit__code")
    )
    featured = [row for row in rows if row.unit.code == FEATURED]
    special = {row.pk: kind for row, kind in zip(featured, _FEATURED_STATES, strict=False)}
    products: list[tuple[Progress, Evidence]] = []
    for row in rows:
        kind = special.get(row.pk) or _roll(rng, row.deadline, today, done_share)
        if kind in ("on_time", "late", "pending", "returned"):
            if kind == "late":
                done = row.deadline + dt.timedelta(days=rng.randint(3, 20))
            else:
                done = row.deadline - dt.timedelta(days=rng.randint(0, 25))
            done = max(min(done, today), dt.date(plan.year, 1, 2))
            if kind == "returned":
                row.status, row.review = Progress.Status.IN_PROGRESS, Progress.Review.RETURNED
                row.review_reason = (
                    "Sản phẩm chưa thể hiện đầy đủ kết quả; đề nghị bổ sung số liệu."
                )
            else:
                row.status, row.completed_on = Progress.Status.DONE, done
                row.review = (
                    Progress.Review.PENDING if kind == "pending" else Progress.Review.ACCEPTED
                )
                products.append(
                    (
                        row,
                        writer.document(row.unit_id, f"{row.task.product} ({row.task.code})", done),
                    )
                )
                row.reviewed_at = now if kind != "pending" else None
                row.reviewed_by = writer.officer if kind != "pending" else None
            row.reported_at = now
        elif kind == "in_progress":
            row.status = Progress.Status.IN_PROGRESS
            row.reported_at = now
            row.note = "Đang triển khai, dự kiến hoàn thành đúng hạn."
        elif kind == "extended":
            row.status = Progress.Status.IN_PROGRESS
            row.extended_until = row.deadline = max(row.deadline, today) + dt.timedelta(days=30)
            row.extension_reason = "Chờ hướng dẫn của bộ, ngành Trung ương."
            row.reported_at = now
        row.version = 1
    writer.save_documents()
    for row, document in products:
        row.evidence = document
    # An upsert on the primary key: bulk_update's CASE expressions took a second per load.
    Progress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=[
            "status",
            "completed_on",
            "evidence",
            "note",
            "review",
            "review_reason",
            "reported_at",
            "reviewed_at",
            "reviewed_by",
            "extended_until",
            "extension_reason",
            "deadline",
            "version",
        ],
        batch_size=500,
    )


# What Sở Tư pháp's first tasks show, in order.
_FEATURED_STATES = ["on_time", "pending", "returned", "late", "extended", "in_progress", "on_time"]


def _roll(rng: random.Random, deadline: dt.date, today: dt.date, done_share: float) -> str:
    roll = rng.random()
    if deadline < today:
        if roll < done_share:
            return "on_time" if rng.random() < 0.9 else "pending"
        if roll < done_share + 0.08:
            return "late"
        return "in_progress" if roll < 0.95 else "not_started"
    if roll < 0.35:
        return "on_time"
    return "in_progress" if roll < 0.8 else "not_started"


def _reports(year: int, writer: Writer) -> None:
    """The quarterly and yearly PAR reports; most sent on time, a few late or missing."""
    quarterly, _ = services.save_report_type(
        by=writer.officer,
        code="BC-CCHC-QUY",
        title="Báo cáo định kỳ công tác cải cách hành chính hằng quý",
        legal_basis=(
            "Nghị định số 09/2019/NĐ-CP; Quyết định quy định chế độ báo cáo của UBND tỉnh "
            "(minh họa)"
        ),
        frequency=ReportType.Frequency.QUARTERLY,
        due_day=15,
        unit_types=["SO", "TW", "XA"],
    )
    yearly, _ = services.save_report_type(
        by=writer.officer,
        code="BC-CCHC-NAM",
        title="Báo cáo kết quả thực hiện công tác cải cách hành chính năm",
        legal_basis="Nghị định số 09/2019/NĐ-CP (minh họa)",
        frequency=ReportType.Frequency.YEARLY,
        due_day=15,
        unit_types=["SO", "TW", "XA"],
    )
    from parindex import engine

    submissions = []
    units = list(Unit.objects.filter(unit_type__code__in=["SO", "TW", "XA"]).order_by("code"))
    rng = writer.rng
    for report_type in (quarterly, yearly):
        for period in engine.periods(report_type.frequency, year, report_type.due_day):
            if period.due_on > writer.today:
                continue
            for unit in units:
                if not unit.is_active_on(period.due_on):
                    continue
                roll = rng.random()
                if unit.code == FEATURED and period.code.endswith("Q2"):
                    roll = 0.9  # late
                if roll > 0.95:
                    continue  # not sent
                late = roll > 0.87
                sent = period.due_on + dt.timedelta(
                    days=rng.randint(1, 12) if late else -rng.randint(0, 6)
                )
                sent = min(sent, writer.today)
                submissions.append(
                    Submission(
                        report_type=report_type,
                        unit=unit,
                        period=period.code,
                        due_on=period.due_on,
                        submitted_on=sent,
                        document=writer.document(
                            unit.pk, f"{report_type.title} ({period.code})", sent
                        ),
                        submitted_by=writer.editor if unit.code == FEATURED else None,
                        version=1,
                    )
                )
    writer.save_documents()
    for submission in submissions:
        document = submission.document
        assert document is not None  # every submission above was given one
        submission.document_id = document.pk
    Submission.objects.bulk_create(submissions, batch_size=500)
    returned = (
        Submission.objects.filter(report_type=quarterly, unit__unit_type__code="XA")
        .select_related("report_type", "unit")
        .order_by("-due_on", "unit__code")
        .first()
    )
    if returned is not None and writer.officer is not None:
        services.return_submission(
            by=writer.officer,
            submission=returned,
            version=returned.version,
            reason="Thiếu số liệu về tỷ lệ hồ sơ giải quyết đúng hạn; đề nghị bổ sung.",
        )


def _inspections(year: int, writer: Writer) -> None:
    """A periodic inspection of Sở Tài chính and an unscheduled one of a commune."""
    today = writer.today
    plan = services.create_plan(
        by=writer.officer,
        code=f"KH-KTCCHC-{year}",
        year=year,
        title=f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}",
        kind=Plan.Kind.INSPECTION,
        legal_basis=f"Kế hoạch số 35/KH-UBND ngày 20/01/{year} (minh họa)",
    )
    services.add_task(
        by=writer.officer,
        plan=plan,
        record=False,
        values=services.TaskValues(
            code="1",
            title="Kiểm tra công tác CCHC tại Sở Tài chính và các xã theo kế hoạch",
            lead=("SNV",),
            deadline=dt.date(year, 11, 30),
            product="Thông báo kết luận kiểm tra",
        ),
    )
    services.issue_plan(by=writer.officer, plan=plan, issued_on=dt.date(year, 1, 20))
    commune = (
        Unit.objects.filter(unit_type__code="XA")
        .order_by("code")
        .exclude(active_to__isnull=False)
        .first()
    )
    department = Unit.objects.filter(code="STC").first()
    cases = [
        (
            department,
            f"KT-{year}-01",
            "periodic",
            dt.date(year, 5, 14),
            "Đoàn kiểm tra CCHC của tỉnh do lãnh đạo Sở Nội vụ làm Trưởng đoàn",
            [
                (
                    "1",
                    "Chưa niêm yết đầy đủ, kịp thời thủ tục hành chính tại Bộ phận Một cửa",
                    "3.1",
                    "Niêm yết đầy đủ danh mục, nội dung TTHC",
                    (7, 15),
                    "remedied",
                ),
                (
                    "2",
                    "Tỷ lệ hồ sơ trực tuyến toàn trình thấp",
                    "7.2",
                    "Hướng dẫn, hỗ trợ người dân nộp hồ sơ trực tuyến",
                    (9, 30),
                    "late",
                ),
                (
                    "3",
                    "Chưa cập nhật Kế hoạch CCHC khi có điều chỉnh nhiệm vụ",
                    "1.1",
                    "Ban hành kế hoạch điều chỉnh",
                    (10, 31),
                    "reported",
                ),
            ],
        ),
        (
            commune,
            f"KT-{year}-02",
            "unscheduled",
            dt.date(year, 8, 20),
            "Tổ kiểm tra đột xuất của Sở Nội vụ",
            [
                (
                    "1",
                    "Cán bộ Bộ phận Một cửa không đeo thẻ công chức, chưa đúng giờ làm việc",
                    "5.4",
                    "Chấn chỉnh kỷ luật, kỷ cương hành chính",
                    (9, 15),
                    "remedied",
                ),
                (
                    "2",
                    "Còn hồ sơ giải quyết quá hạn chưa có văn bản xin lỗi",
                    "3.3",
                    "Gửi văn bản xin lỗi, rà soát quy trình",
                    (10, 15),
                    "open",
                ),
            ],
        ),
    ]
    for unit, code, kind, inspected_on, team, findings in cases:
        if unit is None or inspected_on > today:
            continue
        inspection = services.save_inspection(
            by=writer.officer,
            code=code,
            unit=unit,
            kind=kind,
            inspected_on=inspected_on,
            team=team,
            plan=plan,
            minutes=writer_document(
                writer, unit.pk, f"Biên bản kiểm tra CCHC {code}", inspected_on
            ),
        )
        for finding_code, text, criterion, remedy, (month, day), state in findings:
            deadline = dt.date(year, month, day)
            finding = services.save_finding(
                by=writer.officer,
                inspection=inspection,
                code=finding_code,
                text=text,
                criterion_code=criterion,
                remedy=remedy,
                remedy_deadline=deadline,
                notify=False,
            )
            if state == "open" or deadline - dt.timedelta(days=20) > today:
                continue
            remedied_on = (
                deadline + dt.timedelta(days=12)
                if state == "late"
                else deadline - dt.timedelta(days=10)
            )
            remedied_on = min(remedied_on, today)
            evidence = writer_document(
                writer, unit.pk, f"Báo cáo khắc phục tồn tại {code}/{finding_code}", remedied_on
            )
            Finding.objects.filter(pk=finding.pk).update(
                status=Finding.Status.REPORTED if state == "reported" else Finding.Status.REMEDIED,
                reported_on=remedied_on,
                remedied_on=None if state == "reported" else remedied_on,
                evidence=evidence,
                verified_by=None if state == "reported" else writer.officer,
                verified_at=None if state == "reported" else timezone.now(),
                version=1,
            )


def writer_document(writer: Writer, unit_id: int, title: str, on: dt.date) -> Evidence:
    document = writer.document(unit_id, title, on)
    writer.save_documents()
    return document


def _remediation(year: int, writer: Writer) -> None:
    """The remediation plan drafted from last year's published round, issued in March."""
    previous = Round.objects.filter(year=year - 1, status=Round.Status.PUBLISHED).first()
    if previous is None:
        return
    plan = services.draft_remediation_plan(
        by=writer.officer,
        round_=previous,
        code=f"KH-KP-{year}",
        title=f"Kế hoạch khắc phục tồn tại, hạn chế qua kết quả Chỉ số CCHC năm {year - 1}",
        deadline=dt.date(year, 9, 30),
        year=year,
        limit=12,
    )
    services.issue_plan(
        by=writer.officer,
        plan=plan,
        issued_on=dt.date(year, 3, 15),
        legal_basis=f"Kế hoạch số 221/KH-UBND ngày 15/3/{year} (minh họa)",
    )
    _progress(plan, writer, done_share=0.7)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def load(world: SimpleNamespace) -> None:
    """Create the monitoring demo once (needs the units, accounts and rounds)."""
    current = (
        getattr(world, "current_round", None)
        or Round.objects.exclude(status=Round.Status.PUBLISHED).order_by("-year").first()
    )
    if current is None or Plan.objects.exists():
        return
    year = current.year
    today = deadlines.today()
    writer = Writer(year, today)
    world.par_plan = _plan(year, today, writer)
    _reports(year, writer)
    _inspections(year, writer)
    _remediation(year, writer)
