"""SPEC §14 board: screens poll one assembly's board state every second; an unchanged poll answers 204 from one
indexed SELECT, with no template rendered, in < 5 ms of server time.

Run from the repository root:  .venv/bin/python -m bench.board_poll [--screens 300] [--seconds 30]
(with DATABASE_URL=postgresql://… to use PostgreSQL — the database is dropped and recreated —, else a fresh SQLite
file in a temporary directory).

1. Migrates the database (`flask db upgrade`) and builds through the app's services a class of 25 pupils with an
   assembly in session; the educator signs in over HTTP.
2. Serves the app with gunicorn (bench.wsgi_bench: wsgi:app, PROXY_COUNT=1, AGORA_CONFIG=production) on a free
   port of 127.0.0.1, the access log recording each request's server time (%(D)s, microseconds).
3. N screens (asyncio, one connection per request, as gunicorn's sync workers close it) each poll
   `GET /assemblies/<id>/board/state?since=<version>` once a second at a random phase, following the version of
   every fragment they get; the educator changes the assembly every few seconds (a new rotation of the roles),
   so every screen also fetches the new fragment.
4. --design picks how screens ask: "flask" (the request goes through Flask's session, sign-in and authorization),
   "pass" (the screen sends the pass its last fragment brought, X-Screen-Pass, and an unchanged poll is answered
   before Flask: app/live.py), or "both": one design after the other, on the same server, in the same run.
Reports, for each design, requests/s, client-side p50/p95/p99 latency of unchanged (204) and changed (200) polls,
errors, the server time of unchanged polls from the access log, how long after each change every screen had the
new version, and the CPU used. Bounded: each design runs for --seconds, then the server is stopped.
"""

import argparse
import asyncio
import os
import platform
import random
import re
import secrets
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from bench import common, servers
from bench.client import Browser, csrf_token, expect

