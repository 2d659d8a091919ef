"""`parindex round create CODE --year Y --indexset UNIT_TYPE=SET_CODE ...`: prepare a round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.rounds import services
from parindex.units.models import Unit

# Default schedule: days after the previous date (self-assessment runs a month from --opens).
DEFAULT_GAPS = [
    ("self_assessment_closes_on", 30),
    ("appraisal_closes_on", 20),
    ("explanation_closes_on", 7),
    ("second_appraisal_closes_on", 8),
    ("council_closes_on", 10),
    ("publication_on", 10),
]


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CommandError(_("“%(text)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"text": text})


class Command(BaseCommand):
    help = (
        "Create an assessment round in preparation: the index set per unit type and the phase "
        "dates; every active unit of those types takes part unless --units is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the round's code, e.g. CCHC-2025")
        parser.add_argument("--year", type=int, required=True, help="the assessed year")
        parser.add_argument(
            "--indexset",
            action="append",
            required=True,
            metavar="UNIT_TYPE=SET_CODE",
            help="the published index set for a unit type (repeat for each type)",
        )
        parser.add_argument("--name", default="", help="the round's name")
        parser.add_argument(
            "--opens", type=_date, help="self-assessment opens (default 1 December of the year)"
        )
        for field, _gap in DEFAULT_GAPS:
            parser.add_argument(f"--{field.removesuffix('_on').replace('_', '-')}", type=_date)
        parser.add_argument(
            "--as-of",
            type=_date,
            help="the day computed criteria count monitoring data at (default 31/12 of the year)",
        )
        parser.add_argument("--units", default="", help="comma-separated unit codes (default all)")
        parser.add_argument("--open", action="store_true", help="open the round at once")
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        index_sets = {}
        for pair in options["indexset"]:
            unit_type, _sep, set_code = pair.partition("=")
            if not unit_type or not set_code:
                raise CommandError(
                    _("--indexset expects UNIT_TYPE=SET_CODE, not “%(pair)s”.") % {"pair": pair}
                )
            index_set = services.latest_published(set_code)
            if index_set is None:
                raise CommandError(
                    _("There is no published index set with the code %(code)s.")
                    % {"code": set_code}
                )
            index_sets[unit_type] = index_set
        dates = {"self_assessment_opens_on": options["opens"] or dt.date(year, 12, 1)}
        previous = dates["self_assessment_opens_on"]
        for field, gap in DEFAULT_GAPS:
            given = options[field.removesuffix("_on")]
            dates[field] = given or previous + dt.timedelta(days=gap)
            previous = dates[field]
        units = None
        if options["units"]:
            codes = [code.strip() for code in options["units"].split(",") if code.strip()]
            found = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
            if missing := [code for code in codes if code not in found]:
                raise CommandError(
                    _("Unknown unit codes: %(codes)s.") % {"codes": ", ".join(missing)}
                )
            units = [found[code] for code in codes]
        try:
            with transaction.atomic():
                round_ = services.create_round(
                    by=None,
                    code=options["code"],
                    year=year,
                    name=options["name"] or f"Đánh giá Chỉ số CCHC năm {year}",
                    index_sets=index_sets,
                    dates=dates,
                    units=units,
                    as_of=options["as_of"],
                )
                if options["open"]:
                    services.open_round(by=None, round_=round_)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except services.RoundRefused as refused:
            raise CommandError("\n".join(refused.problems)) from None
        units_count = round_.assessments.count() if not options["dry_run"] else len(units or [])
        summary = _("%(code)s: %(n)d units, self-assessment from %(start)s to %(end)s") % {
            "code": round_.code,
            "n": units_count,
            "start": dates["self_assessment_opens_on"].strftime("%d/%m/%Y"),
            "end": dates["self_assessment_closes_on"].strftime("%d/%m/%Y"),
        }
        if options["dry_run"]:
            summary += " " + _("(dry run: nothing saved)")
        self.stdout.write(summary)
