"""Reads for results: a round's inputs in a few queries, its results (live or from the snapshot).

`round_results(round)` is what every page, document and command calls. For a published round
it reads the snapshot's inputs (the figures are then those `verify` checks); otherwise it
gathers the live assessments and computes a provisional preview ("Tạm tính").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.assessments import hooks
from parindex.assessments.models import Appraisal, Assessment, Item
from parindex.assessments.queries import StoredText, final_of
from parindex.core import revisions
from parindex.core.models import AuditEntry
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.queries import engine_index_set
from parindex.results import analysis, computing
from parindex.results.computing import RoundResults, compute, decimal_text, outputs_of
from parindex.results.models import PublicPage, Snapshot
from parindex.rounds.models import Round
from parindex.units.models import Unit
from parindex.units.queries import predecessor_codes_on_many

if TYPE_CHECKING:
    from parindex.results.documents import Scope

# -- the seams to other apps --------------------------------------------------------------------


def index_set_spec(index_set: IndexSet) -> dict[str, Any]:
    """A stored index set as the engine's canonical spec (cached by the index sets app)."""
    return engine.to_spec(engine_index_set(index_set))


# -- inputs -------------------------------------------------------------------------------------


@computing.collector_paused()
def round_inputs(round_: Round) -> dict[str, Any]:
    """Everything the results of a round depend on, as one JSON-able dict (a few queries)."""
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit", "unit__unit_type", "unit__peer_group")
        .order_by("unit__unit_type__order", "unit__code")
    )
    # one object per index set, not one per assessment (3,500 of them in a national round)
    index_sets = IndexSet.objects.in_bulk({a.index_set_id for a in assessments})
    answers, survey, details = round_values(round_)
    by_set: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_set[assessment.index_set_id].append(assessment)
    before = previous_round(round_)
    earlier = predecessor_codes_on_many(
        [a.unit for a in assessments], before.year if before else round_.year - 1
    )
    blocks = []
    for group in by_set.values():
        index_set = index_sets[group[0].index_set_id]
        unit_type = group[0].unit.unit_type
        _add_computed(round_, index_set, group, answers, details)
        blocks.append(
            {
                "code": unit_type.code,
                "name": unit_type.name,
                "index_set": index_set_spec(index_set),
                "units": [
                    {
                        "code": a.unit.code,
                        "name": a.unit.name,
                        "group": _group(round_, a.unit),
                        "previous_codes": earlier.get(a.unit_id, []),
                    }
                    for a in group
                ],
                "answers": {a.unit.code: answers.get(a.pk, {}) for a in group},
                "survey": {a.unit.code: survey[a.pk] for a in group if survey.get(a.pk)},
                "details": {a.unit.code: details[a.pk] for a in group if details.get(a.pk)},
            }
        )
    return {
        "round": {"code": round_.code, "year": round_.year, "name": round_.name},
        "unit_types": blocks,
    }


Values = dict[int, dict[str, Any]]


def round_values(round_: Round) -> tuple[Values, Values, dict[int, dict[str, dict[str, Any]]]]:
    """A round's values for its results, by assessment id, as plain JSON data (three queries):
    (final answers by criterion code, survey answers by code, details by code: self and
    appraised points as `decimal_text`, the last appraisal's reason).

    A national round has ~10^5 items but few distinct values (the same points, choices and
    rates over and over): rows come straight from the cursor as text, each distinct stored
    text is decoded once and each distinct pair of points gets one details dict, shared by
    the items that have them (read-only: the snapshot encodes them, nobody writes to them).
    """
    criteria = Criterion.objects.filter(
        index_set__in=Assessment.objects.filter(round=round_).values("index_set")
    ).values_list("pk", "code", "source")
    codes = {pk: code for pk, code, _source in criteria}
    surveyed_ids = {pk for pk, _code, source in criteria if source == Criterion.Source.SURVEY}
    items = (
        Item.objects.filter(assessment__round=round_)
        .values_list(
            "assessment_id",
            "criterion_id",
            StoredText("self_answer"),
            StoredText("appraised_answer"),
            StoredText("survey_answer"),
            StoredText("self_points"),
            StoredText("appraised_points"),
        )
        .order_by()  # the model's ordering joins three tables and sorts 10^5 rows for nothing
    )
    reasons: dict[tuple[int, int], str] = {}
    appraisals = (
        Appraisal.objects.filter(item__assessment__round=round_)
        .exclude(reason="")
        .values_list("item__assessment_id", "item__criterion_id", "reason")
        .order_by("stage", "pk")
    )
    for assessment_id, criterion_id, text in appraisals:
        reasons[(assessment_id, criterion_id)] = text  # the last appraisal's reason wins
    answers: Values = defaultdict(dict)
    survey: Values = defaultdict(dict)
    details: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    decoded: dict[str, Any] = {}  # stored JSON text → value
    shared: dict[tuple[str | None, str | None], dict[str, Any]] = {}  # points → details
    unit_answers: dict[str, Any] = {}
    unit_details: dict[str, dict[str, Any]] = {}
    last = None  # rows come about in the order they were written: a unit's items together
    for assessment_id, criterion_id, own, appraised, surveyed, own_pts, appraised_pts in _rows(
        items
    ):
        code = codes[criterion_id]
        if criterion_id in surveyed_ids:
            if surveyed is not None and surveyed != "null":
                if (value := decoded.get(surveyed)) is None:
                    value = decoded[surveyed] = computing.parse_json(surveyed)
                survey[assessment_id][code] = value
            continue
        if assessment_id != last:
            last, unit_answers = assessment_id, answers[assessment_id]
            unit_details = details[assessment_id]
        final = final_of(appraised, own)
        if final is not None and final != "null":
            if (value := decoded.get(final)) is None:
                value = decoded[final] = computing.parse_json(final)
            unit_answers[code] = value
        detail: dict[str, Any] | None
        if reasons and (reason := reasons.get((assessment_id, criterion_id))) is not None:
            detail = dict(_points_details(own_pts, appraised_pts), reason=reason)
        elif (detail := shared.get((own_pts, appraised_pts))) is None:
            detail = shared[(own_pts, appraised_pts)] = _points_details(own_pts, appraised_pts)
        if detail:
            unit_details[code] = detail
    return answers, survey, details