EMAIL, PASSWORD = "teacher@board.example.org", "board bench password nobody types"  # noqa: S105 - throw-away
VERSION = re.compile(rb'data-version="([^"]+)"')
PASS = re.compile(rb'"X-Screen-Pass": "([^"]+)"')
DESIGNS = {"both": ("flask", "pass"), "flask": ("flask",), "pass": ("pass",)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the screens poll")
    parser.add_argument("--interval", type=float, default=1.0, help="each screen's polling period")
    parser.add_argument("--change-every", type=float, default=5.0, help="the educator changes the assembly (0: never)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database", default="agora_board_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--design", default="both", choices=DESIGNS, help="how screens ask (see above)")
    return parser.parse_args()


# Setting up ----------------------------------------------------------------------------------------------------

def database(args, work: Path) -> str:
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return common.recreate_database(args.database)
    return f"sqlite:///{work / 'board-bench.sqlite'}"


def build_class() -> int:
    """A class with an assembly in session; needs an app context. Returns the assembly's id."""
    from datetime import date

    from app.domain.roster import RosterRow
    from app.domain.school_year import school_year_of
    from app.extensions import db
    from app.models.types import utcnow
    from app.services import accounts, assemblies, classes, messages

    head = accounts.create_user("head@board.example.org", "Board Head", PASSWORD)
    educator = accounts.create_user(EMAIL, "Board Teacher", PASSWORD)
    school = accounts.apply_school("Board School", "Lyon", "Europe/Paris", head)
    accounts.decide_application(school, True, utcnow())
    accounts.add_staff(school, educator, "educator")
    cooperative = classes.create_cooperative(school, educator, "CM2 Board", school_year_of(date.today()))
    pupils = classes.add_pupils(cooperative, [RosterRow(f"Pupil{number:02d}", "B") for number in range(25)])
    for number, pupil in enumerate(pupils[:6]):
        messages.post_message(pupil, "propose", f"Proposal number {number} of the class", utcnow()).status = "approved"
    db.session.flush()
    assembly = assemblies.plan_assembly(cooperative, utcnow() + timedelta(minutes=1), "Classroom", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return assembly.id


def prepare(args, work: Path) -> tuple[dict[str, str], int]:
    url = database(args, work)
    env = common.app_environment(url, secrets.token_hex(32))
    common.migrate(env)
    common.use_app_environment(env)
    from app import create_app

    with create_app().app_context():
        return env, build_class()


def start_server(env: dict[str, str], args, work: Path) -> tuple[servers.Server, Path]:
    """gunicorn as servers.start_gunicorn starts it, plus an access log of each request's server time."""
    port, log, access = servers.free_port(), work / "gunicorn.log", work / "access.log"
    command = [str(common.VENV_BIN / "gunicorn"), "bench.wsgi_bench:app", "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(args.threads),
               "--timeout", "30", "--graceful-timeout", "5", "--backlog", "2048",
               "--access-logfile", str(access), "--access-logformat", "%(s)s %(D)s %(U)s"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=common.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = servers.Server("board", process, port, log)
    deadline = time.monotonic() + servers.READY_TIMEOUT
    while not server.worker_pids or not servers._answers(port):  # noqa: SLF001 - the same readiness check
        if time.monotonic() > deadline or process.poll() is not None:
            servers.stop(server)
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return server, access


def sign_in(port: int) -> Browser:
    educator = Browser(port)
    token = csrf_token(expect(educator.get("/account/sign-in"), "sign-in page", 200))
    expect(educator.post("/account/sign-in", {"email": EMAIL, "password": PASSWORD, "csrf_token": token}),
           "sign in", 302)
    return educator


# Polling -------------------------------------------------------------------------------------------------------

class Tally:
    def __init__(self) -> None:
        self.latencies: dict[int, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.new_versions: list[list[float]] = []  # per screen: when it received a version it did not have
        self.changes: list[float] = []  # when the educator began each change


async def poll_once(port: int, path: str, cookie: str, screen_pass: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    shown = f"X-Screen-Pass: {screen_pass}\r\n" if screen_pass else ""
    try:
        writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nHX-Request: true\r\n"
                      f"{shown}X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n").encode())
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    return int(answer.split(b" ", 2)[1]), answer


def found(pattern: re.Pattern, answer: bytes, default: str) -> str:
    match = pattern.search(answer)
    return match.group(1).decode() if match else default


class Shown:
    """What one screen shows: the version of its last fragment and the pass it brought; kept from the warm-up on."""

    def __init__(self) -> None:
        self.version, self.screen_pass = "", ""

    def take(self, answer: bytes, design: str) -> bool:
        """Follows a fragment; True when it brought a version the screen did not have."""
        version = found(VERSION, answer, self.version)
        if design == "pass":
            self.screen_pass = found(PASS, answer, self.screen_pass)
        new, self.version = version != self.version, version
        return new


def state_path(assembly_id: int, shown: Shown) -> str:
    return f"/assemblies/{assembly_id}/board/state?since={shown.version}"


async def open_screens(port: int, assembly_id: int, cookie: str, args) -> list[Shown]:
    """The screens are switched on a few at a time, as a school's are over a morning: each gets its first
    fragment before the polling starts."""
    screens, gate = [Shown() for _ in range(args.screens)], asyncio.Semaphore(2 * args.workers)

    async def switch_on(shown: Shown) -> None:
        for _attempt in range(20):
            async with gate:
                try:
                    status, answer = await poll_once(port, state_path(assembly_id, shown), cookie, "")
                except OSError:
                    continue
            if status == 200 and shown.take(answer, args.design):
                return
        raise RuntimeError("a screen could not get its first fragment")

    await asyncio.gather(*(switch_on(shown) for shown in screens))
    return screens


async def screen(port: int, assembly_id: int, cookie: str, shown: Shown, timing: tuple[float, float], args,
                 tally: Tally):
    """One board: polls at a fixed rate from its phase until stop_at; follows every fragment it receives."""
    phase, stop_at = timing
    tick, received = time.monotonic() + phase, []
    tally.new_versions.append(received)
    while tick < stop_at:
        await asyncio.sleep(max(0.0, tick - time.monotonic()))
        started = time.perf_counter()
        try:
            status, answer = await asyncio.wait_for(
                poll_once(port, state_path(assembly_id, shown), cookie, shown.screen_pass), 10)
        except (OSError, TimeoutError, ValueError, IndexError) as error:
            tally.errors[type(error).__name__] += 1
        else:
            tally.latencies[status].append(time.perf_counter() - started)
            if status == 200 and shown.take(answer, args.design):
                received.append(time.monotonic())
            if status not in (200, 204):
                tally.errors[f"HTTP {status}"] += 1
        tick = max(tick + args.interval, time.monotonic())  # a screen that waited long asks again at once, once


async def educator_changes(educator: Browser, assembly_id: int, stop_at: float, args, tally: Tally) -> int:
    if not args.change_every:
        return 0
    changes = 0
    while time.monotonic() + args.change_every < stop_at:
        await asyncio.sleep(args.change_every)
        try:
            page = await asyncio.to_thread(educator.get, f"/assemblies/{assembly_id}")
            clicked = time.monotonic()
            answer = await asyncio.to_thread(educator.post, f"/assemblies/{assembly_id}/roles/suggest",
                                             {"csrf_token": csrf_token(page)})
        except OSError as error:  # an overloaded server: the educator's click is lost, as a screen's poll would be
            tally.errors[f"educator {type(error).__name__}"] += 1
            continue
        if answer.status == 302:
            changes += 1
            tally.changes.append(clicked)
    return changes


async def run(port: int, assembly_id: int, educator: Browser, screens: list[Shown], args) -> tuple[Tally, float, int]:
    """The screens and the educator, for args.seconds; returns the tally, the elapsed time and the changes made."""
    rng, tally = random.Random(args.seed), Tally()
    started = time.monotonic()
    stop_at = started + args.seconds
    polling = [screen(port, assembly_id, cookie_of(educator), shown, (rng.uniform(0, args.interval), stop_at), args,
                      tally) for shown in screens]
    results = await asyncio.gather(educator_changes(educator, assembly_id, stop_at, args, tally), *polling)
    return tally, time.monotonic() - started, results[0]


def cookie_of(educator: Browser) -> str:
    return "; ".join(f"{name}={value}" for name, value in educator.cookies.items())


def seen_after(tally: Tally) -> list[float]:
    """For each change and each screen, the seconds from the start of the change to the screen's new version
    (a change in the last second or two, that some screens had no time to ask about, is left out)."""
    delays = []
    for change, following in zip(tally.changes, [*tally.changes[1:], float("inf")], strict=False):
        for received in tally.new_versions:
            delays += [moment - change for moment in received if change <= moment < following][:1]
    return delays


# Reporting -----------------------------------------------------------------------------------------------------

def server_times(access: Path, status: str) -> list[float]:
    """Server-side seconds of the board-state requests with this status, from gunicorn's access log."""
    times = []
    for line in access.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == status and parts[2].endswith("/board/state"):
            times.append(int(parts[1]) / 1_000_000)
    return times


def machine(url: str) -> str:
    if url.startswith("postgresql"):
        return common.machine()
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    return f"{os.cpu_count()} CPU ({model}), Python {platform.python_version()}, SQLite"


def report(design: str, measured: dict, args) -> None:
    tally, elapsed, changes, access = (measured[key] for key in ("tally", "elapsed", "changes", "access"))
    done = sum(len(values) for values in tally.latencies.values())
    print(f"\ndesign {design!r}: requests {done}, {done / elapsed:.1f} requests/s, errors "
          f"{sum(tally.errors.values())} {dict(tally.errors) or ''}, educator changes {changes}")
    for status, label in ((204, "unchanged (204)"), (200, "changed (200)")):
        print(f"  client {label:<16} {common.summary_ms(tally.latencies.get(status, []))}")
    print(f"  server unchanged (204) {common.summary_ms(server_times(access, '204'))}")
    print(f"  server changed (200)   {common.summary_ms(server_times(access, '200'))}")
    print(f"  change seen by a screen after {common.summary_ms(seen_after(tally))}")
    print(f"  {measured['usage']}")


def measure(server: servers.Server, access: Path, assembly_id: int, educator: Browser, args) -> dict:
    """One design: the screens switched on, a 3-second warm-up, then args.seconds measured; the access log is kept
    beside the others."""
    screens = asyncio.run(open_screens(server.port, assembly_id, cookie_of(educator), args))
    asyncio.run(run(server.port, assembly_id, educator, screens, argparse.Namespace(**{**vars(args), "seconds": 3})))
    access.write_text("")  # the warm-up's requests are not measured
    workers, client = servers.cpu_seconds(server.worker_pids), time.process_time()
    machine_before, load_before = servers.machine_busy(), os.getloadavg()[0]
    tally, elapsed, changes = asyncio.run(run(server.port, assembly_id, educator, screens, args))
    busy, total = (now - before for now, before in zip(servers.machine_busy(), machine_before, strict=True))
    worker_seconds = servers.cpu_seconds(server.worker_pids) - workers
    usage = (f"CPU: machine {100 * busy / max(total, 1):.0f} % busy (load average {load_before:.2f} before, "
             f"{os.getloadavg()[0]:.2f} after); gunicorn workers {worker_seconds:.1f} s, load generator "
             f"{time.process_time() - client:.1f} s (of {elapsed:.0f} s × {os.cpu_count()} CPU)")
    kept = access.with_name(f"access-{args.design}.log")
    kept.write_text(access.read_text())
    return {"tally": tally, "elapsed": elapsed, "changes": changes, "access": kept, "usage": usage}


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="agora-board-bench-"))
    env, assembly_id = prepare(args, work)
    server, access = start_server(env, args, work)
    measured = {}
    try:
        educator = sign_in(server.port)
        for design in DESIGNS[args.design]:
            measured[design] = measure(server, access, assembly_id, educator,
                                       argparse.Namespace(**{**vars(args), "design": design}))
    finally:
        servers.stop(server)
    url = env["DATABASE_URL"]
    print(f"\n{machine(url)}; load average before the run {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{args.screens} screens × 1 poll / {args.interval:g} s for {args.seconds:.0f} s per design; gunicorn "
          f"{args.workers} × {args.worker_class} (threads {args.threads}); database {url.split(':', 1)[0]}")
    for design, figures in measured.items():
        report(design, figures, args)
    print(f"logs in {work}")


if __name__ == "__main__":
    main()
