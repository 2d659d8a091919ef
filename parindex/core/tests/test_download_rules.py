"""Every download obeys the rule of the page it comes from (issue 10, finding 2).

Each download or export URL is paired with the page(s) that show its data. For every persona
the download answers 200 exactly when one of its pages does: nobody downloads what no page of
theirs shows. A completeness check fails when a URL of the permission matrix answers with a
file and has no pair here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from parindex.conftest import PERSONAS
from parindex.core.tests.test_permission_matrix import ROUTES, world  # noqa: F401 (fixture)


@dataclass(frozen=True)
class Get:
    """A GET request of a named URL, its arguments taken from the matrix's world."""

    name: str
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = lambda w: {}
    params: dict[str, str] = field(default_factory=dict)

    def url(self, objects: SimpleNamespace) -> str:
        return reverse(self.name, kwargs=self.kwargs(objects))

    def send(self, client: Any, objects: SimpleNamespace) -> Any:
        return client.get(self.url(objects), self.params)


@dataclass(frozen=True)
class Pair:
    """A download and the pages whose data it holds (allowed when any of them is)."""

    label: str
    download: Get
    pages: tuple[Get, ...]


def _round(attr: str) -> Callable[[SimpleNamespace], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attr).pk}


def _results(kind: str, attr: str) -> Get:
    return Get("results:download", lambda w: {"pk": getattr(w, attr).pk, "kind": kind})


RESULT_PAGES = {
    # The ranking page's figures; the workbook adds only the reader's own pages (tested on
    # its content in parindex/results/tests/test_downloads.py).
    "csv": "results:ranking",
    "json": "results:ranking",
    "xlsx": "results:ranking",
    "decision": "results:ranking",
    # The report carries the lost-points appendix of the analysis page.
    "docx": "results:analysis",
    "pdf": "results:analysis",
}
ANALYSIS = {"province": "Hà Tĩnh", "year": "2022"}


def _questionnaire(w: SimpleNamespace) -> dict[str, Any]:
    return {"pk": w.survey_campaign.questionnaire_id}


ITEM_PAGES = (
    Get("assessments:library", lambda w: {"unit_pk": w.home_unit.pk}),
    Get("assessments:item_evidence", lambda w: {"pk": w.home_item.pk}),
)

PAIRS = [
    *(
        Pair(
            f"results-{kind}-{attr}",
            _results(kind, attr),
            (Get(page, _round(attr)),),
        )
        for attr in ("published", "provisional")
        for kind, page in RESULT_PAGES.items()
    ),
    Pair(
        "national-analysis-docx",
        Get("national:analysis_docx", params=ANALYSIS),
        (Get("national:analysis", params=ANALYSIS),),
    ),
    Pair(
        "national-analysis-xlsx",
        Get("national:analysis_xlsx", params=ANALYSIS),
        (Get("national:analysis", params=ANALYSIS),),
    ),
    Pair(
        "national-year-xlsx",
        Get("national:year", lambda w: {"year": 2022}, {"format": "xlsx"}),
        (Get("national:year", lambda w: {"year": 2022}),),
    ),
    *(
        Pair(
            f"province-{kind}",
            Get(f"assessments:province_{kind}", _round("province_assessment")),
            (Get("assessments:province", _round("province_assessment")),),
        )
        for kind in ("xlsx", "docx")
    ),
    Pair(
        "council-minutes-docx",
        Get("assessments:council_minutes_docx", lambda w: {"round_pk": w.round.pk}),
        (Get("assessments:council", lambda w: {"round_pk": w.round.pk}),),
    ),
    Pair(
        "rounds-progress-xlsx",
        Get("rounds:export", _round("round")),
        (Get("rounds:detail", _round("round")),),
    ),
    # A background job's file: its starter's and the office's, like the job's page; the rule of
    # the page the work was asked from is asked again (parindex/jobs/tests/test_kinds.py).
    Pair(
        "job-result-file",
        Get("jobs:download", lambda w: {"pk": w.job.pk}),
        (Get("jobs:detail", lambda w: {"pk": w.job.pk}),),
    ),
    Pair("units-export-csv", Get("units:export"), (Get("units:list"),)),
    Pair("units-export-xlsx", Get("units:export", params={"format": "xlsx"}), (Get("units:list"),)),
    *(
        Pair(
            f"indexset-{attr}-{file_format}",
            Get(
                "indexsets:export",
                # mypy cannot infer a lambda with default arguments
                lambda w, attr=attr, file_format=file_format: {  # type: ignore[misc]
                    "pk": getattr(w, attr).pk,
                    "file_format": file_format,
                },
            ),
            (Get("indexsets:detail", _round(attr)),),
        )
        for attr in ("published_set", "draft_set")
        for file_format in ("yaml", "xlsx")
    ),
    # monitoring (issue 12)
    Pair(
        "monitoring-plan-csv",
        Get("monitoring:plan_export", _round("plan")),
        (Get("monitoring:plan_detail", _round("plan")),),
    ),
    Pair("monitoring-rates-csv", Get("monitoring:rates_csv"), (Get("monitoring:rates"),)),
    Pair(
        "evidence-attached",
        Get("assessments:evidence_file", _round("evidence")),
        ITEM_PAGES,
    ),
    Pair(
        "evidence-in-the-library-only",
        Get("assessments:evidence_file", _round("library_evidence")),
        ITEM_PAGES[:1],
    ),
    # surveys (issue 13): a questionnaire's files, a campaign's machine CSV
    *(
        Pair(
            f"questionnaire-{file_format}",
            Get("surveys:questionnaire_export", _questionnaire, {"format": file_format}),
            (Get("surveys:questionnaire", _questionnaire),),
        )
        for file_format in ("yaml", "xlsx")
    ),
    Pair(
        "survey-results-csv",
        Get("surveys:campaign_results", _round("survey_campaign"), {"format": "csv"}),
        (Get("surveys:campaign_results", _round("survey_campaign")),),
    ),
]
PAIRED = {pair.download.name for pair in PAIRS}


