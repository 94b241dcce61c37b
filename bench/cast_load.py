"""SPEC §14 casting: 1,000 pupils of one school cast within a minute on gunicorn + PostgreSQL — zero errors,
p99 < 100 ms — and the cast endpoint's peak throughput is ≥ 70 % of a bare endpoint running the same SQL.

Run from the repository root:  .venv/bin/python -m bench.cast_load [--journey sign-in|cast|full] [--cleanup]

1. Creates a fresh PostgreSQL database, runs `flask db upgrade`, and builds through the app's services a school
   of 40 classes × 25 pupils, an open motion per class (server custody) and paired tablets.
2. Serves the app (bench.wsgi_bench: wsgi:app, PROXY_COUNT=1, AGORA_CONFIG=production) and the bare endpoint
   (bench.bare_cast) with the same gunicorn settings on two free ports of 127.0.0.1.
3. The minute: 1,000 pupils arrive at random instants over 60 s (open loop); each signs in on its class tablet
   with its picture code and casts (--journey sign-in), or only casts from a pre-made session (--journey cast),
   or walks the whole booth (--journey full). Reports errors and the latency of every step, the cast's first.
4. Peak throughput: N clients in a closed loop cast for ~15 s into fresh polls, first on the bare endpoint, then
   on the Flask endpoint with pre-made sessions, and the ratio is printed.
Everything stays on 127.0.0.1, every loop is bounded, and the servers are stopped at the end.
"""

import argparse
import random
import secrets
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import psycopg

from bench import common, servers
from bench.client import Browser, csrf_token, expect
from bench.load import Results, closed_loop, open_loop
from bench.school import Cast, School, address, build_school, mint_session
from bench.usage import Usage

CHOICES = ("for", "against", "abstain", "blank")
VOTED = "/tablet/vote/voted"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="agora_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--cleanup", action="store_true", help="drop the database at the end")
    parser.add_argument("--classes", type=int, default=40)
    parser.add_argument("--class-size", type=int, default=25)
    parser.add_argument("--pupils-per-tablet", type=int, default=1,
                        help="tablets per class = class size / this; a tablet holds one pupil's sign-in at a time, "
                             "so pupils sharing one must not overlap")
    parser.add_argument("--journey", choices=("sign-in", "cast", "full"), default="sign-in")
    parser.add_argument("--shared-address", action="store_true",
                        help="send no X-Forwarded-For: every request comes from one address, as behind a proxy "
                             "with PROXY_COUNT=0 or from a school's NAT")
    parser.add_argument("--seconds", type=float, default=60.0, help="the arrivals are spread over this time")
    parser.add_argument("--hard-stop", type=float, default=90.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--clients", type=int, default=12, help="closed-loop concurrency")
    parser.add_argument("--closed-seconds", type=float, default=15.0)
    parser.add_argument("--flask-polls", type=int, default=4, help="fresh polls per class for the Flask peak")
    parser.add_argument("--bare-polls", type=int, default=24, help="fresh polls per class for the bare peak")
    parser.add_argument("--skip-peak", action="store_true", help="only the minute")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--quiet-wait", type=float, default=300.0,
                        help="wait up to this long for other processes to leave the CPUs idle before measuring")
    return parser.parse_args()


# The pupil's journeys ------------------------------------------------------------------------------------------

def sign_in(browser: Browser, cast: Cast, results: Results) -> str:
    """Tap the name tile, then the four pictures; returns the CSRF token of the tablet's session."""
    pupil = cast.voter.pupil_id
    page = expect(browser.get(f"/tablet/pupils/{pupil}"), "code page", 200)
    results.timed("code page (GET)", page.seconds)
    token, so_far = csrf_token(page), ""
    for number, pick in enumerate(cast.voter.picks, start=1):
        last = number == len(cast.voter.picks)
        answer = browser.post(f"/tablet/pupils/{pupil}/code", {"csrf_token": token, "picks": so_far, "pick": pick})
        expect(answer, "code", 302 if last else 200, "/tablet/me" if last else "")
        results.timed("picture tap (POST)", answer.seconds)
        so_far += str(pick)
    home = expect(browser.get("/tablet/me"), "home", 200)  # where the last tap leads; signing in renewed the token
    results.timed("home (GET)", home.seconds)
    return csrf_token(home)


def put_in_box(browser: Browser, cast: Cast, token: str, choice: str, results: Results) -> None:
    answer = browser.post(f"/tablet/vote/{cast.poll_id}/cast", {"csrf_token": token, "choice": choice})
    results.timed("cast (POST)", answer.seconds)
    expect(answer, "cast", 302, VOTED)
    results.cast()


