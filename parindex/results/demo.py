"""Demo results: publish the previous year's round so the demo shows frozen results.

The rounds demo creates a finalised round for the previous year and a current round in
progress; this step publishes the former (snapshot, SHA-256, public page) and leaves the current
round as a provisional preview ("Tạm tính").
"""

from __future__ import annotations

from types import SimpleNamespace

from parindex.accounts.models import Role, User
from parindex.results import services
from parindex.results.models import Snapshot
from parindex.rounds.models import Round


def load(world: SimpleNamespace) -> None:
    """Publish the latest finalised round older than the newest round, and open its public page."""
    newest = Round.objects.order_by("-year").values_list("year", flat=True).first()
    if newest is None:
        return
    candidate = (
        Round.objects.filter(status=Round.Status.FINALISED, year__lt=newest)
        .exclude(pk__in=Snapshot.objects.values("round_id"))
        .order_by("-year")
        .first()
    )
    if candidate is None:
        return
    officer = getattr(world, "par_officer", None) or (
        User.objects.filter(role_assignments__role=Role.PAR_OFFICER).order_by("pk").first()
    )
    snapshot = services.publish_round(by=officer, round_=candidate)
    services.set_public_page(by=officer, round_=candidate, is_public=True)
    world.published_round = candidate
    world.results_sha256 = snapshot.sha256
