"""Scale-out proof: two gunicorn servers and two job workers on PostgreSQL and Redis, under a
bounded loopback load of simulated demo users.

    DATABASE_URL=postgres://…/parindex_load make loadtest       # or:
    .venv/bin/python -m parindex.jobs.loadtest --serve --users 100 --duration 120

With `--serve` it loads the demo province into DATABASE_URL (once), starts its own Redis on a
free loopback port, two gunicorn servers (ports 8101 and 8102, one process each) and two
`parindex worker` processes (RQ), all stateless: sessions, cache and queue are shared, and each
simulated user's requests alternate between the two servers. Without `--serve` it loads the
servers named by `--base`. Every simulated user logs in as a demo user of one role, starts one
background document job if it is the PAR office (polled on the job page until done), then
browses its role's busiest pages with a think time, until the duration ends. It prints requests,
errors and the median and p95 latency per page, and exits non-zero on any error. Every process
it started is stopped at the end (Ctrl+C too). Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

PASSWORD = "demo-parindex-2026"  # parindex.core.demo.DEMO_PASSWORD (not imported: no Django here)
ROOT = Path(__file__).resolve().parents[2]
# Who the simulated users are: (demo login, share of the users). Units' officers and leaders
# are the many; the office and the council are few but read the heaviest pages.
LOGINS = [
    ("stp.canbo", 30),
    ("stp.lanhdao", 15),
    ("lanhdao", 15),
    ("thamdinh", 15),
    ("hoidong", 10),
    ("cchc", 10),
    ("admin", 5),
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    elapsed: float = 0.0  # of the browsing phase

    def add(self, page: str, seconds: float, error: str = "") -> None:
        self.latencies[page].append(seconds)
        if error:
            self.errors[page].append(error)


def _label(path: str) -> str:
    """A page's name in the report: its path with ids replaced."""
    return re.sub(r"/\d+(?=/)", "/<id>", urlparse(path).path)


def _is_local(base: str) -> bool:
    host = urlparse(base).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


async def _get(client: httpx.AsyncClient, stats: Stats, path: str, page: str = "", **kw) -> str:
    started = time.perf_counter()
    try:
        response = await client.get(path, **kw)
    except httpx.HTTPError as failure:
        stats.add(page or _label(path), time.perf_counter() - started, type(failure).__name__)
        return ""
    status = "" if response.status_code == 200 else str(response.status_code)
    stats.add(page or _label(path), time.perf_counter() - started, status)
    return response.text


async def _login(client: httpx.AsyncClient, stats: Stats, username: str) -> bool:
    form = await client.get("/accounts/login/")
    token = CSRF.search(form.text)
    if token is None:
        stats.add("login", 0, f"no login form ({form.status_code})")
        return False
    started = time.perf_counter()
    response = await client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        headers={"Referer": f"{client.base_url}accounts/login/"},
    )
    ok = response.status_code == 302 and "login" not in response.headers.get("location", "")
    stats.add("login", time.perf_counter() - started, "" if ok else str(response.status_code))
    return ok


