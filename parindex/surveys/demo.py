"""Demo surveys: questionnaires for the sample sets, last year's and this year's campaigns, about
2,000 responses by every channel applied to the current round, SIPAS for three years and PAPI
for two.

Everything goes through the services, as an office would: the questionnaires are imported from
`samples/` (this year's departments' one is copied from last year's), responses arrive as an
imported file, by one-time links on the public form and as paper forms typed twice, and each
campaign is applied to the round. Answers are drawn from a fixed seed and each unit's
"quality", so every load looks the same. Runs before the results step, which publishes last
year's round (last year's campaign is not applied: its survey points are the published ones).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.rounds.models import Round
from parindex.surveys import files
from parindex.surveys.forms_public import group_questions
from parindex.surveys.models import Campaign, Questionnaire, RespondentGroup
from parindex.surveys.services import apply, campaigns, collection, indices, questionnaires
from parindex.surveys.services import responses as response_services
from parindex.surveys.services.campaigns import Invitee, TargetRow
from parindex.units.models import Unit

SAMPLES = Path(__file__).resolve().parent / "samples"
SCALE = ("A", "B", "C", "D")
# (questionnaire code, {group: population N}) of this year's campaigns.
CURRENT = (
    ("XHH-SO-2026", {"LDS": 25, "HDND": 20, "CCVC": 40, "DN": 60}),
    ("XHH-TW-2026", {"LDS": 20, "CCVC": 30, "DN": 40}),
    ("XHH-XA-2026", {"HDND": 15, "LDS": 10, "ND": 30}),
)
PUBLIC_GROUPS = {"DN", "ND"}  # citizens and enterprises answer by link more often


def _sample(name: str, **changes: str) -> Questionnaire:
    text = (SAMPLES / name).read_text("utf-8")
    for old, new in changes.items():
        text = text.replace(old, new)
    spec = files.read_questionnaire_file(text.encode("utf-8"), name)
    return questionnaires.import_questionnaire(spec=spec, by=None).questionnaire


class Answers:
    """Seeded answers: a unit's quality (0..1) makes good options more likely."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.quality: dict[str, float] = {}

    def of(self, unit: str) -> float:
        return self.quality.setdefault(unit, self.rng.uniform(0.45, 0.95))

    def pick(self, unit: str, options: list[tuple[str, str]]) -> str:
        codes = [code for code, _label in options]
        if "X" in codes and self.rng.random() < 0.04:
            return "X"
        if self.rng.random() < 0.03:
            return ""  # not answered
        on_scale = [code for code in SCALE if code in codes]
        if not on_scale:  # a question's own options: best first
            on_scale = [code for code in codes if code != "X"]
        quality = self.of(unit)
        draw = self.rng.random()
        # P(best) ≈ quality², then down the scale
        position = 0 if draw < quality**2 else 1 if draw < quality else 2 if draw < 0.97 else 3
        return on_scale[min(position, len(on_scale) - 1)]

    def form(self, unit: str, questions: list[tuple[str, str, list[tuple[str, str]]]]) -> dict:
        """One respondent's answers (at least one question answered)."""
        chosen = {code: self.pick(unit, options) for code, _text, options in questions}
        if questions and not any(chosen.values()):
            chosen[questions[0][0]] = questions[0][2][0][0]
        return chosen


def _people() -> tuple[Any, Any]:
    """The office's two data-entry clerks (the PAR officer and the administrator)."""
    officer = User.objects.filter(role_assignments__role=Role.PAR_OFFICER).order_by("pk").first()
    admin = User.objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
    return officer, admin


def _file(run: Campaign, rows: list[list[str]], by: Any) -> None:
    if rows:
        response_services.import_responses(campaign=run, rows=list(enumerate(rows, start=2)), by=by)


