"""Demo assessments: every unit's values, evidence, appraisal, explanations and council approval.

Last year's round is finished: every unit's scores are appraised (a few adjusted, some after an
explanation), approved by the council, and the round is finalised, ready to be published.
This year's round is in progress: Sở Tư pháp (the demo unit officers' unit) is a draft with a
few criteria of area 1 still to fill; other units are submitted, in appraisal, returned with
open explanation requests, or have sent their explanations. Values are illustrative and drawn
from a fixed seed, so every load looks the same; every point is computed by the engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Set as AbstractSet
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments import answers
from parindex.assessments.models import (
    Appraisal,
    Assessment,
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.indexsets.queries import engine_index_set
from parindex.rounds.models import Round

S = Assessment.Status
FEATURED = "STP"  # the unit of the demo logins stp.canbo and stp.lanhdao
# Statuses given in turn to the other units of the current round.
CURRENT_PLAN = [S.SUBMITTED, S.IN_APPRAISAL, S.RETURNED, S.EXPLAINED, S.DRAFT, S.IN_APPRAISAL]
DOCUMENTS = [
    ("Kế hoạch cải cách hành chính năm {year}", "{n}/KH-{unit}", 1, 15, "{name}"),
    ("Báo cáo kết quả thực hiện công tác CCHC năm {year}", "{n}/BC-{unit}", 12, 10, "{name}"),
    ("Kế hoạch tuyên truyền cải cách hành chính năm {year}", "{n}/KH-{unit}", 2, 1, "{name}"),
    ("Quyết định công bố danh mục thủ tục hành chính", "{n}/QĐ-UBND", 3, 20, "UBND tỉnh"),
    ("Báo cáo tự kiểm tra công tác CCHC năm {year}", "{n}/BC-{unit}", 10, 5, "{name}"),
]
NO_EVIDENCE = "Nội dung thực hiện trên hệ thống một cửa điện tử; không phát sinh văn bản riêng."
ADJUST_REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả; điều chỉnh theo số liệu thực tế.",
    "Báo cáo gửi chậm so với quy định; trừ điểm theo hướng dẫn.",
    "Kế hoạch ban hành sau thời hạn quy định.",
]
QUESTIONS = [
    "Đề nghị bổ sung bảng theo dõi tiến độ thực hiện từng nhiệm vụ.",
    "Đề nghị cung cấp văn bản chứng minh thời điểm ban hành.",
    "Đề nghị giải trình số liệu tỷ lệ hồ sơ giải quyết đúng hạn.",
]
ANSWERS = [
    "Đơn vị bổ sung bảng theo dõi kèm theo; các nhiệm vụ còn lại đã hoàn thành trong tháng 12.",
    "Văn bản được ký ban hành đúng hạn, chậm phát hành do lỗi hệ thống; kèm sổ đăng ký văn bản.",
]


def minimal_pdf(title: str) -> bytes:
    """A one-page PDF showing a title (illustrative evidence the browser can preview)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def save_items(items: list[Item], fields: list[str]) -> None:
    """Write many items' fields at once (an upsert on the primary key: far faster than
    bulk_update's CASE expressions for thousands of rows)."""
    if items:
        Item.objects.bulk_create(
            items, update_conflicts=True, unique_fields=["id"], update_fields=fields, batch_size=500
        )


def demo_answer(node: engine.Criterion, rng: random.Random, *, na_units: bool) -> Any:
    """A plausible value for a leaf: mostly good, sometimes short of the maximum."""
    if na_units and node.not_applicable != engine.NAPolicy.NONE:
        return engine.NotApplicable()
    rule = node.scoring_rule
    roll = rng.random()
    if isinstance(rule, engine.ChoiceRule):
        options = rule.options
        index = 0 if roll < 0.75 else (1 if roll < 0.95 or len(options) < 3 else 2)
        return engine.Choice(options[min(index, len(options) - 1)].label)
    if isinstance(rule, engine.PercentTiersRule | engine.ProportionalRule):
        if roll < 0.5:
            due = rng.randint(8, 40)
            done = due if roll < 0.35 else rng.randint(int(due * 0.8), due)
            return engine.Ratio(done, due)
        return engine.Percent(Decimal(rng.choice([100, 100, 98, 95, 92, 88, 85, 80, 76])))
    if isinstance(rule, engine.DeductionRule):
        return engine.Count(0 if roll < 0.6 else (1 if roll < 0.9 else 2))
    step = rule.step
    steps = int(node.max_points / step)
    low = int(steps * 0.6)
    return step * rng.randint(low, steps)


