"""The §14 baseline: the cast's SQL transaction as a plain WSGI function with psycopg and PyNaCl, no framework.

POST /cast with poll, pupil and choice in a form body. It runs what casting.cast_ballot makes the database do —
share-lock the poll, check eligibility and émargement, insert the émargement and a sealed ballot padded to the
same size, commit — and answers 303 like the booth. No session, CSRF, rate limit, ORM or template: that
difference is the framework's cost that §14 bounds. Served by gunicorn: `gunicorn bench.bare_cast:app`, with
BARE_DATABASE_URL set.
"""

import json
import os
import secrets
from datetime import UTC, datetime
from urllib.parse import parse_qs

import psycopg
from nacl.public import PublicKey, SealedBox

BALLOT_SIZE = 512  # ballot_box.ballot_size() of a motion
OPTIONS = ("for", "against", "abstain", "blank")
STATUS = {"cast": "303 See Other", "already": "303 See Other", "bad_request": "400 Bad Request"}
_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    """One connection per worker process, opened on first use (gunicorn forks before any request)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["BARE_DATABASE_URL"])
    return _connection


def seal(public_key: bytes, choice: str) -> bytes:
    """The same framing as ballot_box.pad (2-byte length, JSON, zeros), sealed for the poll's key."""
    data = json.dumps(choice).encode()
    padded = len(data).to_bytes(2, "big") + data + bytes(BALLOT_SIZE - 2 - len(data))
    return SealedBox(PublicKey(public_key)).encrypt(padded)


def _refusal(db: psycopg.Connection, poll_id: int, pupil_id: int) -> tuple[str | None, bytes | None]:
    poll = db.execute("SELECT status, public_key, closes_at FROM poll WHERE id = %s FOR SHARE", (poll_id,)).fetchone()
    if poll is None:
        return "unknown_poll", None
    status, public_key, closes_at = poll
    if status != "open" or (closes_at is not None and closes_at <= datetime.now(UTC).replace(tzinfo=None)):
        return "not_open", None
    pair = (poll_id, pupil_id)
    if db.execute("SELECT 1 FROM poll_eligibility WHERE poll_id = %s AND pupil_id = %s", pair).fetchone() is None:
        return "not_eligible", None
    if db.execute("SELECT 1 FROM participation WHERE poll_id = %s AND pupil_id = %s", pair).fetchone():
        return "already", None
    return None, public_key


def cast(poll_id: int, pupil_id: int, choice: str) -> str:
    db = connection()
    try:
        with db.transaction():
            refusal, public_key = _refusal(db, poll_id, pupil_id)
            if refusal:
                return refusal
            sealed = seal(public_key, choice)
            db.execute("INSERT INTO participation (poll_id, pupil_id) VALUES (%s, %s)", (poll_id, pupil_id))
            db.execute("INSERT INTO ballot (id, poll_id, sealed) VALUES (%s, %s, %s)",
                       (secrets.token_hex(16), poll_id, sealed))
    except psycopg.errors.UniqueViolation:
        return "already"
    return "cast"


def _read_form(environ) -> tuple[int, int, str] | None:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(min(length, 4096)).decode("utf-8", "replace"))
    try:
        poll_id, pupil_id, choice = int(form["poll"][0]), int(form["pupil"][0]), form["choice"][0]
    except (KeyError, ValueError):
        return None
    return (poll_id, pupil_id, choice) if choice in OPTIONS else None


def app(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != "/cast":
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    form = _read_form(environ)
    outcome = cast(*form) if form else "bad_request"
    start_response(STATUS.get(outcome, "409 Conflict"),
                   [("Location", "/voted"), ("X-Outcome", outcome), ("Content-Length", "0")])
    return [b""]
