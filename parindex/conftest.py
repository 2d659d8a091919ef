"""Personas shared by every app's tests: one user per role, plus an outsider with no role."""

from __future__ import annotations

import atexit
import fcntl
import functools
import gc
import importlib
import os
import pickle
import shutil
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

from parindex.accounts.models import Role, RoleAssignment, User
from parindex.accounts.tests.factories import PASSWORD, UserFactory
from parindex.core.refusals import Refused
from parindex.units.tests.factories import UnitFactory, unit_type

PERSONAS = (
    "admin",
    "par_officer",
    "appraiser",
    "council",
    "unit_editor",
    "unit_head",
    "viewer",
    "outsider",
)

# Each persona's username, role and whether the role is scoped to the home unit.
PERSONA_USERS = {
    "admin": ("p_admin", Role.ADMIN, False),
    "par_officer": ("p_officer", Role.PAR_OFFICER, False),
    "appraiser": ("p_appraiser", Role.APPRAISER, False),
    "council": ("p_council", Role.COUNCIL, False),
    "unit_editor": ("p_editor", Role.UNIT_EDITOR, True),
    "unit_head": ("p_head", Role.UNIT_HEAD, True),
    "viewer": ("p_viewer", Role.VIEWER, False),
    "outsider": ("p_outsider", None, False),
}


