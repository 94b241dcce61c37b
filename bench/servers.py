"""Starting and stopping the gunicorn servers a benchmark measures, on 127.0.0.1 only."""

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, VENV_BIN

READY_TIMEOUT = 30.0


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def worker_pids(self) -> list[int]:
        return [pid for pid in _all_pids() if _parent(pid) == self.process.pid]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(name: str, target: str, env: dict[str, str], workers: int, worker_class: str, threads: int,
                   log_dir: Path) -> Server:
    """gunicorn in its own process group, logging to log_dir/<name>.log; returns once it answers."""
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [str(VENV_BIN / "gunicorn"), target, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", worker_class, "--threads", str(threads), "--timeout", "30",
               "--graceful-timeout", "5", "--backlog", "2048"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(name, process, port, log)
    _wait_ready(server)
    return server


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        if len(server.worker_pids) >= 1 and _answers(server.port):
            return
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"{server.name} did not answer within {READY_TIMEOUT:.0f} s")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def stop(server: Server) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers), SIGKILL to its group if it lingers."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=5)


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def pids_named(command: str) -> list[int]:
    """Processes whose command name is `command` (e.g. the PostgreSQL server and its backends)."""
    found = []
    for pid in _all_pids():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == command:
                found.append(pid)
        except OSError:
            continue
    return found


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL server's own processes and the backends of `database`, not other databases' backends.

    A backend's title reads "postgres: 15/main: <user> <database> <address> <state>".
    """
    ours = []
    for pid in pids_named("postgres"):
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        is_backend = len(title) >= 5 and "(" in title[4]
        if not is_backend or title[3] == database:
            ours.append(pid)
    return ours


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (from /proc; children that exited are not counted)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat: two readings give the machine's load over a phase."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def wait_for_quiet_machine(max_wait: float, busy_limit: float = 0.12, sample: float = 5.0, needed: int = 2) -> None:
    """Other work on the machine (a test suite, another benchmark) skews every figure: wait until it stops,
    that is until `needed` samples in a row find the CPUs at most busy_limit busy."""
    deadline, quiet = time.monotonic() + max_wait, 0
    while quiet < needed:
        before = machine_busy()
        time.sleep(sample)
        busy, total = (now - then for now, then in zip(machine_busy(), before, strict=True))
        quiet = quiet + 1 if busy / max(total, 1) <= busy_limit else 0
        if quiet < needed and time.monotonic() > deadline:
            print(f"warning: the machine is still {100 * busy / max(total, 1):.0f} % busy with other work")
            return
