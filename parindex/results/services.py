"""Writes for results: survey points, publication (the frozen snapshot), the public page.

Publication is the one place where a round's results become final: `publish_round` stores the
inputs, the engine's outputs and the engine version in one `Snapshot` with a SHA-256 and marks
the round and its assessments published, after which every score-changing service refuses
(`ensure_scores_editable`). `verify_round` proves the snapshot unchanged.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.types import User
from parindex.assessments import services as assessment_services
from parindex.core import audit
from parindex.core.refusals import Refused
from parindex.results import computing, queries
from parindex.results.models import PublicPage, Snapshot
from parindex.rounds import services as rounds_services
from parindex.rounds.models import Round


class ResultsRefused(Refused):
    """The action is not allowed in the round's current state; the message says why."""

    default_code = "results.refused"


class Conflict(ResultsRefused):
    """Someone else saved the value since it was read (optimistic locking)."""

    default_code = "results.conflict"


def ensure_scores_editable(round_: Round) -> None:
    """Refuse any change of a score once the round's results are published (frozen)."""
    if round_.status == Round.Status.PUBLISHED or Snapshot.objects.filter(round=round_).exists():
        raise ResultsRefused(
            _("The results of this round are published; scores no longer change."),
            code="results.published",
        )


# -- survey points ------------------------------------------------------------------------------


@transaction.atomic
def save_survey_points(
    *, by: User | None, round_: Round, values: dict[int, tuple[str, int]]
) -> tuple[int, list[str]]:
    """Store survey values typed per unit and survey criterion: all or nothing, problems listed,
    while the round's results are not published (the items are assessments': its service saves).

    `values` maps an item id to (typed text, version read). Returns (items changed, problems);
    when there is any problem nothing is saved.
    """
    round_ = rounds_services.lock_round(round_)
    ensure_scores_editable(round_)
    try:
        return assessment_services.save_survey_points(by=by, round_=round_, values=values)
    except assessment_services.Conflict:
        raise Conflict(_("Someone else saved these values meanwhile; reload the page.")) from None


# -- publication --------------------------------------------------------------------------------


@transaction.atomic
def publish_round(*, by: User | None, round_: Round) -> Snapshot:
    """Freeze a finalised round: inputs, outputs and engine version in one hashed snapshot."""
    round_ = rounds_services.lock_round(round_, exclusive=True)
    if Snapshot.objects.filter(round=round_).exists():
        raise ResultsRefused(
            _("This round is already published."), code="results.already_published"
        )
    if round_.status != Round.Status.FINALISED:
        raise ResultsRefused(
            _("Only a finalised round can be published."), code="results.round_not_finalised"
        )
    texts = queries.snapshot_texts(round_)
    if texts is None:
        raise ResultsRefused(
            _("The round has no assessed units to publish."), code="results.nothing_to_publish"
        )
    inputs_text, outputs_text = texts
    version = computing.engine_version()
    with _parameters_apart():
        snapshot = Snapshot.objects.create(
            round=round_,
            engine_version=version,
            inputs=inputs_text.decode("utf-8"),
            outputs=outputs_text.decode("utf-8"),
            sha256=computing.digest(version, inputs_text, outputs_text),
            published_by=by if getattr(by, "is_authenticated", False) else None,
        )
    rounds_services.mark_published(by=by, round_=round_)
    # The seal lives in the audit log, outside the rows it protects (see `verify_round`).
    seal = computing.seal(settings.PUBLICATION_KEY, version, inputs_text, outputs_text)
    audit.record(
        snapshot,
        "results.published",
        by=by,
        new={"sha256": snapshot.sha256, "engine_version": version, "hmac": seal},
    )
    return snapshot


@contextmanager
def _parameters_apart() -> Iterator[None]:
    """On PostgreSQL, the block's statements send their parameters apart from the SQL text
    (psycopg's server-side binding; decision 0040). Django binds on the client by default:
    psycopg quoted a national snapshot's ~30 MB of text into the INSERT and the server parsed
    it back, 0.38 s against 0.15 s with the texts sent apart. Elsewhere, nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    client_binding = raw.cursor_factory
    raw.cursor_factory = ServerBindingCursor
    try:
        yield
    finally:
        raw.cursor_factory = client_binding


def seal_of(snapshot: Snapshot) -> str:
    """The HMAC-SHA256 of a snapshot's content under the publication key (settings)."""
    return computing.seal(
        settings.PUBLICATION_KEY, snapshot.engine_version, snapshot.inputs, snapshot.outputs
    )


@dataclass
class Verification:
    """What `verify` found: the snapshot's digest and every difference (empty when intact)."""

    sha256: str
    engine_version: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_intact(self) -> bool:
        return not self.problems


