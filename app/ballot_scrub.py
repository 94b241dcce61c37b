"""After a box is closed, counted or cancelled: destroy the keys it no longer needs, and leave no trace of the cast
ballots or their order in the database files. Runs after the commit, outside any transaction.

SQLite (secure_delete on) zeroes deleted cells; the WAL, which still holds each cast as one commit, is checkpointed
and truncated, retried until no reader holds it. PostgreSQL keeps deleted rows in the heap until the table is
rewritten; VACUUM FULL does it, but copies the rows that an older snapshot may still see, so the rewrite waits for
those snapshots and names them when they outlast the wait. What the WAL already shipped cannot be recalled: that
is why the keys are destroyed first (docs/ballot-secrecy.md).
"""

import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from app import ballot_keys
from app.extensions import db
from app.models import Poll

log = logging.getLogger(__name__)
RETRY_SECONDS = 0.1


@dataclass
class Scrub:
    done: bool
    holders: list[str] = field(default_factory=list)  # what kept the old rows or the WAL alive


def forget_spent_keys(poll: Poll) -> None:
    """A counted poll's key and a cancelled poll's keys are destroyed; a counted poll keeps its recount key."""
    if poll.key_name is None or poll.status not in ("counted", "cancelled"):
        return
    store = ballot_keys.current_key_store()
    store.destroy(poll.key_name)
    if poll.status == "cancelled":
        store.destroy(ballot_keys.recount_name(poll.key_name))


def finish(poll: Poll, wait_seconds: float | None = None) -> Scrub:
    """Destroys the spent keys and scrubs; the poll stays marked until a scrub succeeds (the next try, or
    `flask ballots scrub`). Never raises for a busy database: the caller says it to the educator."""
    from flask import current_app

    wait = current_app.config["BALLOT_SCRUB_WAIT_SECONDS"] if wait_seconds is None else wait_seconds
    poll_id = poll.id
    try:
        forget_spent_keys(poll)
    except ballot_keys.KeyStoreError as error:
        log.error("ballot keys of poll %s not destroyed yet: %s", poll_id, error)
        return Scrub(False, [str(error)])
    db.session.commit()  # reading the poll began a transaction, whose snapshot would hold back the scrub
    scrub = scrub_database(poll_id, wait)
    if scrub.done:
        db.session.execute(text("UPDATE poll SET scrub_pending = :no WHERE id = :id"), {"no": False, "id": poll_id})
        db.session.commit()
        if db.engine.dialect.name == "sqlite":  # that update went to the WAL: leave it empty (or nearly) at rest
            scrub_database(poll_id, 0)
    else:
        log.warning("ballot storage of poll %s not scrubbed yet, held by: %s", poll_id, "; ".join(scrub.holders))
    return scrub


def pending_polls() -> list[Poll]:
    """Every poll whose keys or scrub are still pending, as after a crash or a busy database."""
    return list(db.session.scalars(select(Poll).where(Poll.scrub_pending.is_(True)).order_by(Poll.id)))


def scrub_database(poll_id: int, wait_seconds: float) -> Scrub:
    engine = db.engine
    deadline = time.monotonic() + wait_seconds
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            return _checkpoint_sqlite(connection, deadline)
        if engine.dialect.name == "postgresql":
            return _rewrite_postgresql(connection, poll_id, deadline)
    return Scrub(True)


def _checkpoint_sqlite(connection, deadline: float) -> Scrub:
    connection.exec_driver_sql("PRAGMA busy_timeout = 200")
    try:
        while True:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
            if not busy:
                return Scrub(True)
            if time.monotonic() >= deadline:
                return Scrub(False, ["another connection kept reading the database"])
            time.sleep(RETRY_SECONDS)
    finally:
        connection.exec_driver_sql("PRAGMA busy_timeout = 10000")


# What keeps the rows deleted by the close, count or cancel (the last change to the poll row) alive through VACUUM
# FULL: a snapshot older than that change in this database, and a transaction older than it in any database (VACUUM
# FULL's own snapshot starts below every running transaction of the server, and a READ COMMITTED transaction that
# has written keeps its id between statements, with no snapshot to show). The last line catches what the others
# cannot name, such as sessions of another role whose activity is hidden.
_HOLDERS = text("""
    SELECT 'session ' || a.pid || coalesce(' (' || nullif(a.application_name, '') || ')', '')
           || coalesce(' in ' || a.datname, '') || ', ' || coalesce(a.state, '?')
           || ' since ' || coalesce(to_char(a.xact_start, 'HH24:MI:SS'), '?')
    FROM pg_stat_activity a, poll p
    WHERE p.id = :poll_id AND a.pid <> pg_backend_pid()
      AND ((a.backend_xid IS NOT NULL AND age(a.backend_xid) >= age(p.xmin))
           OR (a.backend_xmin IS NOT NULL AND age(a.backend_xmin) >= age(p.xmin)
               AND (a.datname = current_database() OR a.datname IS NULL)))
    UNION ALL
    SELECT 'replication slot ' || s.slot_name FROM pg_replication_slots s, poll p
    WHERE p.id = :poll_id AND s.xmin IS NOT NULL AND age(s.xmin) >= age(p.xmin)
    UNION ALL
    SELECT 'prepared transaction ' || x.gid FROM pg_prepared_xacts x, poll p
    WHERE p.id = :poll_id AND age(x.transaction) >= age(p.xmin)
    UNION ALL
    SELECT 'a transaction older than the count' FROM poll p
    WHERE p.id = :poll_id
      AND age((pg_snapshot_xmin(pg_current_snapshot())::text::numeric % 4294967296)::text::xid) >= age(p.xmin)
""")


def _rewrite_postgresql(connection, poll_id: int, deadline: float) -> Scrub:
    while holders := list(connection.execute(_HOLDERS, {"poll_id": poll_id}).scalars()):
        if time.monotonic() >= deadline:
            return Scrub(False, holders)
        time.sleep(RETRY_SECONDS)
    connection.exec_driver_sql("SET lock_timeout = '3s'")
    try:
        connection.exec_driver_sql("VACUUM FULL ballot")
        connection.exec_driver_sql("VACUUM FULL participation")
    except OperationalError as error:  # a lock not granted in time: casts or readers held the tables
        return Scrub(False, [str(error.orig).strip()])
    finally:
        connection.exec_driver_sql("RESET lock_timeout")
    return Scrub(True)