def _rows(queryset: QuerySet[Any, Any]) -> Iterator[tuple[Any, ...]]:
    """A values_list query's rows as the database cursor gives them, in batches: without the
    ORM's per-row machinery, which costs more than reading the rows when there are 10^5 of
    them. Only for columns that need no conversion (integers and text). A client-side cursor:
    PostgreSQL scans in parallel for it (not for a server-side one) and keeps the ~50 MB of
    rows of a national round in libpq's memory, turned into Python objects batch by batch."""
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            yield from batch


def _points_details(own: str | float | None, appraised: str | float | None) -> dict[str, Any]:
    """Self and appraised points as the database gives them (SQLite the number 0.5,
    PostgreSQL the text 0.50), in their one text."""
    detail: dict[str, Any] = {}
    if own is not None:
        detail["self"] = decimal_text(Decimal(str(own)))
    if appraised is not None:
        detail["appraised"] = decimal_text(Decimal(str(appraised)))
    return detail


def _add_computed(
    round_: Round,
    index_set: IndexSet,
    group: list[Assessment],
    answers: dict[int, dict[str, Any]],
    details: dict[int, dict[str, dict[str, Any]]],
) -> None:
    """Put the computed leaves' values (from monitoring, at the round's as_of) among the
    answers, and their ratio and the list behind it among the details, so that publication
    freezes both in the snapshot."""
    values = hooks.computed_values(
        round_, engine_index_set(index_set), [a.unit_id for a in group], with_basis=True
    )
    for assessment in group:
        for code, value in values.get(assessment.unit_id, {}).items():
            answers.setdefault(assessment.pk, {})[code] = value.answer
            unit_details = details.setdefault(assessment.pk, {})
            # a copy: `round_values` shares one details dict among the items with equal points
            unit_details[code] = {**unit_details.get(code, {}), "computed": value.as_json()}


def snapshot_computed(
    round_: Round, leaves: Sequence[engine.Criterion], unit_ids: Sequence[int], with_basis: bool
) -> dict[int, dict[str, hooks.ComputedValue]] | None:
    """The computed values a published round froze in its snapshot (None for other rounds):
    registered first in `parindex.assessments.hooks`, so pages of a published round show
    what was published, not today's data."""
    if not Snapshot.objects.filter(round=round_).exists():
        return None
    results = round_results(round_)
    codes = dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "code"))
    wanted = {leaf.code for leaf in leaves}
    found: dict[int, dict[str, hooks.ComputedValue]] = {}
    for unit_id in unit_ids:
        type_results = results.unit_type_of(codes.get(unit_id, ""))
        if type_results is None:
            continue
        details = type_results.details.get(codes[unit_id], {})
        per_leaf = {}
        for code in wanted:
            frozen = details.get(code, {}).get("computed")
            if frozen is not None:
                value = hooks.ComputedValue.from_json(code, frozen)
                per_leaf[code] = value if with_basis else replace(value, basis=())
        found[unit_id] = per_leaf
    return found


