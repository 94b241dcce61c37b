"""SPEC §14 counting: opening and tallying 100,000 ballots < 5 s and within 1.5× the bare rate of opening sealed
boxes on all CPUs (the floor, measured in the same run); the whole close action < 10 s; majority judgment and Schulze
on aggregates in < 50 ms.

Run from the repository root:  .venv/bin/python -m bench.count [--backend sqlite|postgresql|both]
                                                             [--kind motion|majority_judgment|schulze|all]

For each backend and kind: a fresh database (db.create_all), one class whose 100,000 pupils are frozen as voters
by polls.open_poll, ballots sealed with ballot_box.seal under the poll's key (in parallel processes), stored with
their émargements in bulk; then the educator's close action, timed step by step as polls/routes.py runs it:
lock_for_closing + close_poll (reconcile, trackers, émargement rewrite), open_and_count (unwrap the key, decrypt
and re-seal under the recount key in parallel processes, tally, apply the rule, rewrite the box), commit,
ballot_scrub.finish (destroy the poll's key, scrub the database files). Before the close, the open-and-tally work
piece by piece on the same box (nothing stored); just before the close, the floor: the same box opened by bare
SealedBox.decrypt calls in one forked process per CPU (nothing decoded, counted or stored), and each figure of the
close is printed with its ratio to that floor. Last, the two rules alone on aggregates of 100,000 voters and 10
candidates.
"""

import argparse
import multiprocessing
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from bench import common, servers

KINDS = ("motion", "majority_judgment", "schulze")
SECRET = "bench-count-secret"  # noqa: S105 - a throw-away database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--kind", choices=(*KINDS, "all"), default="all")
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--database", default="agora_bench_count", help="PostgreSQL database to (re)create")
    parser.add_argument("--processes", type=int, default=os.cpu_count(), help="processes that seal the ballots")
    parser.add_argument("--rule-runs", type=int, default=20, help="timed runs of each rule on aggregates")
    parser.add_argument("--cleanup", action="store_true", help="drop the PostgreSQL database at the end")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--quiet-wait", type=float, default=300.0,
                        help="wait up to this long for other processes to leave the CPUs idle before each count")
    return parser.parse_args()


@contextmanager
def timer(label: str, figures: dict[str, float]):
    started = time.perf_counter()
    yield
    figures[label] = time.perf_counter() - started


# The database and the poll -------------------------------------------------------------------------------------

def make_app(url: str, key_store: Path):
    from app import create_app
    from config import Config

    config = Config()
    config.SQLALCHEMY_DATABASE_URI, config.SECRET_KEY, config.BALLOT_KEY_SECRET = url, SECRET, SECRET + "-ballots"
    config.BALLOT_KEY_STORE = str(key_store)
    return create_app(config)


def database_for(backend: str, args, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'count.sqlite'}"
    return common.recreate_database(args.database).replace("postgresql://", "postgresql+psycopg://")


def add_voters(cooperative_id: int, count: int) -> None:
    """Pupils in bulk (add_pupils hands out picture codes, of which a class has only a few thousand)."""
    from app.extensions import db
    from app.models import Pupil

    rows = [dict(cooperative_id=cooperative_id, first_name=f"V{number:06d}", initial="", avatar="cat",
                 picture_code=f"code-{number:06d}", failed_attempts=0) for number in range(count)]
    for start in range(0, count, 10_000):
        db.session.execute(insert(Pupil), rows[start:start + 10_000])


def open_poll(kind: str, args):
    """A class, its voters, and a poll opened through the services; returns (poll, educator)."""
    from app.domain.roster import RosterRow
    from app.domain.school_year import school_year_of
    from app.extensions import db
    from app.models.types import utcnow
    from app.services import accounts, classes, polls

    educator = accounts.create_user("teacher@count.example.org", "Count Teacher", "count password")
    school = accounts.apply_school("Count School", "Lyon", "Europe/Paris", educator)
    accounts.decide_application(school, True, utcnow())
    accounts.add_staff(school, educator, "educator")
    cooperative = classes.create_cooperative(school, educator, "Count class", school_year_of(date.today()))
    candidates = classes.add_pupils(cooperative, [RosterRow(f"Candidate{n}", "C") for n in range(args.candidates)])
    add_voters(cooperative.id, args.ballots - args.candidates)
    if kind == "motion":
        poll = polls.create_motion(cooperative, "Do we plant a garden?", "simple", None, educator)
    else:
        poll = polls.create_election(cooperative, "Who represents the class?", kind, 1, candidates, educator)
    db.session.expire(cooperative, ["pupils"])
    polls.open_poll(poll, educator, utcnow(), SECRET.encode() + b"-ballots")
    db.session.commit()
    return poll, educator