class Filler:
    """Writes one round's demo values in bulk, scoring each leaf with the engine."""

    def __init__(self, round_: Round, seed: int) -> None:
        self.round = round_
        self.rng = random.Random(seed)
        self.sets: dict[int, engine.IndexSet] = {}
        self.appraiser = User.objects.filter(username="thamdinh").first()
        self.council = User.objects.filter(username="hoidong").first()
        self.users = {user.username: user for user in User.objects.all()}
        self.now = timezone.now()

    def engine_set(self, assessment: Assessment) -> engine.IndexSet:
        if assessment.index_set_id not in self.sets:
            self.sets[assessment.index_set_id] = engine_index_set(assessment.index_set)
        return self.sets[assessment.index_set_id]

    def library(self, assessment: Assessment) -> list[Evidence]:
        """The unit's documents for the round's year (registered acts and one PDF file)."""
        unit = assessment.unit
        year = self.round.year
        added_by = self.users["stp.canbo"] if unit.code == FEATURED else self.users["cchc"]
        documents = []
        for position, (title, number, month, day, issuer) in enumerate(DOCUMENTS, start=1):
            documents.append(
                Evidence.objects.create(
                    unit=unit,
                    kind=Evidence.Kind.DOCUMENT,
                    title=title.format(year=year),
                    number=number.format(n=10 * position + self.rng.randint(1, 9), unit=unit.code),
                    issued_on=dt.date(year, month, day),
                    issuer=issuer.format(name=unit.name),
                    added_by=added_by,
                )
            )
        content = minimal_pdf(f"Ke hoach CCHC nam {year} - {unit.code}")
        pdf = Evidence(
            unit=unit,
            kind=Evidence.Kind.FILE,
            title=f"Kế hoạch CCHC năm {year} (bản ký số)",
            number=documents[0].number,
            issued_on=documents[0].issued_on,
            issuer=unit.name,
            original_name=f"ke-hoach-cchc-{year}.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            added_by=added_by,
        )
        pdf.file.save("upload", ContentFile(content), save=False)
        pdf.save()
        return [pdf, *documents]

    def fill(
        self, assessment: Assessment, *, skip: AbstractSet[str] = frozenset(), survey: bool
    ) -> list[Item]:
        """Self-assess every self-scored leaf (except `skip`), attach evidence, survey values."""
        index_set = self.engine_set(assessment)
        documents = self.library(assessment)
        na_units = assessment.unit.code in ("VPUBND", "BQLKKT", "TTRA")
        editor = self.users.get("stp.canbo") if assessment.unit.code == FEATURED else None
        items = list(assessment.items.select_related("criterion").order_by("position"))
        links = []
        for item in items:
            node = index_set.criterion(item.criterion.code)
            if node.source == engine.Source.SURVEY:
                if survey:
                    answer = engine.Percent(Decimal(self.rng.randint(780, 960)) / 10)
                    item.survey_answer = answers.to_json(answer)
                    item.survey_points = engine.leaf_points(node, answer, engine.Stage.SURVEY)
                continue
            if item.criterion.code in skip:
                continue
            answer = demo_answer(node, self.rng, na_units=na_units)
            if node.input is not None:
                # The system computes it from monitoring data; draw as for any leaf so that the
                # other leaves keep their seeded values.
                self.rng.random()
                continue
            item.self_answer = answers.to_json(answer)
            item.self_points = engine.leaf_points(node, answer)
            item.self_by = editor
            item.self_at = self.now
            item.version = 1
            if self.rng.random() < 0.9:
                document = documents[item.position % len(documents)]
                links.append(ItemEvidence(item=item, evidence=document, added_by=document.added_by))
            else:
                item.no_evidence_reason = NO_EVIDENCE
        save_items(
            items,
            [
                "self_answer",
                "self_points",
                "self_by",
                "self_at",
                "no_evidence_reason",
                "survey_answer",
                "survey_points",
                "version",
            ],
        )
        ItemEvidence.objects.bulk_create(links, batch_size=500)
        return items

    def appraise(
        self,
        assessment: Assessment,
        items: list[Item],
        *,
        share: float = 1.0,
        requests: int = 0,
        answered: bool = False,
        second: bool = False,
    ) -> None:
        """First appraisal of a share of the items (a few adjusted), requests, second appraisal."""
        if self.appraiser is None:
            return
        index_set = self.engine_set(assessment)
        scored = [item for item in items if item.self_answer is not None]
        decided = scored[: int(len(scored) * share)]
        asked = set(self.rng.sample(range(len(decided)), min(requests, len(decided))))
        appraisals, explanation_requests = [], []
        for position, item in enumerate(decided):
            node = index_set.criterion(item.criterion.code)
            if position in asked:
                appraisals.append(
                    Appraisal(item=item, stage=1, decision="request", by=self.appraiser)
                )
                explanation_requests.append(
                    ExplanationRequest(
                        item=item,
                        question=self.rng.choice(QUESTIONS),
                        asked_by=self.appraiser,
                        answer=self.rng.choice(ANSWERS) if answered else "",
                        answered_by=self.head(assessment) if answered else None,
                        answered_at=self.now if answered else None,
                    )
                )
                if second:
                    appraisals.append(
                        Appraisal(
                            item=item,
                            stage=2,
                            decision="accept",
                            answer=item.self_answer,
                            points=item.self_points,
                            by=self.appraiser,
                        )
                    )
                    item.appraised_answer, item.appraised_points = (
                        item.self_answer,
                        item.self_points,
                    )
                continue
            lower = self.lower(node, item)
            if lower is not None and self.rng.random() < 0.06:
                answer, points = lower
                appraisals.append(
                    Appraisal(
                        item=item,
                        stage=1,
                        decision="adjust",
                        answer=answers.to_json(answer),
                        points=points,
                        reason=self.rng.choice(ADJUST_REASONS),
                        by=self.appraiser,
                    )
                )
                item.appraised_answer, item.appraised_points = answers.to_json(answer), points
            else:
                appraisals.append(
                    Appraisal(
                        item=item,
                        stage=1,
                        decision="accept",
                        answer=item.self_answer,
                        points=item.self_points,
                        by=self.appraiser,
                    )
                )
                item.appraised_answer, item.appraised_points = item.self_answer, item.self_points
            item.version += 1
        Appraisal.objects.bulk_create(appraisals, batch_size=500)
        ExplanationRequest.objects.bulk_create(explanation_requests, batch_size=500)
        save_items(decided, ["appraised_answer", "appraised_points", "version"])

    @staticmethod
    def lower(node: engine.Criterion, item: Item) -> tuple[Any, Decimal | None] | None:
        """A lower value than the unit's, as an appraiser's adjustment (None when there is none)."""
        if item.self_points is None or item.self_points <= 0:
            return None
        rule = node.scoring_rule
        if isinstance(rule, engine.ChoiceRule):
            for option in sorted(rule.options, key=lambda o: o.points, reverse=True):
                if option.points < item.self_points:
                    answer: Any = engine.Choice(option.label)
                    return answer, engine.leaf_points(node, answer)
            return None
        if isinstance(rule, engine.DeductionRule):
            current = answers.from_json(item.self_answer)
            answer = engine.Count(current.n + 1 if isinstance(current, engine.Count) else 1)
            return answer, engine.leaf_points(node, answer)
        points = max(Decimal(0), item.self_points - item.self_points / 2).quantize(Decimal("0.01"))
        if isinstance(rule, engine.RangeRule):
            points -= points % rule.step
        return points, engine.leaf_points(node, points, engine.Stage.APPRAISED)

    def head(self, assessment: Assessment) -> User | None:
        """The demo unit head who acts for the featured unit (other units have no login)."""
        return self.users.get("stp.lanhdao") if assessment.unit.code == FEATURED else None

    def set_status(self, assessment: Assessment, status: str, **dates: Any) -> None:
        head = self.head(assessment)
        values = {"status": status, **dates}
        if status != S.DRAFT:
            values.setdefault("submitted_at", self.now - dt.timedelta(days=3))
            values.setdefault("submitted_by", head)
        Assessment.objects.filter(pk=assessment.pk).update(**values)


