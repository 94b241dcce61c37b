"""Who used the CPUs during a benchmark phase: the server's workers, PostgreSQL, the load generator, and the rest.

On a 2-core machine the load generator and PostgreSQL share the cores with the server, and other work on the
machine (a test suite, another benchmark) skews every figure; this is how a run shows it.
"""

import os
import time

from bench import servers

TICKS = os.sysconf("SC_CLK_TCK")


class Usage:
    """Readings at the start of a phase; stop() takes the second readings and computes the differences."""

    def __init__(self, server: servers.Server, database: str) -> None:
        self.server, self.pids, self.database = server, server.worker_pids, database
        self._machine = servers.machine_busy()
        self._workers = servers.cpu_seconds(self.pids)
        self._postgres = servers.cpu_seconds(servers.postgres_pids(database))
        self._client = time.process_time()

    def stop(self) -> "Usage":
        busy, total = (now - then for now, then in zip(servers.machine_busy(), self._machine, strict=True))
        self.busy_share, self.capacity = busy / max(total, 1), total / TICKS
        self.workers = servers.cpu_seconds(self.pids) - self._workers
        self.postgres = servers.cpu_seconds(servers.postgres_pids(self.database)) - self._postgres
        self.client = time.process_time() - self._client
        self.other = busy / TICKS - self.workers - self.postgres - self.client
        return self

    @property
    def skewed(self) -> bool:
        return self.other > 0.1 * self.capacity

    def report(self, casts: int = 0) -> str:
        line = (f"CPU: machine {100 * self.busy_share:.0f} % busy; {self.server.name} workers {self.workers:.1f} s, "
                f"PostgreSQL {self.postgres:.1f} s, load generator {self.client:.1f} s, "
                f"anything else {self.other:.1f} s")
        if casts:
            line += (f"\n  per cast: {1000 * self.workers / casts:.2f} ms of worker CPU + "
                     f"{1000 * self.postgres / casts:.2f} ms of PostgreSQL CPU")
        if self.skewed:
            line += "\n  WARNING: other processes took over 10 % of the CPUs during this phase: figures skewed"
        return line
