"""The server as deployed (gunicorn with the repository's gunicorn.conf.py): a worker that dies is replaced at
once, and the other workers answer meanwhile."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as answer:  # noqa: S310
            return answer.status == 200
    except OSError:
        return False


def workers_of(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


def wait_for(condition, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "AGORA_CONFIG": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'agora.sqlite'}",
           "BALLOT_KEY_STORE": str(tmp_path / "keys"), "BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    master = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: healthy(port) and len(workers_of(master.pid)) == 2, 30)
        yield master, port
    finally:
        master.terminate()
        master.wait(30)


def test_a_killed_worker_is_replaced_at_once_while_the_other_answers(server):
    master, port = server
    before = workers_of(master.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    assert healthy(port), "the other worker answers meanwhile"
    replaced_in = wait_for(lambda: len(workers_of(master.pid) - {victim}) == 2 and healthy(port), 10)
    assert replaced_in < 3, f"the new worker took {replaced_in:.1f} s"


def test_a_production_server_with_several_workers_refuses_to_start_without_redis(tmp_path):
    secret = "Qx7-" + "".join(chr(ord("a") + n % 26) + str(n % 10) for n in range(24))
    env = {**os.environ, "AGORA_CONFIG": "production", "REDIS_URL": "", "GUNICORN_WORKERS": "2",
           "BIND": f"127.0.0.1:{free_port()}", "SECRET_KEY": secret, "BALLOT_KEY_SECRET": secret[::-1],
           "PUBLIC_URL": "https://agora.example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'agora.sqlite'}",
           "BALLOT_KEY_STORE": str(tmp_path / "keys")}
    started = subprocess.run([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                             capture_output=True, text=True, timeout=60, check=False)
    assert started.returncode != 0
    assert "Several workers need REDIS_URL" in started.stderr
