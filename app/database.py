"""Database settings SQLAlchemy does not choose for us: SQLite enforces foreign keys, zeroes deleted data,
waits for locks, and lets a writing request take the write lock up front (BEGIN IMMEDIATE)."""

import sqlite3
from pathlib import Path

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite would issue its own deferred BEGIN; we issue BEGIN ourselves in _sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "secure_delete = ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def begin_writing(session: Session) -> None:
    """Ends the request's reading so far and starts a transaction that holds SQLite's write lock.

    In WAL mode a reading transaction that later writes fails at once if another writer committed meanwhile;
    taking the lock first makes concurrent writers wait their turn instead. PostgreSQL needs nothing here.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.commit()
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


WRITING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _writing_requests_take_the_lock() -> None:
    from flask import request

    from app.extensions import db

    if request.method in WRITING_METHODS and request.endpoint != "static":
        begin_writing(db.session)


def _make_sqlite_folder(url: str) -> None:
    """A fresh checkout has no instance/ folder yet: SQLite creates the file, not the folder it goes in."""
    database = make_url(url).database if url.startswith("sqlite") else None
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def bounded_waits(url: str, lock_wait_seconds: float, statement_seconds: float) -> dict:
    """Connection arguments so that no request waits long for a lock or a statement: one stuck transaction makes
    the others answer "try again", it does not stall every worker of the school."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return {"timeout": lock_wait_seconds}  # SQLite's busy timeout
    if backend == "postgresql":
        settings = {"lock_timeout": lock_wait_seconds, "statement_timeout": statement_seconds,
                    "idle_in_transaction_session_timeout": statement_seconds}
        return {"options": " ".join(f"-c {name}={int(seconds * 1000)}" for name, seconds in settings.items())}
    return {}


def init_app(app) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    connect_args = {**bounded_waits(url, app.config["DATABASE_LOCK_WAIT_SECONDS"],
                                    app.config["DATABASE_STATEMENT_SECONDS"]), **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    _make_sqlite_folder(url)
    for name, listener in (("connect", _sqlite_connect), ("begin", _sqlite_begin)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)
    app.before_request_funcs.setdefault(None, []).insert(0, _writing_requests_take_the_lock)
