"""Where a cast request spends its time: N casts through the Flask app in-process, under cProfile, with the SQL
statements counted — to explain the gap between the cast endpoint and the bare one (bench.cast_load).

Run from the repository root:  .venv/bin/python -m bench.profile_cast [--casts 500] [--cleanup]
"""

import argparse
import cProfile
import pstats
import secrets
import time
from collections import Counter

from sqlalchemy import event

from bench import common
from bench.school import Cast, address, build_school, mint_session


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="agora_bench_profile")
    parser.add_argument("--casts", type=int, default=500)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cleanup", action="store_true")
    return parser.parse_args()


def make_app(database: str):
    env = common.app_environment(common.recreate_database(database), secrets.token_hex(32))
    common.migrate(env)
    common.use_app_environment(env)
    from app import create_app

    return create_app(), env["BALLOT_KEY_SECRET"].encode()


def requests_for(app, casts: list[Cast]) -> list[tuple[str, dict, dict, dict]]:
    """(path, form, headers, environ) of each cast, from sessions signed in beforehand, each from its own address
    so that the rate limit does not refuse them."""
    prepared = []
    for number, cast in enumerate(casts):
        remote = address(1_000_000 + number)
        session_cookie, token = mint_session(app, cast.voter, remote)
        headers = {"Cookie": f"agora_tablet={cast.voter.tablet.cookie}; session={session_cookie}",
                   "User-Agent": cast.voter.tablet.user_agent, "Referer": "https://localhost/tablet/"}
        environ = {"REMOTE_ADDR": remote, "wsgi.url_scheme": "https"}
        prepared.append((f"/tablet/vote/{cast.poll_id}/cast", {"csrf_token": token, "choice": "for"}, headers,
                         environ))
    return prepared


def count_statements(engine) -> Counter:
    statements: Counter = Counter()

    def record(conn, cursor, statement, parameters, context, executemany):
        statements[" ".join(statement.split())[:90]] += 1

    event.listen(engine, "before_cursor_execute", record)
    return statements


def package_of(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith(str(common.ROOT / "app")):
        return "app (Agora)"
    return "Python standard library and built-ins"


def cpu_by_package(profiler: cProfile.Profile) -> Counter:
    """Own CPU time (tottime) summed by the package its function lives in."""
    totals: Counter = Counter()
    for (filename, _line, _name), (_cc, _nc, own, _cumulative, _callers) in pstats.Stats(profiler).stats.items():
        totals[package_of(filename)] += own
    return totals


def main() -> None:
    args = parse_args()
    app, secret = make_app(args.database)
    with app.app_context():
        # One poll and one tablet per voter: a tablet holds one pupil's sign-in at a time.
        school = build_school(secret, class_count=-(-args.casts // 25), class_size=25, per_tablet=1,
                              flask_polls=1, bare_polls=0)
        prepared = requests_for(app, school.flask_pool[: args.casts])
        from app.extensions import db

        engine = db.engine
    client = app.test_client(use_cookies=False)
    for path, form, headers, environ in prepared[:20]:  # warm: templates, connections
        client.post(path, data=form, headers=headers, environ_base=environ)
    statements = count_statements(engine)
    measured = prepared[20:len(prepared) // 2 + 10]
    started, cpu = time.perf_counter(), time.process_time()
    statuses = Counter(client.post(path, data=form, headers=headers, environ_base=environ).status_code
                       for path, form, headers, environ in measured)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{len(measured)} casts in-process, no profiler: {1000 * elapsed / len(measured):.2f} ms each, of which "
          f"{1000 * cpu / len(measured):.2f} ms of CPU in this process; statuses {dict(statuses)}")
    profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for PostgreSQL does not count
    profiled = prepared[len(prepared) // 2 + 10:]
    profiler.enable()
    for path, form, headers, environ in profiled:
        client.post(path, data=form, headers=headers, environ_base=environ)
    profiler.disable()
    measured = len(measured) + len(profiled)
    print(f"SQL statements per cast: {sum(statements.values()) / measured:.1f}")
    for statement, count in statements.most_common(20):
        print(f"  {count / measured:4.1f} × {statement}")
    print(f"CPU per cast under cProfile, by package ({len(profiled)} casts):")
    for package, seconds in cpu_by_package(profiler).most_common(14):
        print(f"  {1000 * seconds / len(profiled):6.2f} ms  {package}")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.cleanup:
        common.drop_database(args.database)


if __name__ == "__main__":
    main()
