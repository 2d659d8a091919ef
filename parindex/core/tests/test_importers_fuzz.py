"""Every importer refuses garbage cleanly (issue 10): random bytes and mutated real files, built
here, end in the importer's own refusal (or, when still valid, are accepted), never in another
exception. Files are mutated both as bytes and inside their ZIP members, so the XML parser, the
cell rules and the importers' own checks all see damaged input, not only the ZIP layer. It
tests every app's importer, so it sits with core's tests of the assembled site.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.accounts import services as account_services
from parindex.assessments import scorefile
from parindex.documents.tables import write_csv, write_xlsx
from parindex.documents.xlsx import Sheet
from parindex.indexsets import files
from parindex.indexsets.problems import IndexSetRefused
from parindex.indexsets.tests.factories import SMALL_YAML
from parindex.national import importing
from parindex.units import services as unit_services

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

UNITS = [
    ["code", "name", "unit_type", "parent_code", "peer_group"],
    ["HT", "Tỉnh Hà Thanh", "TINH", "", ""],
    ["SNV", "Sở Nội vụ", "SO", "HT", "SO-A"],
]
USERS = [
    ["username", "full_name", "email", "role", "unit_code"],
    ["nva", "Nguyễn Văn A", "a@example.gov.vn", "viewer", ""],
]
SCORES = [
    ["unit_code", "criterion_code", "stage", "points", "note"],
    ["HOME", "1.1", "self", "0.5", "Ban hành chậm"],
    ["HOME", "1.2", "appraised", "1", ""],
]
NATIONAL: list[list[object]] = [
    ["year", "province", "index_percent", "area_1", "area_2"],
    [2022, "Hà Tĩnh", "85.95", "90", "80.5"],
]
APPRAISED: list[list[object]] = [
    ["criterion_code", "criterion_name", "max_points", "points", "owner"],
    ["1.1", "Ban hành kế hoạch", "1", "0.5", "SNV"],
]


def _seeds(rows: Sequence[Sequence[object]]) -> list[bytes]:
    return [write_csv(rows), write_xlsx([Sheet("Sheet", rows)])]


def _index_set_seeds() -> list[bytes]:
    source = files.read_index_set_file(SMALL_YAML.encode(), "small.yaml")
    return [SMALL_YAML.encode(), files.export_file(source, "xlsx").content]


def _mutated(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """Bytes changed at positions, then possibly truncated."""
    buffer = bytearray(data)
    for position, value in edits:
        if buffer:
            buffer[position % len(buffer)] = value
    return bytes(buffer[: max(len(buffer) - cut, 0)])


def _mutated_member(data: bytes, pick: int, edits: list[tuple[int, int]], cut: int) -> bytes:
    """A ZIP rebuilt with one member's bytes mutated (valid CRCs: the XML itself is damaged)."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return _mutated(data, edits, cut)
    names = source.namelist()
    target = names[pick % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            content = source.read(name)
            archive.writestr(name, _mutated(content, edits, cut) if name == target else content)
    return out.getvalue()


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8)


@st.composite
def hostile_inputs(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """Random bytes, or a seed file mutated as bytes or inside one of its ZIP members."""
    kind = draw(st.sampled_from(["random", "bytes", "member"]))
    if kind == "random":
        return draw(st.binary(max_size=2000))
    seed = draw(st.sampled_from(seeds))
    cut = draw(st.integers(0, 40))
    if kind == "bytes":
        return _mutated(seed, draw(edits), cut)
    return _mutated_member(seed, draw(st.integers(0, 20)), draw(edits), cut)


def _accepted_or_refused(call: Callable[[], object], refusal: type[Exception]) -> None:
    with contextlib.suppress(refusal):
        call()


@EXAMPLES
@given(data=hostile_inputs(_seeds(UNITS)), name=st.sampled_from(["units.csv", "units.xlsx", ""]))
def test_units_import_only_refuses_cleanly(data, name):
    def run() -> None:
        unit_services.plan_import(unit_services.read_rows(name, data))

    _accepted_or_refused(run, unit_services.UnitError)


@EXAMPLES
@given(data=hostile_inputs(_seeds(USERS)))
def test_users_import_only_refuses_cleanly(admin, data):
    def run() -> None:
        account_services.import_users(by=admin, text=data, dry_run=True)

    _accepted_or_refused(run, account_services.ImportFailed)


@EXAMPLES
@given(data=hostile_inputs(_seeds(SCORES)), name=st.sampled_from(["scores.csv", "scores.xlsx"]))
def test_scores_file_only_refuses_cleanly(data, name):
    _accepted_or_refused(lambda: scorefile.read(io.BytesIO(data), name), scorefile.FileUnreadable)


@EXAMPLES
@given(data=hostile_inputs(_index_set_seeds()), name=st.sampled_from(["set.yaml", "set.xlsx"]))
def test_index_set_file_only_refuses_cleanly(data, name):
    _accepted_or_refused(lambda: files.read_index_set_file(data, name), IndexSetRefused)


@EXAMPLES
@given(data=hostile_inputs(_seeds(NATIONAL) + _seeds(APPRAISED)))
def test_national_imports_only_refuse_cleanly(data):
    _accepted_or_refused(lambda: importing.parse_tables(data), importing.ImportFailed)
    _accepted_or_refused(lambda: importing.parse_appraised(data), importing.ImportFailed)
