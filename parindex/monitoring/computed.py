"""Computed criteria: the value of each `source: computed` leaf for a unit in a round, and the
tasks, reports and findings behind it, handed to the assessment pages and the results through
`parindex.assessments.hooks` (registered in hooks.py).

A leaf with `input: tasks_on_time` (or `tasks_done`, `reports_on_time`, `findings_remedied`)
gets the engine's answer for the unit's rates of the round's year at the round's `as_of`
(31/12 by default): `Ratio(on time, due)` through its rule; with nothing due, N/A when the leaf
is excluded then, else its maximum (`parindex.engine.computed_answer`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex import engine
from parindex.assessments import hooks
from parindex.assessments.answers import to_json
from parindex.assessments.hooks import Basis, ComputedValue
from parindex.assessments.models import Assessment
from parindex.engine import Metric
from parindex.indexsets.queries import engine_index_set
from parindex.monitoring import rates
from parindex.monitoring.models import Finding, Plan, Progress, Submission
from parindex.monitoring.rates import Step, quiet
from parindex.rounds.models import Round
from parindex.units.models import Unit

# The metrics each kind of row feeds.
KIND_METRICS = {
    "task": (Metric.TASKS_ON_TIME, Metric.TASKS_DONE),
    "report": (Metric.REPORTS_ON_TIME,),
    "finding": (Metric.FINDINGS_REMEDIED,),
}


def _pattern(name: str) -> str:
    """A URL of a detail page with a '{}' where the id goes (reverse once, not per row)."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def basis_rows(
    year: int, as_of: dt.date, unit_ids: Sequence[int]
) -> dict[int, dict[str, list[Basis]]]:
    """Per unit and metric, every task, report and finding due by `as_of` and whether it
    counted (seven queries whatever the number of units)."""
    found: dict[int, dict[str, list[Basis]]] = defaultdict(lambda: defaultdict(list))
    progress_url = _pattern("monitoring:progress")
    finding_url = _pattern("monitoring:finding")
    evidence_url = _pattern("assessments:evidence_file")
    calendar_url = reverse("monitoring:calendar") + "?unit={}&year=" + str(year)
    tasks = (
        Progress.objects.filter(
            unit_id__in=unit_ids,
            task__plan__year=year,
            task__plan__status=Plan.Status.ISSUED,
            deadline__lte=as_of,
        )
        .exclude(status=Progress.Status.CANCELLED)
        .select_related("task__plan", "evidence")
        .order_by("deadline", "task__plan__code", "task__position")
    )
    for row in tasks:
        done_on = row.completed_on if row.status == Progress.Status.DONE else None
        common = {
            "kind": "task",
            "label": f"{row.task.plan.code} · {row.task.code}. {row.task.title}",
            "due_on": row.deadline.isoformat(),
            "done_on": done_on.isoformat() if done_on else "",
            "url": progress_url.format(row.pk),
            "evidence": row.evidence.title if row.evidence else "",
            "evidence_url": evidence_url.format(row.evidence_id) if row.evidence_id else "",
        }
        found[row.unit_id][Metric.TASKS_ON_TIME].append(
            Basis(**common, is_counted=done_on is not None and done_on <= row.deadline)
        )
        found[row.unit_id][Metric.TASKS_DONE].append(
            Basis(**common, is_counted=done_on is not None and done_on <= as_of)
        )
    regime = rates.regime(year)
    sent = {
        (row.report_type_id, row.unit_id, row.period): row
        for row in Submission.objects.filter(
            unit_id__in=unit_ids, period__startswith=str(year), status=Submission.Status.SUBMITTED
        ).select_related("document")
    }
    units = Unit.objects.filter(pk__in=unit_ids).only(
        "pk", "unit_type_id", "active_from", "active_to"
    )
    for unit in units:
        for report_type, period in rates.owed_reports(regime, unit):
            if period.due_on > as_of:
                continue
            submission = sent.get((report_type.pk, unit.pk, period.code))
            document = submission.document if submission else None
            found[unit.pk][Metric.REPORTS_ON_TIME].append(
                Basis(
                    kind="report",
                    label=f"{report_type.title} ({period.code})",
                    due_on=period.due_on.isoformat(),
                    done_on=submission.submitted_on.isoformat() if submission else "",
                    is_counted=submission is not None and submission.submitted_on <= period.due_on,
                    url=calendar_url.format(unit.pk),
                    evidence=document.title if document else "",
                    evidence_url=evidence_url.format(document.pk) if document else "",
                )
            )
    findings = (
        Finding.objects.filter(
            inspection__unit_id__in=unit_ids,
            remedy_deadline__year=year,
            remedy_deadline__lte=as_of,
        )
        .select_related("inspection", "evidence")
        .order_by("remedy_deadline", "inspection__code", "code")
    )
    for finding in findings:
        remedied_on = finding.remedied_on if finding.status == Finding.Status.REMEDIED else None
        found[finding.inspection.unit_id][Metric.FINDINGS_REMEDIED].append(
            Basis(
                kind="finding",
                label=f"{finding.inspection.code} · {finding.code}. {finding.text}",
                due_on=finding.remedy_deadline.isoformat(),
                done_on=remedied_on.isoformat() if remedied_on else "",
                is_counted=remedied_on is not None and remedied_on <= finding.remedy_deadline,
                url=finding_url.format(finding.pk),
                evidence=finding.evidence.title if finding.evidence else "",
                evidence_url=evidence_url.format(finding.evidence_id)
                if finding.evidence_id
                else "",
            )
        )
    return found


