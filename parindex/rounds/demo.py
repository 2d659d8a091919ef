"""Demo rounds: last year's round (finished) and this year's round (in progress).

Dates are set relative to the day the demo is loaded, so the current round is always in its
self-assessment phase with appraisal already under way for the units that submitted early.
The demo appraiser `thamdinh` appraises every area of every unit in both rounds.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.test.utils import override_settings

from parindex.accounts.models import User
from parindex.indexsets.models import Criterion, IndexSet
from parindex.rounds import deadlines, services
from parindex.rounds.models import Round

# The unit types the province scores itself (the province as a whole is scored nationally).
ROUND_TYPES = ("SO", "TW", "HUYEN", "XA")
APPRAISER = "thamdinh"


def current_year(today: dt.date) -> int:
    """The year being assessed now: the self-assessment of year Y runs from late Y."""
    return today.year if today.month >= 7 else today.year - 1


def sets_for(year: int) -> dict[str, IndexSet]:
    """The newest published set valid in `year` for each unit type the province scores."""
    chosen: dict[str, IndexSet] = {}
    for index_set in (
        IndexSet.objects.filter(
            status=IndexSet.Status.PUBLISHED,
            valid_from__lte=year,
            unit_type__code__in=ROUND_TYPES,
        )
        .select_related("unit_type")
        .order_by("valid_from", "version")
    ):
        chosen[index_set.unit_type.code] = index_set
    return chosen


def previous_dates(year: int) -> dict[str, dt.date]:
    """A finished round's schedule: December of the year to February of the next."""
    return {
        "self_assessment_opens_on": dt.date(year, 12, 1),
        "self_assessment_closes_on": dt.date(year, 12, 31),
        "appraisal_closes_on": dt.date(year + 1, 1, 20),
        "explanation_closes_on": dt.date(year + 1, 1, 27),
        "second_appraisal_closes_on": dt.date(year + 1, 2, 5),
        "council_closes_on": dt.date(year + 1, 2, 15),
        "publication_on": dt.date(year + 1, 2, 25),
    }


def current_dates(today: dt.date) -> dict[str, dt.date]:
    """The running round's schedule around today: self-assessment closes in 12 days."""
    day = dt.timedelta(days=1)
    return {
        "self_assessment_opens_on": today - 20 * day,
        "self_assessment_closes_on": today + 12 * day,
        "appraisal_closes_on": today + 30 * day,
        "explanation_closes_on": today + 37 * day,
        "second_appraisal_closes_on": today + 45 * day,
        "council_closes_on": today + 55 * day,
        "publication_on": today + 65 * day,
    }


def assign_everything(round_: Round, appraiser: User) -> None:
    """The demo appraiser appraises every area of every unit of the round."""
    cells = {}
    for assessment in round_.assessments.all():
        for area_id in Criterion.objects.filter(
            index_set_id=assessment.index_set_id, parent__isnull=True
        ).values_list("pk", flat=True):
            cells[(assessment.unit_id, area_id)] = appraiser
    services.assign_appraisers(by=None, round_=round_, cells=cells)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def load(world: SimpleNamespace) -> None:
    """Create both rounds once (needs the demo units, index sets and accounts)."""
    today = deadlines.today()
    year = current_year(today)
    world.current_round = Round.objects.filter(code=f"CCHC-{year}").first()
    world.previous_round = Round.objects.filter(code=f"CCHC-{year - 1}").first()
    if world.current_round or world.previous_round:
        return
    appraiser = User.objects.filter(username=APPRAISER).first()
    previous_sets, current_sets = sets_for(year - 1), sets_for(year)
    if previous_sets:
        previous = services.create_round(
            by=None,
            code=f"CCHC-{year - 1}",
            year=year - 1,
            name=f"Đánh giá, xác định Chỉ số CCHC năm {year - 1}",
            index_sets=previous_sets,
            dates=previous_dates(year - 1),
        )
        # A past round: it opened long ago, so nobody is notified now.
        Round.objects.filter(pk=previous.pk).update(status=Round.Status.OPEN)
        previous.refresh_from_db()
        if appraiser:
            assign_everything(previous, appraiser)
        world.previous_round = previous
    if current_sets:
        current = services.create_round(
            by=None,
            code=f"CCHC-{year}",
            year=year,
            name=f"Đánh giá, xác định Chỉ số CCHC năm {year}",
            index_sets=current_sets,
            dates=current_dates(today),
        )
        if appraiser:
            assign_everything(current, appraiser)
        world.current_round = services.open_round(by=None, round_=current)