@computing.collector_paused()
def verify_round(*, round_: Round) -> Verification:
    """Prove a published round unchanged: the SHA-256 and the HMAC kept in the audit log match
    the snapshot, the engine recomputes its outputs from its inputs, and the live assessment
    data still gives the same inputs."""
    snapshot = Snapshot.objects.filter(round=round_).first()
    if snapshot is None:
        raise ResultsRefused(
            _("This round is not published: there is no snapshot to verify."),
            code="results.not_published",
        )
    report = Verification(snapshot.sha256, snapshot.engine_version)
    # the stored texts in UTF-8 once: hashed twice and compared with what is computed now
    stored_inputs, stored_outputs = snapshot.inputs.encode(), snapshot.outputs.encode()
    expected = computing.digest(snapshot.engine_version, stored_inputs, stored_outputs)
    if expected != snapshot.sha256:
        report.problems.append(
            _("SHA-256 differs: stored %(stored)s, contents give %(actual)s.")
            % {"stored": snapshot.sha256, "actual": expected}
        )
    _check_seal(snapshot, report, stored_inputs, stored_outputs)
    live: dict[str, Any] | None = None
    live_text = b""
    try:
        live = queries.round_inputs(round_)
        live_text = computing.canonical_bytes(live)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        live = None
        report.problems.append(
            _("The live assessment data cannot be compared with the snapshot: %(error)s")
            % {"error": error}
        )
    if live_text != stored_inputs:
        live_differs, live = live is not None, None
    else:  # the same canonical text is the same data: the engine is fed the inputs in memory
        live_differs = False  # instead of parsing ~20 MB of the snapshot's text into them
    try:
        inputs = live if live is not None else computing.parse_json(snapshot.inputs)
        recomputed = computing.outputs_of(computing.compute(inputs, is_provisional=False))
    except (ValueError, KeyError, TypeError, engine.EngineError) as error:
        report.problems.append(
            _("The stored inputs cannot be recomputed: %(error)s") % {"error": error}
        )
        return report
    recomputed_text = computing.canonical_bytes(recomputed)
    if recomputed_text != stored_outputs:  # same text, same figures: nothing to list
        report.problems.extend(
            computing.differences(
                computing.parse_json(snapshot.outputs), computing.parse_json(recomputed_text)
            )
        )
    # names and ranking groups may change after publication; assessment data may not
    changed = (
        computing.input_differences(inputs, computing.parse_json(live_text)) if live_differs else []
    )
    if changed:
        report.problems.append(
            _(
                "The assessment data in the database no longer gives the snapshot's inputs "
                "(%(n)s difference(s)): published scores were changed outside the application."
            )
            % {"n": len(changed)}
        )
        report.problems.extend(changed)
    current = computing.engine_version()
    if current != snapshot.engine_version:
        report.notes.append(
            _("Published with engine %(then)s; recomputed with %(now)s.")
            % {"then": snapshot.engine_version, "now": current}
        )
    return report


def _check_seal(snapshot: Snapshot, report: Verification, inputs: bytes, outputs: bytes) -> None:
    """Compare the snapshot's HMAC under the publication key with the one the audit log kept
    (`inputs` and `outputs`: the snapshot's texts in UTF-8)."""
    kept = queries.publication_seal(snapshot)
    if kept is None:
        report.problems.append(
            _("The audit log has no entry for this publication: its seal cannot be checked.")
        )
        return
    if not kept:
        report.notes.append(_("Published before snapshots were sealed: there is no HMAC to check."))
        return
    seal = computing.seal(settings.PUBLICATION_KEY, snapshot.engine_version, inputs, outputs)
    if not hmac.compare_digest(kept, seal):
        report.problems.append(
            _(
                "HMAC differs from the one recorded at publication: the snapshot was rewritten, "
                "or the publication key (PUBLICATION_KEY) is not the one used to publish it."
            )
        )


@transaction.atomic
def set_public_page(*, by: User | None, round_: Round, is_public: bool) -> None:
    """Open or close the no-login results page of a published round."""
    if not Snapshot.objects.filter(round=round_).exists():
        raise ResultsRefused(
            _("Only a published round can have a public results page."),
            code="results.not_published",
        )
    page = PublicPage.objects.filter(round=round_).first()
    if is_public and page is None:
        PublicPage.objects.create(round=round_, opened_by=by)
        audit.record(round_, "results.public_opened", by=by, old=False, new=True)
    elif not is_public and page is not None:
        page.delete()
        audit.record(round_, "results.public_closed", by=by, old=True, new=False)