def make_user(username: str, role: str | None = None, unit=None) -> User:
    """A user holding one role (scoped to `unit` for unit roles)."""
    user = UserFactory.create(username=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


@contextmanager
def refuses(code: str, kind: type[Refused] = Refused) -> Iterator[pytest.ExceptionInfo[Refused]]:
    """Expect a refusal of `kind` with the stable `code` (the sentence belongs to translators):
    `with refuses("round.finalised"): ...`."""
    with pytest.raises(kind) as info:
        yield info
    assert info.value.code == code, f"refused as {info.value.code!r}, not {code!r}: {info.value}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counts do not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def one_rate_window(time_machine):
    """The clock stopped at the start of a rate-limit window, for a test that counts requests
    against a limit: limits count in fixed windows aligned to the clock, and requests that
    straddled a boundary would start a new count (an API test once got 200 for its fourth
    call of three allowed a minute)."""
    time_machine.move_to("2026-11-29 10:00", tick=False)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request's locale middleware leaves the
    language it chose active in the thread (English after a request that asked for it)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _revisions_at_once(monkeypatch):
    """A test's transaction never commits, so the data revision is drawn anew at each write
    rather than at commit (`parindex.core.revisions`): caches keyed by it see every change."""
    from parindex.core import revisions

    monkeypatch.setattr(revisions, "touch", revisions._bump)


@dataclass
class DemoCopy:
    """What one real `load_demo()` left: every table's rows, the world it returned (pickled,
    so each use gets its own objects) and the folder holding the files it stored."""

    tables: dict[str, tuple[list[str], list[tuple]]]
    world: bytes
    media: Path


def demo_tables() -> list[str]:
    """The tables of the project's models (the cache table and migrations' record excluded)."""
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _shared_copy_path(run: str) -> Path:
    """Where the processes of one run share the demo copy (`.pickle`, `.lock`, `-media/`)."""
    return Path(tempfile.gettempdir()) / f"parindex-demo-{run}"


@functools.cache
def _demo_copy() -> DemoCopy:
    """This process's copy of the demo. The processes of one pytest-xdist run share it through a
    file: the first to need it loads the demo while the others wait for it, then read it."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return _copy_demo()
    path = _shared_copy_path(run)
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.with_suffix(".pickle").exists():
            return pickle.loads(path.with_suffix(".pickle").read_bytes())
        copy = _copy_demo(Path(f"{path}-media"))
        path.with_suffix(".pickle").write_bytes(pickle.dumps(copy))
        return copy


def pytest_configure(config: pytest.Config) -> None:
    """Collect garbage less often, and name the pytest-xdist run here, so that its end can
    remove the demo copy it shared.

    A test process holds a large heap (Django, the demo copy) that every full collection walks:
    with Python's default thresholds the collector took about a tenth of the tests' CPU time.
    """
    gc.set_threshold(50_000, 20, 20)
    if hasattr(config, "workerinput"):
        atexit.register(_exit_without_freeing)
    elif config.getoption("numprocesses", None):
        config.option.testrunuid = config.option.testrunuid or uuid.uuid4().hex


# The main process prints the summary only once both workers have exited, and a worker's heap
# holds by then a run's worth of garbage that the raised thresholds left in the oldest
# generation. Sweeping it (pytest's last collection, for exceptions raised in finalisers) and
# then freeing the rest object by object took about 2.5 s of the run's wall time
# (`pytest_unconfigure` below freezes the heap, `_exit_without_freeing` ends the process).
def _exit_without_freeing() -> None:
    """End a worker once its reports are sent and its other exit handlers have run (registered
    later, they run first), without freeing its heap object by object."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# The test files that take seconds (`pytest --durations=0`, summed per file), slowest first.
# pytest-xdist hands whole files to its two processes in collection order, the files with the
# most tests first unless told otherwise: these go first so that neither process is left
# finishing a slow file alone at the end, and the dashboards (the run's real demo load) start
# while the other process runs the permission matrix.
SLOW_FILES = (
    "core/tests/test_permission_matrix.py",
    "core/tests/test_dashboards.py",
    "core/tests/test_download_rules.py",
    "core/tests/test_backup.py",
    "surveys/tests/test_views.py",
    "core/tests/test_search.py",
    "results/tests/test_views.py",
    "accounts/tests/test_limits.py",
    "results/tests/test_jobs.py",
    "results/tests/test_bench.py",
    "surveys/tests/test_demo.py",
    "indexsets/tests/test_commands.py",
    "documents/tests/test_render.py",
    "assessments/tests/test_history.py",
    "monitoring/tests/test_demo.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the files: SLOW_FILES first, then the others by their number of tests (a stable
    sort: pytest-randomly's order stays within a file and among equals)."""
    root = Path(__file__).parent
    if missing := [name for name in SLOW_FILES if not (root / name).exists()]:
        raise pytest.UsageError(f"SLOW_FILES in {__file__} names missing files: {missing}")
    rank = {str(root / name): place for place, name in enumerate(SLOW_FILES)}
    tests = Counter(str(item.path) for item in items)
    items.sort(key=lambda item: (rank.get(str(item.path), len(rank)), -tests[str(item.path)]))


def _large_frame_runner(slots: int) -> Callable[..., Any]:
    """A function that calls its argument from a frame of `slots` local variables."""
    names = " = ".join(f"_{slot}" for slot in range(slots))
    source = (
        "def run(function, *args):\n"
        f"    if False:\n        {names} = None\n"
        "    return function(*args)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<large frame>", "exec"), namespace)  # noqa: S102 (our own source)
    return namespace["run"]


# CPython 3.11 keeps its frames in 16 KiB chunks and unmaps a chunk as soon as the frame at its
# base returns (python/cpython#142183, fixed in later 3.13 releases and 3.14): a request whose
# calls go back and forth across a chunk's edge maps and unmaps it each time, about 200 times per
# request in the test client, a tenth of the suite's CPU time spent in the kernel. The tests run
# from a frame of 128 KiB, which gets a chunk of 256 KiB whose other half holds every frame they
# push; the chunk is mapped once per process (once per test cost more user time than it saved).
_in_a_large_frame = _large_frame_runner(16_384)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> object:
    """Run the tests as pytest (or pytest-xdist's worker) would, from the large frame."""
    others = session.config.pluginmanager.subset_hook_caller(
        "pytest_runtestloop", remove_plugins=[sys.modules[__name__]]
    )
    return _in_a_large_frame(lambda: others(session=session))


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A worker's last collection skips the heap it leaves (frozen); the main process removes
    the demo copy its workers shared."""
    if hasattr(config, "workerinput"):
        gc.freeze()
        return
    if run := getattr(config.option, "testrunuid", None):
        path = _shared_copy_path(run)
        for suffix in (".pickle", ".lock"):
            path.with_suffix(suffix).unlink(missing_ok=True)
        shutil.rmtree(f"{path}-media", ignore_errors=True)


def _copy_demo(media: Path | None = None) -> DemoCopy:
    """Load the demo for real in a savepoint, read back every table, and roll it back; the
    files it stores go to `media` (a folder removed when this process ends by default)."""
    from parindex.core.demo import load_demo

    if media is None:
        media = Path(tempfile.mkdtemp(prefix="parindex-demo-media-"))
        atexit.register(shutil.rmtree, media, ignore_errors=True)
    tables: dict[str, tuple[list[str], list[tuple]]] = {}
    with override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = pickle.dumps(load_demo())
        with connection.cursor() as cursor:
            for table in demo_tables():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                columns = [column[0] for column in cursor.description]
                tables[table] = (columns, cursor.fetchall())
        transaction.set_rollback(True)
    return DemoCopy(tables, world, media)


def load_demo_quickly() -> SimpleNamespace:
    """The demo province, as `parindex.core.demo.load_demo()` makes it, in a fraction of a second.

    The first call in a test run loads it for real (seconds) and keeps a copy of every table
    and stored file (`_demo_copy`); each call then empties the tables and writes the copy back,
    inside the caller's transaction, and copies the files into MEDIA_ROOT. Rows keep their
    primary keys, so the world's objects (unpickled afresh each time) point at them.
    """
    quote = connection.ops.quote_name
    copy = _demo_copy()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in demo_tables():
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, (columns, rows) in copy.tables.items():
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        # New rows go after the copied ones (PostgreSQL's sequences did not see them; SQLite's
        # AUTOINCREMENT did). A sequence is not rolled back, which does no harm.
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    shutil.copytree(copy.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    ContentType.objects.clear_cache()
    return pickle.loads(copy.world)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The whole demo province, loaded once per test module and rolled back after it (the first
    module of a test process loads it for real, the others get a copy: `load_demo_quickly`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_quickly()
        transaction.set_rollback(True)


@pytest.fixture
def home_unit(db):
    """The unit the unit_editor and unit_head personas act for."""
    return UnitFactory(code="HOME", name="Sở Nhà", unit_type=unit_type("SO"))


@pytest.fixture
def other_unit(db):
    """A unit none of the personas acts for."""
    return UnitFactory(code="OTHER", name="Sở Khác", unit_type=unit_type("SO"))


@pytest.fixture
def admin(db):
    return make_user("p_admin", Role.ADMIN)


@pytest.fixture
def par_officer(db):
    return make_user("p_officer", Role.PAR_OFFICER)


@pytest.fixture
def appraiser(db):
    return make_user("p_appraiser", Role.APPRAISER)


@pytest.fixture
def council(db):
    return make_user("p_council", Role.COUNCIL)


@pytest.fixture
def unit_editor(home_unit):
    return make_user("p_editor", Role.UNIT_EDITOR, home_unit)


@pytest.fixture
def unit_head(home_unit):
    return make_user("p_head", Role.UNIT_HEAD, home_unit)


@pytest.fixture
def viewer(db):
    return make_user("p_viewer", Role.VIEWER)


@pytest.fixture
def outsider(db):
    return make_user("p_outsider")


@pytest.fixture
def persona(request):
    """Indirect fixture: `persona` parametrised with a name from PERSONAS (or 'anonymous')."""
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright (end-to-end tests only)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The data migrations' seeding functions (idempotent). A transactional test ends with a flush
# that empties every table, seeded rows included; these put them back.
SEEDS = [
    ("parindex.units.migrations.0002_standard_unit_types", "add_types"),
    ("parindex.national.migrations.0002_seed_provinces", "seed"),
]


def reseed() -> None:
    """Put back the rows the data migrations create, where a flush removed them."""
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """After a transactional test's closing flush, put the seeded rows back at once.

    pytest-django runs transactional tests last, but with two processes (pytest-xdist) the tests
    that follow one on its process would otherwise find no unit types or provinces.
    """
    result = yield
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed()
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with its seeded rows even when a reused database lost them, and the
    objects a migration adds beside the tables (the tests create tables without migrations):
    on PostgreSQL, the extension `unaccent` that searches fold with."""
    unaccent = importlib.import_module("parindex.core.migrations.0004_unaccent")
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            unaccent.create_unaccent(apps, editor)
        reseed()


@pytest.fixture
def page(browser, transactional_db, live_server):
    """A fresh browser page (Vietnamese locale) whose relative URLs go to the live server.

    The live server needs committed data, hence a transactional database; an earlier browser
    test's closing flush emptied the seeded tables, so they are seeded again first.
    """
    reseed()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    violations = watch_security_policy(context)
    page = context.new_page()
    page.on("console", lambda message: report_policy_message(message.text, violations))
    page.set_default_timeout(10_000)
    page.csp_violations = violations
    yield page
    context.close()
    # Every browser test doubles as a check of the Content-Security-Policy (issue 10, finding 11).
    assert violations == [], f"the page broke the security policy: {violations}"


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportSecurityPolicyViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " in "
    + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def watch_security_policy(context) -> list[str]:
    """Collect every securitypolicyviolation event of every page and frame of the context."""
    violations: list[str] = []
    context.expose_function("reportSecurityPolicyViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    return violations


def report_policy_message(text: str, violations: list[str]) -> None:
    """Console errors about the CSP or the Permissions-Policy count as violations too."""
    if "Content Security Policy" in text or "Permissions-Policy" in text:
        violations.append(text)


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through the login form like a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
