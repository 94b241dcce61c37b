"""`make run` serves with gunicorn, not Flask's development server: one process with threads (exact sign-in limits
without Redis, SQLite in WAL), compressed answers, cookies that work over plain http, and Ctrl-C stops it all."""

import gzip
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.http.test_server_restarts import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 30


def make(*arguments: str) -> list[str]:
    return ["make", "--no-print-directory", "-C", str(ROOT), *arguments]


def dry_run(target: str) -> list[str]:
    commands = subprocess.run(make("-n", target), capture_output=True, text=True, timeout=30, check=True).stdout
    return commands.strip().splitlines()


def test_make_run_ends_with_the_serve_command():
    assert dry_run("run")[-1] == dry_run("serve")[0]
    assert "/gunicorn " in dry_run("serve")[0]


def get_home(port: int) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    return connection.getresponse()


def wait_for_home(port: int, server: subprocess.Popen, log: Path) -> http.client.HTTPResponse:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make serve exited:\n{log.read_text()[-3000:]}")
        try:
            return get_home(port)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing answered on port {port} within {READY_SECONDS} s:\n{log.read_text()[-3000:]}")


def processes_in_group(group: int) -> dict[int, str]:
    """pid → command name of every process still in the process group."""
    found = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(name)) == group:
                found[int(name)] = Path(f"/proc/{name}/comm").read_text().strip()
        except OSError:
            continue
    return found


@pytest.fixture
def served(tmp_path):
    """`make serve` as `make run` ends, on a free port, against a fresh SQLite file; stopped as Ctrl-C would."""
    url = f"sqlite:///{tmp_path / 'agora.sqlite'}"
    schema = make_app(url)
    with schema.app_context():
        db.create_all()
        db.engine.dispose()
    port, log = free_port(), tmp_path / "serve.log"
    env = {**os.environ, "AGORA_CONFIG": "development", "DATABASE_URL": url,
           "BALLOT_KEY_STORE": str(tmp_path / "keys")}
    with log.open("w") as out:
        server = subprocess.Popen(make("serve", f"PORT={port}", f"BIN={Path(sys.executable).parent}"), env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield server, port, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def test_make_run_serves_with_one_threaded_gunicorn_process_and_compresses(served):
    server, port, log = served
    home = wait_for_home(port, server, log)
    assert home.status == 200 and home.getheader("Server", "").startswith("gunicorn")
    assert home.getheader("Content-Encoding") == "gzip" and "Accept-Encoding" in home.getheader("Vary", "")
    assert b"<html" in gzip.decompress(home.read())
    assert home.getheader("Connection") == "keep-alive", "gunicorn's threaded worker keeps the connection open"
    cookie = home.getheader("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" not in cookie, "the session cookie must work over http://127.0.0.1"
    names = list(processes_in_group(server.pid).values())
    assert names.count("gunicorn") == 2, f"one master and one worker: {names}"


def test_ctrl_c_stops_every_process_of_make_run(served):
    server, port, log = served
    wait_for_home(port, server, log)
    os.killpg(server.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group on Ctrl-C
    server.wait(20)
    deadline = time.monotonic() + 10
    while processes_in_group(server.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in_group(server.pid) == {}