def load_previous(round_: Round) -> None:
    """Last year: everything appraised, a few explanations, approved and finalised."""
    filler = Filler(round_, seed=round_.year)
    finished = timezone.make_aware(dt.datetime(round_.year + 1, 2, 10, 9))
    for position, assessment in enumerate(
        round_.assessments.select_related("unit", "index_set__unit_type").order_by("unit__code")
    ):
        items = filler.fill(assessment, survey=True)
        requests = 2 if position % 4 == 0 else 0
        filler.appraise(assessment, items, requests=requests, answered=True, second=True)
        filler.set_status(
            assessment,
            S.FINALISED,
            submitted_at=finished - dt.timedelta(days=45),
            returned_at=finished - dt.timedelta(days=25) if requests else None,
            explained_at=finished - dt.timedelta(days=20) if requests else None,
            finalised_at=finished - dt.timedelta(days=8),
            finalised_by=filler.appraiser,
            approved_at=finished,
            approved_by=filler.council,
        )
    Round.objects.filter(pk=round_.pk).update(
        status=Round.Status.FINALISED, finalised_at=finished, finalised_by=filler.council
    )


def load_current(round_: Round) -> None:
    """This year: a draft to finish, submitted units, appraisal under way, open requests."""
    filler = Filler(round_, seed=round_.year)
    others = 0
    for assessment in round_.assessments.select_related("unit", "index_set__unit_type").order_by(
        "unit__code"
    ):
        if assessment.unit.code == FEATURED:
            area_one = [
                leaf.code
                for leaf in filler.engine_set(assessment).criteria[0].leaves()
                if leaf.source == engine.Source.SELF
            ]
            filler.fill(assessment, skip=set(area_one[-3:]), survey=False)
            continue
        status = CURRENT_PLAN[others % len(CURRENT_PLAN)]
        others += 1
        if status == S.DRAFT:
            items = filler.fill(assessment, survey=False)
            half = [item for item in items[len(items) // 2 :] if item.self_answer is not None]
            for item in half:
                item.self_answer = item.self_points = None
            save_items(half, ["self_answer", "self_points"])
            continue
        items = filler.fill(assessment, survey=False)
        if status == S.IN_APPRAISAL:
            filler.appraise(assessment, items, share=0.5)
        elif status in (S.RETURNED, S.EXPLAINED):
            filler.appraise(
                assessment, items, requests=3, answered=status == S.EXPLAINED, second=False
            )
        dates = {}
        if status in (S.RETURNED, S.EXPLAINED):
            dates["returned_at"] = filler.now - dt.timedelta(days=1)
        if status == S.EXPLAINED:
            dates["explained_at"] = filler.now - dt.timedelta(hours=3)
        filler.set_status(assessment, status, **dates)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def load(world: SimpleNamespace) -> None:
    """Fill both demo rounds once (after the rounds step)."""
    for round_, loader in (
        (getattr(world, "previous_round", None), load_previous),
        (getattr(world, "current_round", None), load_current),
    ):
        if (
            round_ is None
            or Item.objects.filter(assessment__round=round_, self_answer__isnull=False).exists()
        ):
            continue
        loader(round_)
    load_province(world)


PROVINCE_DOCUMENTS = [
    ("Kế hoạch kiểm soát thủ tục hành chính năm {year}", "25/KH-STP"),
    ("Báo cáo kết quả thi hành pháp luật về xử lý vi phạm hành chính năm {year}", "118/BC-STP"),
    ("Báo cáo rà soát, hệ thống hóa văn bản quy phạm pháp luật năm {year}", "131/BC-STP"),
]


def load_province(world: SimpleNamespace) -> None:
    """The province's own self-assessment on the central set, part-filled by its departments.

    Sở Tư pháp's criteria are entered through the services as stp.canbo, with its documents;
    Sở Nội vụ's are half entered; the others are still empty, so the pages show progress.
    """
    from parindex.assessments import province, services
    from parindex.indexsets.models import IndexSet
    from parindex.rounds import deadlines
    from parindex.rounds import demo as rounds_demo
    from parindex.rounds import services as round_services
    from parindex.units.models import Unit

    today = deadlines.today()
    year = rounds_demo.current_year(today)
    code = f"CCHC-TINH-{year}"
    unit = Unit.objects.filter(code="HT").first()
    index_set = (
        IndexSet.objects.filter(
            unit_type__code=province.PROVINCE_TYPE,
            status=IndexSet.Status.PUBLISHED,
            valid_from__lte=year,
        )
        .order_by("-valid_from", "-version")
        .first()
    )
    if unit is None or index_set is None or Round.objects.filter(code=code).exists():
        return
    created = round_services.create_round(
        by=None,
        code=code,
        year=year,
        name=f"Tự đánh giá Chỉ số CCHC cấp tỉnh năm {year} (Bộ Nội vụ)",
        index_sets={province.PROVINCE_TYPE: index_set},
        dates=rounds_demo.current_dates(today),
        units=[unit],
    )
    round_ = round_services.open_round(by=None, round_=created)
    world.province_round = round_
    assessment = Assessment.objects.select_related("unit__unit_type", "round", "index_set").get(
        round=round_, unit=unit
    )
    world.province_assessment = assessment
    owners = province.owners(round_.pk, index_set.pk)
    codes: dict[int | None, str] = dict(Unit.objects.values_list("pk", "code"))
    engine_set = engine_index_set(index_set)
    rng = random.Random(year)
    editor = User.objects.filter(username="stp.canbo").first()
    stp = Unit.objects.filter(code="STP").first()
    documents = []
    if editor and stp:
        for title, number in PROVINCE_DOCUMENTS:
            document, _created = services.register_document(
                unit=stp,
                by=editor,
                title=title.format(year=year),
                number=number,
                issued_on=dt.date(year, 3, 15),
                issuer="Sở Tư pháp",
            )
            documents.append(document)
    items = list(
        assessment.items.select_related("criterion", "assessment__unit__unit_type").order_by(
            "position"
        )
    )
    stp_items = [
        item
        for item in items
        if codes.get(owners[item.criterion_id].unit_id) == "STP"
        and engine_set.criterion(item.criterion.code).source == engine.Source.SELF
    ]
    snv_items = [item for item in items if codes.get(owners[item.criterion_id].unit_id) == "SNV"]
    for index, item in enumerate(stp_items[:-2] if editor else []):
        assert editor is not None  # the list is empty without an editor
        node = engine_set.criterion(item.criterion.code)
        if node.source != engine.Source.SELF:
            continue
        services.save_self_item(
            item=item,
            by=editor,
            version=item.version,
            answer=demo_answer(node, rng, na_units=False),
            note=f"Sở Tư pháp tự đánh giá theo số liệu năm {year}.",
            no_evidence_reason="",
        )
        if documents:
            services.attach_evidence(
                item=item, evidence=documents[index % len(documents)], by=editor
            )
    for item in snv_items[: len(snv_items) // 2]:
        node = engine_set.criterion(item.criterion.code)
        if node.source != engine.Source.SELF:
            continue
        answer = demo_answer(node, rng, na_units=False)
        item.self_answer = answers.to_json(answer)
        item.self_points = engine.leaf_points(node, answer)
        item.self_at = timezone.now()
        item.version += 1
        item.no_evidence_reason = NO_EVIDENCE
    save_items(
        snv_items, ["self_answer", "self_points", "self_at", "version", "no_evidence_reason"]
    )
