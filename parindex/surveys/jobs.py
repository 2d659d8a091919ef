"""Surveys' background job: apply a campaign's points to its round (the service
`parindex survey apply` runs in the foreground). Registered in `SurveysConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.jobs import kinds, services
from parindex.jobs.models import Job
from parindex.surveys import queries
from parindex.surveys.models import Campaign
from parindex.surveys.services import apply


def run_apply(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    campaign = Campaign.objects.select_related("round").get(pk=job.arguments["campaign"])
    progress.step(0, 1, _("Computing and writing the survey points…"))
    applied = apply.apply_campaign(campaign=campaign, by=job.by)  # a refusal fails the job
    return kinds.Outcome(
        message=_("%(n)d survey value(s) written into round %(round)s.")
        % {"n": applied.written, "round": campaign.round.code},
        url=reverse("surveys:campaign_results", args=[campaign.pk]),
    )


def may_open(user: Any, job: Job) -> bool:
    try:
        queries.get_campaign_for_manager(user, job.arguments["campaign"])
    except (Http404, PermissionDenied):
        return False
    return True


def _describe(job: Job) -> str:
    campaign = Campaign.objects.filter(pk=job.arguments.get("campaign")).first()
    return str(campaign) if campaign else "—"


def enqueue_apply(*, campaign: Campaign, by: Any) -> Job:
    """Apply the campaign in the background; asked again before anything changed, the same job."""
    return services.enqueue(
        kind="surveys.apply",
        arguments={"campaign": campaign.pk},
        by=by,
        key=f"surveys.apply:{campaign.pk}:{services.data_revision()}",
    )


def register() -> None:
    kinds.register(
        kinds.JobKind(
            "surveys.apply",
            gettext_lazy("Survey points applied to a round"),
            run_apply,
            may_open=may_open,
            describe=_describe,
        )
    )