def _once(build: Callable[..., bytes], key: Callable[..., str]) -> Callable[..., bytes]:
    """`build`, remembering its bytes by `key` of its arguments."""
    built: dict[str, bytes] = {}

    def once(*args: Any, **kwargs: Any) -> bytes:
        wanted = key(*args, **kwargs)
        if wanted not in built:
            built[wanted] = build(*args, **kwargs)
        return built[wanted]

    return once


@pytest.fixture(scope="module", autouse=True)
def documents_written_once():
    """A document several personas may download is written (DOCX, PDF, charts) once per module.

    This module is about who may download, not what the files hold: their contents are tested
    with their builders and views. A document is remembered by everything it is written from.
    """
    from parindex.documents import charts, docx, pdf

    with pytest.MonkeyPatch.context() as patch:
        for writer in (docx._Writer, pdf._Writer):
            patch.setattr(writer, "write", _once(writer.write, lambda self: repr(self.spec)))
        for name in ("bar_chart_png", "line_chart_png"):
            chart = getattr(charts, name)
            patch.setattr(charts, name, _once(chart, lambda **kwargs: repr(sorted(kwargs.items()))))
        yield


@pytest.fixture
def files_world(db, world):  # noqa: F811 (the matrix's fixture)
    """The matrix's world, plus a document in the home unit's library attached to nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parindex.assessments import services

    world.library_evidence, _ = services.upload_evidence(
        unit=world.home_unit,
        by=world.unit_editor,
        file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 library only", content_type="application/pdf"),
        title="Quyết định chưa dùng",
    )
    return world


def test_each_download_is_allowed_exactly_when_its_page_is(client, files_world):
    failures = []
    for persona in ("anonymous", *PERSONAS):
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(files_world, persona))
        seen: dict[tuple, int] = {}  # a page's answer to this persona, asked once
        for pair in PAIRS:
            pages = []
            for page in pair.pages:
                key = (page.url(files_world), tuple(sorted(page.params.items())))
                if key not in seen:
                    seen[key] = page.send(client, files_world).status_code
                pages.append(seen[key])
            download = pair.download.send(client, files_world)
            page_allowed = 200 in pages
            if (download.status_code == 200) != page_allowed:
                failures.append(f"{pair.label}, {persona}: {download.status_code}, pages {pages}")
            elif page_allowed and "Content-Disposition" not in download:
                failures.append(f"{pair.label}, {persona}: 200 without a file")
    assert not failures, "\n".join(failures)


def test_every_url_answering_with_a_file_is_paired_with_its_page(client, files_world):
    client.force_login(files_world.admin)
    unpaired = []
    for route in ROUTES.values():
        if route.method != "get" or route.name in PAIRED:
            continue
        url = reverse(route.name, kwargs=route.kwargs(files_world) if route.kwargs else None)
        response = client.get(url, route.data(files_world) if route.data else {})
        if "Content-Disposition" in response:
            unpaired.append(route.name)
    assert not unpaired, f"downloads without a page pairing in {__name__}: {unpaired}"