async def _discover(base: str) -> dict[str, list[str]]:
    """Each login's busiest pages, with the ids of the demo's rounds and assessments."""
    pages: dict[str, list[str]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for username, _share in LOGINS:
            client.cookies.clear()
            if not await _login(client, Stats(), username):
                raise SystemExit(f"cannot log in as {username} at {base}")
            home = (await client.get("/")).text
            found = ["/"]
            results = (await client.get("/results/")).text
            rounds = sorted(set(re.findall(r'href="/results/(\d+)/"', results)), key=int)
            for pk in rounds[-2:]:
                found.append(f"/results/{pk}/")
            links = set(re.findall(r'href="(/[a-z]+/[^"?#]*)"', home))
            for prefix in ("/assessments/", "/rounds/", "/monitoring/", "/surveys/", "/national/"):
                found += sorted(link for link in links if link.startswith(prefix))[:2]
            if username in ("stp.canbo", "stp.lanhdao") and rounds:
                found += [f"/results/{pk}/units/STP/" for pk in rounds[-2:]]
            if username in ("cchc", "admin") and rounds:
                found.append(f"/results/{rounds[-1]}/analysis/")
                found.append("/rounds/")
            found.append("/jobs/")
            checked = []
            for path in dict.fromkeys(found):
                if (await client.get(path)).status_code == 200:
                    checked.append(path)
            pages[username] = checked
    return pages


async def _document_job(client: httpx.AsyncClient, stats: Stats, pages: list[str]) -> None:
    """The office asks for the results workbook in the background and polls its job page."""
    ranking = next((page for page in pages if re.fullmatch(r"/results/\d+/", page)), None)
    if ranking is None:
        return
    text = await _get(client, stats, ranking)
    token = CSRF.search(text)
    if token is None:
        return
    started = time.perf_counter()
    response = await client.post(
        f"{ranking}document/xlsx/",
        data={"csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{client.base_url}{ranking.lstrip('/')}"},
    )
    if response.status_code != 302:
        stats.add("start a document job", 0, str(response.status_code))
        return
    stats.add("start a document job", time.perf_counter() - started)
    job = response.headers["location"]
    for _ in range(300):
        fragment = await _get(
            client, stats, job, "job progress (htmx)", headers={"HX-Request": "1"}
        )
        if "every 1s" not in fragment:
            break
        await asyncio.sleep(1)
    stats.add("document job, start to result", time.perf_counter() - started)


@dataclass
class User:
    """One simulated person: a demo login and one cookie jar used on every server."""

    number: int
    username: str
    clients: list[httpx.AsyncClient]


def _user(number: int, bases: list[str]) -> User:
    weighted = [username for username, share in LOGINS for _ in range(share)]
    random.Random(2026).shuffle(weighted)  # the same mix of roles in every run, and in any prefix
    cookies = httpx.Cookies()  # one session, two servers: no sticky sessions
    # Idle connections are dropped before the server's keep-alive (5 s) would close them.
    limits = httpx.Limits(keepalive_expiry=2)
    clients = [
        httpx.AsyncClient(
            base_url=base, cookies=cookies, timeout=60, follow_redirects=False, limits=limits
        )
        for base in bases
    ]
    return User(number, weighted[number % len(weighted)], clients)


async def _sign_in(user: User, stats: Stats, gate: asyncio.Semaphore) -> bool:
    async with gate:  # a few logins at a time: each hashes a password for about a second
        client = user.clients[user.number % len(user.clients)]
        if not await _login(client, stats, user.username):
            return False
    for other in user.clients:
        other.cookies = client.cookies
    return True


async def _browse(
    user: User, pages: dict[str, list[str]], stats: Stats, end: float, think: float
) -> None:
    if user.username == "cchc":
        await _document_job(user.clients[0], stats, pages[user.username])
    turn = user.number
    while time.monotonic() < end:
        turn += 1
        client = user.clients[turn % len(user.clients)]
        await _get(client, stats, random.choice(pages[user.username]))
        await asyncio.sleep(random.uniform(0.5, 1.5) * think)


async def load(bases: list[str], users: int, duration: float, think: float) -> Stats:
    """Sign every user in, then let them all browse at once for `duration` seconds."""
    for base in bases:
        if not _is_local(base):
            raise SystemExit(f"only loopback servers are load-tested, not {base}")
    pages = await _discover(bases[0])
    stats = Stats()
    people = [_user(number, bases) for number in range(users)]
    try:
        gate = asyncio.Semaphore(8)
        signed = await asyncio.gather(*(_sign_in(user, stats, gate) for user in people))
        print(
            f"{sum(signed)} of {users} users signed in; browsing for {duration:.0f} s", flush=True
        )
        end = time.monotonic() + duration
        started = time.monotonic()
        await asyncio.gather(
            *(
                _browse(user, pages, stats, end, think)
                for user, ok in zip(people, signed, strict=True)
                if ok
            )
        )
        stats.elapsed = time.monotonic() - started
        # The machine's load (every process on it, not only ours) says what the figures mean.
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        for user in people:
            for client in user.clients:
                await client.aclose()
    return stats


def report(stats: Stats, elapsed: float) -> str:
    lines = [
        f"{'page':<40} {'requests':>8} {'errors':>6} {'median ms':>9} {'p95 ms':>8}",
    ]
    total = errors = 0
    for page in sorted(stats.latencies, key=lambda p: -len(stats.latencies[p])):
        times = sorted(stats.latencies[page])
        p95 = times[max(0, int(len(times) * 0.95 + 0.5) - 1)]
        median = statistics.median(times)
        total += len(times)
        errors += len(stats.errors[page])
        lines.append(
            f"{page:<40} {len(times):>8} {len(stats.errors[page]):>6} "
            f"{median * 1000:>9.0f} {p95 * 1000:>8.0f}"
        )
    pages = total - len(stats.latencies.get("login", []))
    lines.append(
        f"total: {total} requests, {errors} errors; pages while all browsed: "
        f"{pages} in {elapsed:.0f} s ({pages / elapsed:.1f}/s)"
    )
    for page, problems in stats.errors.items():
        if problems:
            lines.append(f"  errors on {page}: {sorted(set(problems))[:5]}")
    return "\n".join(lines)


# --- the stack under test ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


@contextmanager
def stack(servers: int = 2, workers: int = 2) -> Iterator[list[str]]:
    """PostgreSQL (DATABASE_URL), a Redis of our own, gunicorn servers and RQ workers."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (the load test fills it)")
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise SystemExit("redis-server is needed (apt-get install redis-server)")
    bin_dir = Path(sys.executable).parent
    var = Path(tempfile.mkdtemp(prefix="parindex-load-"))
    redis_port = _free_port()
    env = {
        **os.environ,
        "PARINDEX_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "TASKS_BACKEND": "rq",
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    started: list[subprocess.Popen[bytes]] = []
    logs = var / "logs"
    logs.mkdir()

    def start(name: str, *args: str) -> None:
        with (logs / f"{name}.log").open("wb") as log:
            started.append(
                subprocess.Popen(
                    args,
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    try:
        start(
            "redis",
            redis_server,
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        )
        print("loading the demo province into DATABASE_URL (once)…", flush=True)
        subprocess.run(
            [str(bin_dir / "parindex"), "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        bases = []
        for number in range(servers):
            port = 8101 + number
            start(
                f"gunicorn-{port}",
                str(bin_dir / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--keep-alive",
                "5",
                "--no-control-socket",
            )
            bases.append(f"http://127.0.0.1:{port}")
        for number in range(workers):
            start(f"worker-{number}", str(bin_dir / "parindex"), "worker")
        for base in bases:
            _wait_for(f"{base}/healthz")
        print(
            f"stack up: {len(bases)} gunicorn servers, {workers} RQ workers, Redis :{redis_port};"
            f" logs in {logs}",
            flush=True,
        )
        yield bases
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        print("every process of the load test stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="start the stack (see above)")
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="comma-separated")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=120, help="seconds (at most 600)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    options = parser.parse_args(argv)
    duration = min(options.duration, 600)  # bounded, whatever is asked
    users = min(options.users, 500)

    def run(bases: list[str]) -> int:
        stats = asyncio.run(load(bases, users, duration, options.think))
        print(f"{users} users for {duration:.0f} s against {', '.join(bases)}")
        print(report(stats, stats.elapsed or 1.0))
        return 1 if any(stats.errors.values()) else 0

    if options.serve:
        with stack() as bases:
            return run(bases)
    return run(options.base.split(","))


if __name__ == "__main__":
    sys.exit(main())