def _group(round_: Round, unit: Unit) -> str:
    """The unit's ranking group: its peer group when the round ranks by them, else its type."""
    if round_.rank_within_peer_groups and unit.peer_group is not None:
        return f"{unit.unit_type.code}/{unit.peer_group.code}"
    return unit.unit_type.code


def round_results(round_: Round) -> RoundResults:
    """The results of a round: from its snapshot once published, else a provisional preview.

    Computed once per revision and kept in the shared cache (decision 0013), so every process
    serves them: a published round's by its SHA-256 (a snapshot never changes), a preview by
    the data revision (`parindex.core.revisions`: any recorded change draws a new one) and the
    round's own `updated_at`. Nothing is kept in the process itself.
    """
    sha = Snapshot.objects.filter(round=round_).values_list("sha256", flat=True).first()
    if sha is None:
        key = preview_key(round_)
        return _cached(key, lambda: _preview(round_, key))

    def published() -> RoundResults:
        inputs = Snapshot.objects.filter(round=round_).values_list("inputs", flat=True).get()
        return compute(computing.parse_json(inputs), is_provisional=False, sha256=sha)

    return _cached(published_key(sha), published)


def _preview(round_: Round, key: str) -> RoundResults:
    """A round's provisional results, keeping beside them the texts a snapshot of the same
    data would hold, for the publication that usually follows (`snapshot_texts`)."""
    inputs = round_inputs(round_)
    results = compute(inputs, is_provisional=True)
    packed = tuple(computing.compress(text) for text in snapshot_texts_of(inputs, results))
    cache.set(f"{key}:snapshot", packed, revisions.KEEP_SECONDS)
    return results


def snapshot_texts_of(inputs: dict[str, Any], results: RoundResults) -> tuple[bytes, bytes]:
    """A snapshot's canonical inputs and outputs, in UTF-8."""
    return computing.canonical_bytes(inputs), computing.canonical_bytes(outputs_of(results))


@computing.collector_paused()
def snapshot_texts(round_: Round) -> tuple[bytes, bytes] | None:
    """The canonical inputs and outputs (UTF-8) a snapshot of the round holds if it is
    published now, or None when no unit takes part (decision 0033).

    The preview computed them for the current data revision when the office opened the
    results page; they are taken from the shared cache then, else gathered and computed now.
    The caller holds the round's exclusive lock: no score can change meanwhile, and any
    change before it drew a new revision, so a cached pair is never older than the data.
    """
    if not Assessment.objects.filter(round=round_).exists():
        return None
    packed = cache.get(f"{preview_key(round_)}:snapshot")
    if packed is not None:
        try:
            inputs_text, outputs_text = (computing.decompress(text) for text in packed)
            return inputs_text, outputs_text
        except ValueError:  # written by an earlier version: gathered and computed again
            pass
    inputs = round_inputs(round_)
    return snapshot_texts_of(inputs, compute(inputs, is_provisional=False))


def published_key(sha256: str) -> str:
    """The cache key of a published round's results (a snapshot never changes)."""
    return f"results:published:{sha256}:{computing.engine_version()}"


def preview_key(round_: Round) -> str:
    """The cache key of a round's provisional results as the data stands now."""
    stamp = round_.updated_at.isoformat() if round_.updated_at else ""
    version = computing.engine_version()
    return f"results:preview:{round_.pk}:{stamp}:{revisions.current()}:{version}"


def _cached(key: str, build: Callable[[], RoundResults]) -> RoundResults:
    """The results under `key` from the shared cache, else built and put there. Stored as a
    compressed pickle: a national round's results are ~10^6 objects. Nothing is kept in the
    process: every process (web or worker) reads the same entry (issue 15)."""
    blob = cache.get(key)
    if blob is not None:
        try:
            found = computing.unpack(blob)
        except Exception:  # noqa: BLE001 (a damaged or outdated entry is built again)
            found = None
        if isinstance(found, RoundResults):
            return found
    with computing.collector_paused():  # the whole build: a preview or a snapshot's results
        results = build()
        for type_results in results.types.values():
            analysis.ranking(type_results)  # kept with the results: every ranking page reads it
    cache.set(key, computing.pack(results), revisions.KEEP_SECONDS)
    return results


def forget_results(round_: Round) -> None:
    """Drop a round's cached results (for tests and tools that rewrite a snapshot behind the
    application's back: the application itself never needs to)."""
    preview = preview_key(round_)
    keys = [preview, f"{preview}:snapshot"]
    sha = Snapshot.objects.filter(round=round_).values_list("sha256", flat=True).first()
    if sha is not None:
        keys.append(published_key(sha))
    cache.delete_many(keys)


