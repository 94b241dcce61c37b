"""What every benchmark needs: a throw-away PostgreSQL database, the app's environment, figures and the machine."""

import math
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_url(name: str, host_url: str = ADMIN_URL) -> str:
    return host_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(name: str) -> str:
    """Drops and creates the database `name` on the local server; returns its URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(name)


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def app_environment(url: str, secret: str, config: str = "production") -> dict[str, str]:
    """The environment the app reads (config.py): real secrets, the public address, the database, no outgoing mail,
    and the Redis that several production workers must share for their sign-in limits (BENCH_REDIS_URL)."""
    env = dict(os.environ)
    env.update(AGORA_CONFIG=config, SECRET_KEY=secret, BALLOT_KEY_SECRET=secret[::-1] + "-ballots",
               DATABASE_URL=url, MAIL_BACKEND="console", FLASK_APP="wsgi.py", PUBLIC_URL="http://127.0.0.1",
               PROXY_COUNT="1", REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    return env


APP_SETTINGS = ("AGORA_CONFIG", "SECRET_KEY", "BALLOT_KEY_SECRET", "PUBLIC_URL", "PROXY_COUNT", "REDIS_URL",
                "DATABASE_URL", "MAIL_BACKEND")


def use_app_environment(env: dict[str, str]) -> None:
    """The in-process app used for setting up reads the same settings as the servers."""
    os.environ.update({key: env[key] for key in APP_SETTINGS})


def migrate(env: dict[str, str]) -> None:
    """`flask db upgrade`, as a deployment would run it."""
    subprocess.run([str(VENV_BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, text=True, timeout=120)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; values need not be sorted."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 6))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def summary_ms(latencies: list[float]) -> str:
    """p50 / p95 / p99 / max of latencies given in seconds, in milliseconds."""
    if not latencies:
        return "no samples"
    figures = [percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99), max(latencies)]
    p50, p95, p99, top = (value * 1000 for value in figures)
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {top:.1f} ms, mean " \
           f"{statistics.fmean(latencies) * 1000:.1f} ms (n={len(latencies)})"


def machine() -> str:
    """nproc, memory, CPU model, Python and PostgreSQL versions: the lines docs/benchmarks.md records."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    with psycopg.connect(ADMIN_URL) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return (f"{os.cpu_count()} CPU ({model}), {memory} RAM, Python {platform.python_version()}, "
            f"PostgreSQL {server}")