def _collect(run: Campaign, populations: dict[str, int], answers: Answers, people: tuple) -> None:
    """Targets, then responses per unit and group by file, link and paper."""
    officer, second = people
    units = list(
        Unit.objects.filter(
            assessments__round=run.round,
            assessments__index_set__code=run.questionnaire.index_set.code,
        ).order_by("code")
    )
    groups = {
        group.code: group
        for group in RespondentGroup.objects.filter(questionnaire=run.questionnaire)
    }
    campaigns.set_targets(
        campaign=run,
        rows=[
            TargetRow(unit, groups[code], population=n)
            for unit in units
            for code, n in populations.items()
        ],
        by=officer,
    )
    samples = {(target.unit_id, target.group_id): target.sample for target in run.targets.all()}
    questions = {code: group_questions(run.questionnaire, group) for code, group in groups.items()}
    rows: list[list[str]] = []
    paper = 0
    for position, unit in enumerate(units):
        for code, group in groups.items():
            if position == len(units) - 1 and code == next(iter(groups)):
                continue  # one unit's group sent nothing: its criterion is listed without data
            fill = answers.rng.uniform(0.25, 0.7) if answers.rng.random() < 0.85 else 1.05
            count = max(1, round(samples[(unit.pk, group.pk)] * fill))
            web_share = 0.08 if code in PUBLIC_GROUPS else 0.03
            by_web = round(count * web_share)
            by_paper = round(count * 0.04) if code in PUBLIC_GROUPS else 0
            issued = campaigns.issue_invitations(
                campaign=run, invitees=[Invitee(unit, group)] * (by_web + 2), by=officer
            )
            for item in issued[:by_web]:  # two links per unit and group stay unused
                collection.submit_form(
                    token=item.token, answers=answers.form(unit.code, questions[code])
                )
            for _n in range(by_paper):
                paper += 1
                typed = answers.form(unit.code, questions[code])
                for clerk in people:
                    collection.enter_paper_form(
                        campaign=run,
                        form_number=f"{paper:04d}",
                        unit=unit,
                        group=group,
                        answers=typed,
                        by=clerk,
                    )
            for n in range(count - by_web - by_paper):
                response_id = f"{unit.code}-{code}-{n + 1:03d}"
                for question, answer in answers.form(unit.code, questions[code]).items():
                    rows.append([response_id, code, unit.code, question, answer])
    _file(run, rows, officer)
    if paper and units:  # a form typed once, and one typed twice differently, wait
        unit, (code, group) = units[0], next(iter(groups.items()))
        first = answers.form(unit.code, questions[code])
        collection.enter_paper_form(
            campaign=run, form_number="CHO-1", unit=unit, group=group, answers=first, by=officer
        )
        collection.enter_paper_form(
            campaign=run, form_number="CHO-2", unit=unit, group=group, answers=first, by=officer
        )
        changed = {key: ("D" if value != "D" else "A") for key, value in first.items()}
        collection.enter_paper_form(
            campaign=run, form_number="CHO-2", unit=unit, group=group, answers=changed, by=second
        )


def _last_year(previous: Round, answers: Answers, by: Any) -> None:
    """Last year's departments' campaign (for the year-on-year view), collected by file."""
    stored = Questionnaire.objects.get(code="XHH-SO-2025")
    run = campaigns.create_campaign(
        questionnaire=stored, round_=previous, closes_on=dt.date(previous.year, 12, 31), by=by
    )
    groups = {group.code: group for group in stored.groups.all()}
    rows = []
    for unit in Unit.objects.filter(assessments__round=previous, unit_type__code="SO").order_by(
        "code"
    ):
        for code, group in groups.items():
            questions = group_questions(stored, group)
            for n in range(answers.rng.randint(6, 14)):
                for question, answer in answers.form(unit.code, questions).items():
                    rows.append(
                        [f"{unit.code}-{code}-{n + 1:03d}", code, unit.code, question, answer]
                    )
    _file(run, rows, by)
    campaigns.close_campaign(campaign=run, by=by)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def load(world: SimpleNamespace) -> None:
    """Questionnaires, campaigns with responses applied to the current round, SIPAS and PAPI."""
    if Questionnaire.objects.exists():
        return
    current = getattr(world, "current_round", None)
    previous = getattr(world, "previous_round", None)
    people = _people()
    officer = people[0]
    so_2025 = _sample("xhh-so-2025.yaml")
    questionnaires.copy_questionnaire(
        source=so_2025,
        code="XHH-SO-2026",
        name=so_2025.name.replace("2025", "2026"),
        index_set_code=so_2025.index_set.code,
        by=officer,
    )
    _sample("xhh-tw-2026.yaml")
    _sample("xhh-xa-2026.yaml")
    answers = Answers(seed=13)
    if previous is not None and previous.status != Round.Status.PUBLISHED:
        _last_year(previous, answers, officer)
    if current is not None:
        answers.quality.clear()
        world.survey_campaigns = []
        for code, populations in CURRENT:
            stored = Questionnaire.objects.filter(code=code).order_by("-version").first()
            if (
                stored is None
                or not current.index_sets.filter(index_set__code=stored.index_set.code).exists()
            ):
                continue
            run = campaigns.create_campaign(
                questionnaire=stored,
                round_=current,
                closes_on=timezone.localdate() + dt.timedelta(days=20),
                by=officer,
            )
            _collect(run, populations, answers, people)
            apply.apply_campaign(campaign=run, by=officer)
            run.refresh_from_db()
            world.survey_campaigns.append(run)
    _sipas(answers.rng, officer)
    _papi(answers.rng, officer)