def publication_seal(snapshot: Snapshot) -> str | None:
    """The HMAC the audit log kept when the snapshot was published ("" for a snapshot published
    before seals were kept; None when the publication's entry is missing)."""
    entry = (
        AuditEntry.objects.filter(
            action="results.published",
            object_type=Snapshot._meta.label_lower,
            object_id=str(snapshot.pk),
        )
        .order_by("pk")
        .values_list("new", flat=True)
        .first()
    )
    if entry is None:
        return None
    return str(entry.get("hmac", "")) if isinstance(entry, dict) else ""


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round with results: published first, else the latest earlier one."""
    earlier = Round.objects.filter(year__lt=round_.year).order_by("-year", "code")
    published = earlier.filter(snapshot__isnull=False).first()
    return published or earlier.first()


# -- permission-aware getters -------------------------------------------------------------------


def rounds_for_reader(user: AnyUser) -> QuerySet[Round]:
    """Rounds whose results a user may read: all for the office and leaders, published else."""
    rounds = Round.objects.order_by("-year", "code")
    if permissions.has(user, "preview_results"):
        return rounds.exclude(status=Round.Status.DRAFT)
    return rounds.filter(snapshot__isnull=False)


def get_round_for_reader(user: AnyUser, pk: int) -> Round:
    """A round whose results the user may read (404 for a round they may not see)."""
    if not permissions.has(user, "view_results"):
        raise PermissionDenied
    return get_object_or_404(rounds_for_reader(user), pk=pk)


def get_round_for_office(user: AnyUser, pk: int) -> Round:
    """A round the PAR office analyses, publishes or enters survey points for."""
    if not permissions.has(user, "analyse_results"):
        raise PermissionDenied
    return get_object_or_404(Round.objects.exclude(status=Round.Status.DRAFT), pk=pk)


def get_unit_for_reader(user: AnyUser, round_: Round, unit_code: str) -> Unit:
    """A unit of a round whose detailed results the user may read."""
    unit = get_object_or_404(Unit.objects.select_related("unit_type"), code=unit_code)
    if not Assessment.objects.filter(round=round_, unit=unit).exists():
        raise Http404
    if not permissions.has(user, "view_unit_results", unit):
        raise PermissionDenied
    return unit


def get_round_for_document(user: AnyUser, pk: int, kind: str) -> Round:
    """A round whose document of this kind the user may download: the same rule as the page
    the document comes from (the report's appendix is the office's analysis)."""
    from parindex.results.documents import ANALYSIS_KINDS, KINDS

    round_ = get_round_for_reader(user, pk)
    if kind not in KINDS:
        raise Http404
    if kind in ANALYSIS_KINDS and not permissions.has(user, "analyse_results"):
        raise PermissionDenied
    return round_


def document_scope(user: AnyUser, round_: Round) -> Scope:
    """How far a user's documents of a round reach: the units whose results pages they read,
    and the analysis if they read it (see `documents.Scope`)."""
    from parindex.results.documents import Scope

    sees_analysis = permissions.has(user, "analyse_results")
    if permissions.has(user, "view_unit_results"):  # every unit's page, without naming one
        return Scope(unit_codes=None, sees_analysis=sees_analysis)
    codes = Assessment.objects.filter(
        round=round_, unit_id__in=permissions.unit_ids(user)
    ).values_list("unit__code", flat=True)
    return Scope(unit_codes=frozenset(codes), sees_analysis=sees_analysis)


def get_public_round(pk: int) -> Round:
    """A published round whose results page is open to everyone."""
    return get_object_or_404(
        Round.objects.filter(snapshot__isnull=False, public_page__isnull=False), pk=pk
    )


def is_public(round_: Round) -> bool:
    return PublicPage.objects.filter(round=round_).exists()


def dashboard_items(user: AnyUser) -> list[dict[str, Any]]:
    """Home-page lines: rounds waiting to be published (office), published results (everyone)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    items: list[dict[str, Any]] = []
    if permissions.has(user, "analyse_results"):
        for round_ in Round.objects.filter(
            status=Round.Status.FINALISED, snapshot__isnull=True
        ).order_by("-year"):
            items.append(
                {
                    "label": _("%(round)s is finalised: review and publish its results")
                    % {"round": round_.code},
                    "url": reverse("results:ranking", args=[round_.pk]),
                }
            )
    if permissions.has(user, "view_results"):
        for round_ in Round.objects.filter(snapshot__isnull=False).order_by("-year")[:3]:
            items.append(
                {
                    "label": _("Published results: %(name)s") % {"name": round_.name},
                    "url": reverse("results:ranking", args=[round_.pk]),
                }
            )
    return items
