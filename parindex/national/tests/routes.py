"""Permission matrix entries for the national PAR Index: the office imports and edits; the
council and leaders (viewer) read the tables and the analysis; appraisers, unit officers and
outsiders see none of it."""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, Route
from parindex.national.models import Province, ProvinceAlias
from parindex.national.names import name_key
from parindex.national.tests.factories import make_table

READERS = OFFICE | {"council", "viewer"}


def setup(world):
    world.national_table = make_table(2022, {"Hà Tĩnh": "85.95", "Quảng Ninh": "93.12"})
    world.alias = ProvinceAlias.objects.create(
        alias="Tỉnh Hà Tình", key=name_key("Hà Tình"), province=Province.objects.get(name="Hà Tĩnh")
    )


def _analysis(world):
    return {"province": "Hà Tĩnh", "year": 2022}


ROUTES = [
    Route("national:overview", READERS),
    Route("national:import", OFFICE),
    # Without a pending import the confirmation page sends the office back to the import form.
    Route("national:import_confirm", OFFICE, ok=302),
    Route("national:year", READERS, kwargs=lambda w: {"year": 2022}),
    Route("national:year_areas", OFFICE, kwargs=lambda w: {"year": 2022}),
    Route("national:analysis", READERS, data=_analysis),
    Route("national:analysis_docx", READERS, data=_analysis),
    Route("national:analysis_xlsx", READERS, data=_analysis),
    # Reading the analysis and managing monitoring's plans: the office.
    Route("national:remediation", OFFICE, data=_analysis),
    Route("national:survey", READERS, data=lambda w: {"year": 2022}),
    Route("national:provinces", READERS),
    # An empty form is refused and the page is shown again with its errors.
    Route("national:alias_add", OFFICE, method="post"),
    # admin deletes the alias first, so the par_officer then finds nothing to delete.
    Route(
        "national:alias_delete",
        OFFICE,
        kwargs=lambda w: {"pk": w.alias.pk},
        method="post",
        ok=302,
        statuses={"par_officer": 404},
    ),
    Route("national:settings", OFFICE),
    Route("national:appraised_import", OFFICE),
]
