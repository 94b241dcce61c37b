"""The README's deploy steps, run as an operator would on PostgreSQL: a role and a database of its own, the
migrations, the first federation admin from the shell, then gunicorn with production settings, answering on the
public host and letting that admin sign in."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import POSTGRES_URL
from tests.http.test_server_restarts import free_port, wait_for

pytestmark = pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="the deploy section is PostgreSQL's")
ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "an operator's long passphrase"  # noqa: S105
# The Python of the deployment: .ci/run points this at a fresh virtual environment made with `pip install .`.
DEPLOY_PYTHON = os.environ.get("AGORA_DEPLOY_PYTHON", sys.executable)


@pytest.fixture
def operator_database():
    """`createuser --pwprompt agora`, `createdb --owner agora agora` and the unaccent extension, as the README says."""
    server = make_url(POSTGRES_URL)
    suffix = secrets.token_hex(3)
    role, database, password = f"agora_deploy_{suffix}", f"agora_deploy_{suffix}", secrets.token_urlsafe(12)
    superuser = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with superuser.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        connection.execute(text(f"CREATE DATABASE {database} OWNER {role}"))
    owner_db = create_engine(server.set(database=database), isolation_level="AUTOCOMMIT")
    with owner_db.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    owner_db.dispose()
    yield server.set(username=role, password=password, database=database).render_as_string(hide_password=False)
    with superuser.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
    superuser.dispose()


def production_environment(database_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    return {**os.environ, "AGORA_CONFIG": "production", "PUBLIC_URL": "https://agora.example.org",
            "PROXY_COUNT": "1", "SECRET_KEY": secrets.token_urlsafe(32), "BALLOT_KEY_SECRET": secrets.token_urlsafe(32),
            "DATABASE_URL": database_url, "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "BALLOT_KEY_STORE": str(tmp_path / "ballot-keys"), "FLASK_APP": "wsgi.py", "BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2", "MAIL_BACKEND": "console"}


def flask(env, *args, answers: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([DEPLOY_PYTHON, "-m", "flask", *args], cwd=ROOT, env=env, input=answers,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_readme_deploy_gives_a_server_with_a_first_admin(operator_database, tmp_path):
    port = free_port()
    env = production_environment(operator_database, tmp_path, port)
    migrated = flask(env, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    made = flask(env, "accounts", "create-admin", "you@example.org", "--name", "Operator",
                 answers=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert made.returncode == 0 and ADMIN_PASSWORD not in made.stdout + made.stderr, made.stderr[-2000:]
    server = subprocess.Popen([DEPLOY_PYTHON, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        browser = ProxiedBrowser(f"http://127.0.0.1:{port}")
        wait_for(lambda: browser.answers("/health"), 30)
        form = browser.open("/account/sign-in").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        browser.open("/account/sign-in", {"csrf_token": token, "email": "you@example.org", "password": ADMIN_PASSWORD})
        assert "Federation" in browser.open("/federation/").read().decode()
    finally:
        server.terminate()
        server.wait(30)


class ProxiedBrowser:
    """Requests as the HTTPS proxy in front would pass them on: the public host, the scheme and the client's address
    forwarded; the cookies (Secure ones included) kept by hand, since the hop itself is plain HTTP."""

    HEADERS = {"Host": "agora.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7",
               "Referer": "https://agora.example.org/"}

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def open(self, path: str, form: dict | None = None):
        headers = {**self.HEADERS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            answer = self.opener.open(urllib.request.Request(self.base + path, data=data, headers=headers),  # noqa: S310
                                      timeout=5)
        except urllib.error.HTTPError as redirect:
            if redirect.code not in (302, 303):
                raise
            answer = redirect
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return answer

    def answers(self, path: str) -> bool:
        try:
            return self.open(path).status == 200
        except OSError:
            time.sleep(0.2)
            return False


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