# Ballots -------------------------------------------------------------------------------------------------------

def random_choice(kind: str, keys: list[str], rng: random.Random) -> object:
    if kind == "motion":
        return rng.choices(("for", "against", "abstain", "blank"), weights=(45, 35, 15, 5))[0]
    if rng.random() < 0.02:
        return "blank"
    if kind == "majority_judgment":
        return {key: min(5, max(0, round(rng.gauss(2 + index / len(keys), 1.3)))) for index, key in enumerate(keys)}
    ranked = sorted(keys, key=lambda key: rng.gauss(keys.index(key) / len(keys), 0.5))
    return [[key] for key in ranked[: rng.randint(3, len(keys))]]


def _seal_chunk(job: tuple[bytes, list, int]) -> list[bytes]:
    from app.domain import ballot_box

    public_key, choices, size = job
    return [ballot_box.seal(public_key, choice, size) for choice in choices]


def seal_all(public_key: bytes, choices: list, size: int, processes: int) -> list[bytes]:
    chunks = [(public_key, choices[start:start + 2_000], size) for start in range(0, len(choices), 2_000)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [sealed for chunk in pool.map(_seal_chunk, chunks) for sealed in chunk]


def fill_box(poll, kind: str, args) -> None:
    """The sealed ballots and the émargements of every eligible pupil, as if each had cast."""
    from app.domain import ballot_box
    from app.extensions import db
    from app.models import Ballot, Eligibility, Participation
    from app.services import polls

    keys, rng = polls.candidate_ids(poll), random.Random(args.seed)
    choices = [ballot_box.validate_choice(polls.ballot_kind(poll), random_choice(kind, keys, rng), keys)
               for _ in range(args.ballots)]
    sealed = seal_all(poll.public_key, choices, ballot_box.ballot_size(polls.ballot_kind(poll), keys), args.processes)
    voters = db.session.scalars(select(Eligibility.pupil_id).where(Eligibility.poll_id == poll.id)).all()
    for start in range(0, len(voters), 10_000):
        db.session.execute(insert(Participation), [dict(poll_id=poll.id, pupil_id=pupil)
                                                   for pupil in voters[start:start + 10_000]])
        db.session.execute(insert(Ballot), [dict(id=secrets.token_hex(16), poll_id=poll.id, sealed=item)
                                             for item in sealed[start:start + 10_000]])
    db.session.commit()


# Measuring -----------------------------------------------------------------------------------------------------

def close_and_count(poll_id: int, educator_id: int) -> tuple[dict[str, float], dict]:
    """The educator's close action (polls/routes.py close), each step timed."""
    from app import ballot_scrub
    from app.extensions import db
    from app.models import User
    from app.models.types import utcnow
    from app.services import polls

    db.session.remove()
    educator, figures = db.session.get(User, educator_id), {}
    with timer("lock_for_closing + close_poll (reconcile, trackers, émargement rewrite)", figures):
        poll = polls.lock_for_closing(poll_id)
        polls.close_poll(poll, educator, utcnow(), counted_next=True)
        db.session.flush()
    with timer(COUNT_STEP, figures):
        result = polls.open_and_count(poll, educator, SECRET.encode() + b"-ballots")
    with timer("commit", figures):
        db.session.commit()
    with timer("ballot_scrub.finish (destroy the key, scrub the files)", figures):
        scrub = ballot_scrub.finish(poll, wait_seconds=30)
    assert scrub.done, scrub.holders
    return figures, result


COUNT_STEP = "open_and_count (unwrap, decrypt, tally, rule, re-seal, rewrite)"


def count_pieces(poll_id: int) -> dict[str, float]:
    """open_and_count's work piece by piece, on the box still open (nothing is stored)."""
    from app.domain import ballot_box
    from app.extensions import db
    from app.models import Poll
    from app.services import ballot_storage, poll_results, polls

    poll, figures = db.session.get(Poll, poll_id), {}
    key = polls.private_key_for(poll, SECRET.encode() + b"-ballots")
    kind, keys = polls.ballot_kind(poll), polls.candidate_ids(poll)
    with timer("  read the sealed ballots (ballot_storage.box_contents)", figures):
        sealed = ballot_storage.box_contents(poll)
    with timer("  decrypt + unpad + decode (open_ballots)", figures):
        choices = list(ballot_box.open_ballots(key, sealed))
    with timer("  validate + tally (ballot_box.tally)", figures):
        aggregates = ballot_box.tally(kind, choices, keys)
    with timer("  rule + result (poll_results.outcome)", figures):
        poll_results.outcome(poll, aggregates, len(choices))
    with timer("  re-seal under a recount key (ballot_box.reseal)", figures):
        ballot_box.reseal(bytes(ballot_box.RECOUNT_KEY_SIZE), choices, ballot_box.ballot_size(kind, keys))
    db.session.rollback()
    return figures


def opening_floor(poll_id: int) -> float:
    """Seconds to open the poll's box with bare crypto_box_seal_open calls (PyNaCl's SealedBox.decrypt), one forked
    process per CPU: what the cryptography alone costs on this machine, now."""
    from nacl.public import PrivateKey, SealedBox

    from app.domain.forked_work import map_forked, split
    from app.extensions import db
    from app.models import Poll
    from app.services import ballot_storage, polls

    poll = db.session.get(Poll, poll_id)
    key, sealed = polls.private_key_for(poll, SECRET.encode() + b"-ballots"), ballot_storage.box_contents(poll)
    db.session.rollback()

    def open_part(part: list[bytes]) -> int:
        box = SealedBox(PrivateKey(key))
        for item in part:
            box.decrypt(item)
        return len(part)

    started = time.perf_counter()
    opened = sum(map_forked(open_part, split(sealed, os.cpu_count() or 1)))
    assert opened == len(sealed)
    return time.perf_counter() - started


def run_backend(backend: str, kind: str, args, workdir: Path) -> None:
    from app.extensions import db

    url = database_for(backend, args, workdir)
    app, setup = make_app(url, workdir / "ballot-keys"), {}
    with app.app_context():
        db.create_all()
        with timer("set-up", setup):
            poll, educator = open_poll(kind, args)
            poll_id, educator_id = poll.id, educator.id
            fill_box(poll, kind, args)
        pieces = count_pieces(poll_id)
        servers.wait_for_quiet_machine(args.quiet_wait)
        machine = servers.machine_busy()
        floor = opening_floor(poll_id)
        floor_load = machine_load(machine, 0.0, floor_cpu=True)
        machine, cpu = servers.machine_busy(), own_cpu(backend, args)
        figures, result = close_and_count(poll_id, educator_id)
        load = machine_load(machine, own_cpu(backend, args) - cpu)
        db.session.remove()
        db.engine.dispose()
    print_count(backend, kind, args.ballots, setup["set-up"], figures, pieces, result, floor)
    print(f"  {floor_load}\n  {load}")
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink()


def own_cpu(backend: str, args) -> float:
    """CPU seconds of this process, of its forked processes that have ended, and of its database server."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system + database_cpu(backend, args)


def database_cpu(backend: str, args) -> float:
    return servers.cpu_seconds(servers.postgres_pids(args.database)) if backend == "postgresql" else 0.0


def machine_load(before: tuple[float, float], own_cpu: float, floor_cpu: bool = False) -> str:
    """How busy the CPUs were during the close (or the floor), and how much of it was this run's own work: this
    process, its forked processes and its database. The floor's own work is all of its time on every CPU."""
    busy, total = (now - then for now, then in zip(servers.machine_busy(), before, strict=True))
    ticks = os.sysconf("SC_CLK_TCK")
    own_cpu = total / ticks if floor_cpu else own_cpu
    line = (f"during the {'floor' if floor_cpu else 'close'}: CPUs {100 * busy / max(total, 1):.0f} % busy, "
            f"load average {os.getloadavg()[0]:.1f}" + ("" if floor_cpu else f", this run {own_cpu:.1f} s of CPU"))
    other = busy / ticks - own_cpu
    if other > 0.1 * total / ticks:
        line += f"\n  WARNING: other processes took {other:.1f} s of CPU during the close: figures skewed"
    return line


def print_count(backend: str, kind: str, ballots: int, setup: float, figures: dict, pieces: dict, result,
                floor: float) -> None:
    print(f"\n== {backend}, {kind}: {ballots:,} ballots (set-up {setup:.0f} s), "
          f"{result['participants']:,} participants counted")
    print(f"  {floor:7.2f} s  the floor: bare SealedBox.decrypt of the box, one forked process per CPU")
    whole = sum(figures.values())
    for label, seconds in (*figures.items(), ("the whole close action", whole)):
        print(f"  {seconds:7.2f} s  {seconds / floor:5.2f}× the floor  {label}")
    for label, seconds in pieces.items():
        print(f"  {seconds:7.2f} s  {label}")
    count = figures[COUNT_STEP]
    print(f"  open_and_count {count:.2f} s, {count / floor:.2f}× the floor: < 5 s {verdict(count < 5)}, "
          f"≤ 1.5× the floor {verdict(count <= 1.5 * floor)}; the whole close {whole:.2f} s: "
          f"< 10 s {verdict(whole < 10)}")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# The rules on aggregates ---------------------------------------------------------------------------------------

def grade_histograms(candidates: int, voters: int, rng: np.random.Generator) -> dict[str, list[int]]:
    histograms = {}
    for index in range(candidates):
        weights = np.exp(-0.5 * ((np.arange(6) - 2 - index / candidates) / 1.3) ** 2)
        histograms[f"c{index}"] = [int(count) for count in rng.multinomial(voters, weights / weights.sum())]
    return histograms


def pairwise_matrix(candidates: int, voters: int, rng: np.random.Generator) -> dict[str, dict[str, int]]:
    """d[a][b] from `voters` full rankings drawn around a common order."""
    positions = np.argsort(np.argsort(rng.normal(np.arange(candidates) / candidates, 0.5, (voters, candidates)),
                                      axis=1), axis=1)
    names = [f"c{index}" for index in range(candidates)]
    return {names[a]: {names[b]: int(np.sum(positions[:, a] < positions[:, b])) for b in range(candidates) if b != a}
            for a in range(candidates)}


def time_rule(call: Callable[[], object], runs: int) -> tuple[float, float]:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), max(durations)