def walk_booth(browser: Browser, cast: Cast, token: str, choice: str, results: Results) -> None:
    """Booth, confirm, cast, "A voté !": every page a pupil sees after signing in and landing on their home."""
    results.timed("booth (GET)", expect(browser.get(f"/tablet/vote/{cast.poll_id}"), "booth", 200).seconds)
    confirm = browser.post(f"/tablet/vote/{cast.poll_id}/confirm", {"csrf_token": token, "choice": choice})
    results.timed("confirm (POST)", expect(confirm, "confirm", 200).seconds)
    put_in_box(browser, cast, token, choice, results)
    results.timed("voted (GET)", expect(browser.get(VOTED), "voted", 200).seconds)


def tablet_browser(port: int, cast: Cast, shared_address: bool, own_address: str | None = None) -> Browser:
    tablet = cast.voter.tablet
    return Browser(port, tablet.cookie, "" if shared_address else own_address or tablet.address, tablet.user_agent)


def journey_tasks(app, port: int, casts: list[Cast], args) -> list[Callable[[Results], None]]:
    rng = random.Random(args.seed)
    tasks = []
    for cast in casts:
        choice = rng.choice(CHOICES)
        if args.journey == "cast":
            tasks.append(minted_cast(app, port, cast, choice, tablet_browser(port, cast, args.shared_address)))
        else:
            tasks.append(signed_in_cast(port, cast, choice, args))
    return tasks


def signed_in_cast(port: int, cast: Cast, choice: str, args) -> Callable[[Results], None]:
    def task(results: Results) -> None:
        browser = tablet_browser(port, cast, args.shared_address)
        token = sign_in(browser, cast, results)
        if args.journey == "full":
            walk_booth(browser, cast, token, choice, results)
        else:
            put_in_box(browser, cast, token, choice, results)

    return task


def minted_cast(app, port: int, cast: Cast, choice: str, browser: Browser) -> Callable[[Results], None]:
    """A cast from a session signed in beforehand (bench.school.mint_session): times the cast request alone."""
    browser.cookies["session"], token = mint_session(app, cast.voter, browser.address or "127.0.0.1")
    return lambda results: put_in_box(browser, cast, token, choice, results)


def bare_task(port: int, cast: Cast, choice: str) -> Callable[[Results], None]:
    def task(results: Results) -> None:
        answer = Browser(port).post("/cast", {"poll": cast.poll_id, "pupil": cast.voter.pupil_id, "choice": choice})
        results.timed("bare cast (POST)", answer.seconds)
        if answer.status != 303 or answer.headers.get("X-Outcome") != "cast":
            results.failed(f"bare {answer.status} {answer.headers.get('X-Outcome')}")
            return
        results.cast()

    return task


# Setting up ----------------------------------------------------------------------------------------------------

def prepare(args) -> tuple[object, School, dict[str, str], str]:
    """The database, its schema by migration, and the school; returns the in-process app used for set-up."""
    url = common.recreate_database(args.database)
    env = common.app_environment(url, secrets.token_hex(32))
    common.migrate(env)
    common.use_app_environment(env)
    from app import create_app

    app = create_app()
    with app.app_context():
        school = build_school(env["BALLOT_KEY_SECRET"].encode(), args.classes, args.class_size,
                              args.pupils_per_tablet, args.flask_polls, args.bare_polls)
    return app, school, env, url


def start_servers(stack: ExitStack, env: dict[str, str], url: str, args):
    log_dir = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    settings = dict(workers=args.workers, worker_class=args.worker_class, threads=args.threads, log_dir=log_dir)
    flask = servers.start_gunicorn("flask", "bench.wsgi_bench:app", env, **settings)
    stack.callback(servers.stop, flask)
    bare = servers.start_gunicorn("bare", "bench.bare_cast:app", {**env, "BARE_DATABASE_URL": url}, **settings)
    stack.callback(servers.stop, bare)
    print(f"gunicorn {args.workers} × {args.worker_class} (threads {args.threads}); logs in {log_dir}")
    return flask, bare


# Measuring -----------------------------------------------------------------------------------------------------

def print_results(title: str, results: Results, elapsed: float) -> None:
    print(f"\n== {title}")
    print(f"casts {results.casts}, errors {results.errors}, elapsed {elapsed:.1f} s, "
          f"throughput {results.casts / elapsed:.1f} casts/s")
    for label, count in results.failures.most_common(8):
        print(f"  error ×{count}: {label}")
    for step, values in sorted(results.latencies.items(), key=lambda item: not item[0].startswith("cast")):
        print(f"  {step:<20} {common.summary_ms(values)}")


