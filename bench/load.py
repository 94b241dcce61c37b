"""Load generators: open-loop arrivals paced over a minute, and closed loops of N clients for peak throughput."""

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from bench.client import StepFailed


@dataclass
class Results:
    """Latencies by step, failures by label, and successful casts; shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter = field(default_factory=Counter)
    cast_times: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    closed: bool = False  # after the hard stop, late answers are not counted
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, step: str, seconds: float) -> None:
        with self._lock:
            if not self.closed:
                self.latencies[step].append(seconds)

    def failed(self, label: str) -> None:
        with self._lock:
            if not self.closed:
                self.failures[label] += 1

    def cast(self) -> None:
        with self._lock:
            if not self.closed:
                self.cast_times.append(time.monotonic() - self.started)

    def close(self, unfinished: int) -> None:
        with self._lock:
            self.failures["unfinished at the hard stop"] += unfinished
            self.closed = True

    def late(self, seconds: float) -> None:
        with self._lock:
            self.lateness.append(seconds)

    @property
    def casts(self) -> int:
        return len(self.cast_times)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


def attempt(task: Callable[[Results], None], results: Results, deadline: float) -> None:
    """Runs one task (a pupil's journey, or one cast); any refusal or exception counts as one error."""
    if time.monotonic() > deadline:
        results.failed("not started before the hard stop")
        return
    try:
        task(results)
    except StepFailed as failure:
        results.failed(str(failure))
    except Exception as error:  # a timeout, a reset connection: an error the pupil would see
        results.failed(type(error).__name__)


def arrival_offsets(count: int, seconds: float, seed: int) -> list[float]:
    """Poisson arrivals given their number: uniform instants in [0, seconds), sorted."""
    rng = random.Random(seed)
    return sorted(rng.uniform(0, seconds) for _ in range(count))


def open_loop(tasks: Sequence[Callable[[Results], None]], seconds: float, hard_stop: float, seed: int,
              threads: int = 200) -> Results:
    """Starts each task at its arrival time whatever the server's pace; stops waiting at hard_stop."""
    results = Results()
    deadline = results.started + hard_stop
    pool = ThreadPoolExecutor(threads, thread_name_prefix="pupil")
    futures = []
    for offset, task in zip(arrival_offsets(len(tasks), seconds, seed), tasks, strict=True):
        time.sleep(max(0.0, results.started + offset - time.monotonic()))
        results.late(time.monotonic() - results.started - offset)
        futures.append(pool.submit(attempt, task, results, deadline))
    _, unfinished = wait(futures, timeout=max(0.0, deadline - time.monotonic()))
    if unfinished:
        results.close(len(unfinished))
    pool.shutdown(wait=True, cancel_futures=True)  # the requests in flight end within the client's timeout
    return results


def closed_loop(tasks: Sequence[Callable[[Results], None]], clients: int, seconds: float) -> tuple[Results, float]:
    """N clients, each sending its next task as soon as the last one answered, for `seconds` or until the tasks
    run out; returns the results and the elapsed time (until the last answer)."""
    results = Results()
    deadline = results.started + seconds
    queue = iter(tasks)
    lock = threading.Lock()

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                task = next(queue, None)
            if task is None:
                return
            attempt(task, results, deadline + 30)

    workers = [threading.Thread(target=client, name=f"client-{number}") for number in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, time.monotonic() - results.started