# -- SIPAS and PAPI ------------------------------------------------------------------------------

SIPAS_ITEMS = {
    "Xây dựng và tổ chức thực hiện chính sách": {
        "Trách nhiệm giải trình": [
            "Công khai thông tin chính sách",
            "Giải trình khi người dân yêu cầu",
        ],
        "Sự tham gia của người dân": ["Lấy ý kiến người dân", "Tiếp thu, phản hồi ý kiến"],
        "Chất lượng chính sách": ["Phù hợp với thực tế", "Rõ ràng, dễ hiểu"],
        "Kết quả thực hiện chính sách": ["Đạt mục tiêu đề ra", "Mang lại lợi ích cho người dân"],
    },
    "Cung ứng dịch vụ hành chính công": {
        "Tiếp cận dịch vụ": ["Địa điểm, trang thiết bị", "Dịch vụ công trực tuyến"],
        "Thủ tục hành chính": [
            "Công khai, minh bạch",
            "Thành phần hồ sơ, phí, lệ phí đúng quy định",
        ],
        "Công chức giải quyết công việc": [
            "Thái độ lịch sự, tôn trọng",
            "Hướng dẫn tận tình, dễ hiểu",
        ],
        "Kết quả giải quyết công việc": ["Đúng hẹn", "Kết quả đúng quy định"],
    },
    "Cung ứng dịch vụ công cơ bản": {
        "Giáo dục công": ["Cơ sở vật chất trường học", "Chất lượng giảng dạy"],
        "Y tế công": ["Thời gian chờ khám", "Thái độ của nhân viên y tế"],
    },
}


def _sipas(rng: random.Random, by: Any) -> None:
    """Three years of satisfaction counts for departments, two for communes (after 2025)."""
    year = timezone.localdate().year
    departments = list(
        Unit.objects.filter(unit_type__code="SO", active_to__isnull=True).order_by("code")
    )
    communes = list(
        Unit.objects.filter(unit_type__code="XA", active_to__isnull=True).order_by("code")
    )
    rows = []
    for offset, when in enumerate(range(year - 2, year + 1)):
        for unit in departments + (communes if offset else []):
            base = 0.68 + 0.04 * offset + rng.uniform(-0.08, 0.1)
            for aspect, factors in SIPAS_ITEMS.items():
                for factor, items in factors.items():
                    for item in items:
                        answered = rng.randint(25, 60)
                        share = min(0.99, max(0.3, base + rng.uniform(-0.12, 0.08)))
                        rows.append(
                            [
                                str(when),
                                unit.code,
                                aspect,
                                factor,
                                item,
                                str(round(answered * share)),
                                str(answered),
                            ]
                        )
    indices.import_sipas(rows=list(enumerate(rows, start=2)), by=by)


PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thành phố Hồ Chí Minh",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)


def _papi(rng: random.Random, by: Any) -> None:
    """Two years of illustrative PAPI scores for the 63 provinces (the 2023 and 2024 surveys)."""
    year = timezone.localdate().year
    rows = []
    for when in (year - 3, year - 2):
        for province in PROVINCES:
            lift = 0.35 if province == "Hà Tĩnh" else 0.0
            trend = (when - year + 3) * 0.1
            values = [
                f"{min(9.9, max(1.0, base + lift + trend + rng.uniform(-0.6, 0.6))):.4f}"
                for base in (5.3, 5.9, 5.1, 6.9, 7.4, 7.2, 3.9, 3.4)
            ]
            rows.append([str(when), province, *values, ""])
    header = [*indices.PAPI_HEADER, "total"]
    indices.import_papi(header=header, rows=list(enumerate(rows, start=2)), by=by)