def run_minute(app, flask: servers.Server, school: School, args) -> Results:
    tasks = journey_tasks(app, flask.port, school.main, args)
    usage = Usage(flask, args.database)
    results = open_loop(tasks, args.seconds, args.hard_stop, args.seed)
    elapsed = max(results.cast_times, default=args.seconds)
    print_results(f"The minute: {len(tasks)} pupils, journey '{args.journey}', open loop over {args.seconds:.0f} s",
                  results, elapsed)
    late = max(results.lateness, default=0.0)
    print(f"  arrivals started at most {late * 1000:.0f} ms late; {usage.stop().report(results.casts)}")
    return results


def check_box(url: str, poll_ids: set[int]) -> str:
    """What the database holds: émargements and ballots of these polls must match the successful casts."""
    with psycopg.connect(url) as connection:
        counts = [connection.execute(f"SELECT count(*) FROM {table} WHERE poll_id = ANY(%s)",  # noqa: S608
                                     (list(poll_ids),)).fetchone()[0] for table in ("participation", "ballot")]
    return f"database: {counts[0]} émargements, {counts[1]} ballots"


def run_peak(title: str, server: servers.Server, tasks: list, args) -> float:
    warm, measured = tasks[: 20 * args.workers], tasks[20 * args.workers:]
    closed_loop(warm, min(args.clients, 4), 10)
    servers.wait_for_quiet_machine(args.quiet_wait)
    usage = Usage(server, args.database)
    results, elapsed = closed_loop(measured, args.clients, args.closed_seconds)
    print_results(f"{title}: closed loop, {args.clients} clients, {args.closed_seconds:.0f} s", results, elapsed)
    exhausted = " — ran out of fresh casts, add polls" if results.casts + results.errors >= len(measured) else ""
    print(f"  {usage.stop().report(results.casts)}{exhausted}")
    return results.casts / elapsed


def peak_ratio(app, flask: servers.Server, bare: servers.Server, school: School, args) -> None:
    rng = random.Random(args.seed + 1)
    bare_rate = run_peak("Bare endpoint", bare, [bare_task(bare.port, cast, rng.choice(CHOICES))
                                                 for cast in school.bare_pool], args)
    with app.app_context():
        flask_tasks = [minted_cast(app, flask.port, cast, rng.choice(CHOICES),
                                   tablet_browser(flask.port, cast, False, address(1_000_000 + number)))
                       for number, cast in enumerate(school.flask_pool)]
    flask_rate = run_peak("Flask cast endpoint", flask, flask_tasks, args)
    print(f"  {check_box(common.database_url(args.database), {cast.poll_id for cast in school.flask_pool})} "
          "(warm-up casts included)")
    print(f"\nPeak cast throughput: Flask {flask_rate:.1f}/s ÷ bare {bare_rate:.1f}/s = "
          f"{100 * flask_rate / bare_rate:.0f} % (target ≥ 70 %)")


def warm_up(app, flask: servers.Server, school: School, args) -> None:
    """Each worker's first requests compile templates and open connections: spend them before measuring."""
    count = 20 * args.workers
    warm, school.flask_pool = school.flask_pool[:count], school.flask_pool[count:]
    tasks = [minted_cast(app, flask.port, cast, "blank", tablet_browser(flask.port, cast, False)) for cast in warm]
    tasks += [lambda results, cast=cast: tablet_browser(flask.port, cast, False).get(
        f"/tablet/pupils/{cast.voter.pupil_id}") for cast in school.main[:count]]
    closed_loop(tasks, 4, 15)


def main() -> None:
    args = parse_args()
    print(common.machine())
    started = time.monotonic()
    app, school, env, url = prepare(args)
    print(f"set-up: {len(school.main)} pupils in {args.classes} classes, "
          f"{len(school.flask_pool) + len(school.bare_pool)} fresh casts for the peaks, "
          f"{time.monotonic() - started:.0f} s")
    try:
        with ExitStack() as stack:
            flask, bare = start_servers(stack, env, url, args)
            with app.app_context():
                warm_up(app, flask, school, args)
                servers.wait_for_quiet_machine(args.quiet_wait)
                results = run_minute(app, flask, school, args)
            print(f"  {check_box(url, {cast.poll_id for cast in school.main})} (successful casts: {results.casts})")
            if not args.skip_peak:
                peak_ratio(app, flask, bare, school, args)
    finally:
        if args.cleanup:
            common.drop_database(args.database)


if __name__ == "__main__":
    main()