def run_rules(args) -> None:
    from app.domain.voting.majority_judgment import majority_judgment
    from app.domain.voting.schulze import schulze

    rng = np.random.default_rng(args.seed)
    histograms = grade_histograms(args.candidates, args.ballots, rng)
    pairwise = pairwise_matrix(args.candidates, args.ballots, rng)
    names = list(pairwise)
    print(f"\n== Rules on aggregates: {args.candidates} candidates, {args.ballots:,} voters, {args.rule_runs} runs")
    for name, call in (("majority_judgment(histograms)", lambda: majority_judgment(histograms, 1)),
                       ("schulze(pairwise, candidates)", lambda: schulze(pairwise, names, 1))):
        median, worst = time_rule(call, args.rule_runs)
        print(f"  {name:<32} median {median * 1000:8.2f} ms, max {worst * 1000:8.2f} ms  "
              f"(< 50 ms: {verdict(worst < 0.05)})")


def main() -> None:
    args = parse_args()
    print(common.machine())
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    kinds = KINDS if args.kind == "all" else (args.kind,)
    with tempfile.TemporaryDirectory(prefix="agora-count-") as workdir:
        for backend in backends:
            for kind in kinds:
                run_backend(backend, kind, args, Path(workdir))
    servers.wait_for_quiet_machine(args.quiet_wait)
    run_rules(args)
    if args.cleanup and "postgresql" in backends:
        common.drop_database(args.database)


if __name__ == "__main__":
    main()