def computed_values(
    round_: Round, leaves: Sequence[engine.Criterion], unit_ids: Sequence[int], with_basis: bool
) -> dict[int, dict[str, ComputedValue]]:
    """Each unit's value on each computed leaf at the round's `as_of` (a fixed number of
    queries; with the lists behind them when `with_basis`)."""
    as_of = round_.rates_as_of
    found = rates.year_rates(round_.year, as_of, unit_ids)
    lists = basis_rows(round_.year, as_of, unit_ids) if with_basis else {}
    values: dict[int, dict[str, ComputedValue]] = {}
    for unit_id in unit_ids:
        unit_rates = found.get(unit_id, engine.Rates())
        per_leaf = {}
        for leaf in leaves:
            assert leaf.input is not None  # computed_leaves() keeps only those
            numerator, denominator = unit_rates.ratio(leaf.input)
            per_leaf[leaf.code] = ComputedValue(
                code=leaf.code,
                metric=str(leaf.input),
                numerator=numerator,
                denominator=denominator,
                answer=to_json(engine.computed_answer(leaf, unit_rates)) or {},
                as_of=as_of.isoformat(),
                basis=tuple(lists.get(unit_id, {}).get(leaf.input, ())),
            )
        values[unit_id] = per_leaf
    return values


COMPUTED_HEADER = ["unit_code", "criterion_code", "input", "numerator", "denominator", "as_of"]
# Units asked at once: seven queries a chunk, and the bar moves between chunks.
CHUNK = 500


def computed_table(round_: Round, *, step: Step = quiet) -> list[list[object]]:
    """Every unit's value on each computed leaf of a round (header first, by unit code): the
    live monitoring figures at the round's `as_of`, or those its snapshot froze once published."""
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit", "index_set")
        .order_by("index_set_id", "unit__code")
    )
    total, done = len(assessments), 0
    step(0, total, _("Computing the computed criteria of %(n)d unit(s)…") % {"n": total})
    sets: dict[int, engine.IndexSet] = {}
    rows: list[list[object]] = []
    for start in range(0, total, CHUNK):
        chunk = assessments[start : start + CHUNK]
        for set_id in dict.fromkeys(a.index_set_id for a in chunk):
            mine = [a for a in chunk if a.index_set_id == set_id]
            if set_id not in sets:
                sets[set_id] = engine_index_set(mine[0].index_set)
            found = hooks.computed_values(round_, sets[set_id], [a.unit_id for a in mine])
            for assessment in mine:
                for code, value in found.get(assessment.unit_id, {}).items():
                    rows.append(
                        [
                            assessment.unit.code,
                            code,
                            value.metric,
                            value.numerator,
                            value.denominator,
                            value.as_of,
                        ]
                    )
        done += len(chunk)
        counts = {"done": done, "total": total}
        step(done, total, _("Computed %(done)d of %(total)d unit(s)…") % counts)
    rows.sort(key=lambda row: (str(row[0]), _code_key(str(row[1]))))
    return [list(COMPUTED_HEADER), *rows]


def _code_key(code: str) -> list[tuple[int, str]]:
    return [(int(part), "") if part.isdigit() else (0, part) for part in code.split(".")]
