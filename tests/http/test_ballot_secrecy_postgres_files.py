"""SPEC §7 from the side of someone who holds the PostgreSQL server's files: heap pages, WAL segments and key store."""

import itertools
import pathlib
import re
import struct
import sys
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app import ballot_keys, ballot_scrub
from app.domain import ballot_box
from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Ballot, Poll
from app.models.types import utcnow
from app.services import casting, classes, polls
from tests.http.ballot_attacks import keys_in, keys_that_open, server_secret, traces, unwrapped

pytestmark = pytest.mark.postgres

VOTERS = 25
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SHORT_PAGE_HEADER = 24  # XLogPageHeaderData, MAXALIGNed
LONG_PAGE_HEADER = 40  # XLogLongPageHeaderData, on the first page of each segment
BLOCK_REF = re.compile(r"rel (\d+)/(\d+)/(\d+) fork main blk \d+")
HOLDER = "agora-test-old-snapshot"
PAGES = ("FROM generate_series(0, pg_relation_size(CAST(:rel AS regclass)) / current_setting('block_size')::bigint - 1)"
         " AS page(blkno)")


# The server, and reading it as its files hold it.


@dataclass(frozen=True)
class Server:
    """What reading this PostgreSQL server's files takes."""

    wal_folder: pathlib.Path
    database_oid: int
    segment_size: int
    wal_page_size: int


def _rows(sql: str, **params) -> list:
    """Rows read apart from the app's session, in autocommit: no snapshot of ours holds the scrub back."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return list(connection.execute(text(sql), params))


def _value(sql: str, **params):
    return _rows(sql, **params)[0][0]


def _is_local(url: URL) -> bool:
    host = url.host or url.query.get("host", "")
    return not host or host.startswith("/") or host in LOCAL_HOSTS


def _settings(connection) -> dict[str, str]:
    """The server's settings this test needs, and the WAL segment being written; skips when it cannot have them."""
    for extension in ("pageinspect", "pg_walinspect"):
        try:
            connection.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        except DBAPIError as error:
            pytest.skip(f"cannot create the {extension} extension: {str(error.orig).splitlines()[0]}")
    settings = dict(connection.exec_driver_sql(
        "SELECT name, setting FROM pg_settings WHERE name IN ('data_directory', 'wal_segment_size', 'wal_block_size')"
        " UNION ALL SELECT 'database_oid', oid::text FROM pg_database WHERE datname = current_database()"
        " UNION ALL SELECT 'segment', file_name FROM pg_walfile_name_offset(pg_current_wal_flush_lsn())").all())
    if "data_directory" not in settings:
        pytest.skip("this role may not see the server's data_directory (superuser or pg_read_all_settings needed)")
    return settings


@pytest.fixture
def server(app) -> Server:
    """This run's PostgreSQL server, when its files can be read from this process; skipped otherwise."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip(f"reads PostgreSQL's files; this run's database is {db.engine.dialect.name}")
    if not _is_local(db.engine.url):
        pytest.skip(f"the PostgreSQL server at {db.engine.url.host} is not on this machine: its files are out of reach")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        settings = _settings(connection)
    wal_folder = pathlib.Path(settings["data_directory"]) / "pg_wal"
    try:
        with (wal_folder / settings["segment"]).open("rb") as segment:
            segment.read(1)
    except OSError as error:
        pytest.skip(f"the server's WAL in {wal_folder} cannot be read by this process: {error.strerror}")
    return Server(wal_folder, int(settings["database_oid"]), int(settings["wal_segment_size"]),
                  int(settings["wal_block_size"]))


def _lsn(value: str) -> int:
    high, low = value.split("/")
    return int(high, 16) << 32 | int(low, 16)


def _lsn_text(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


def flushed_lsn() -> int:
    """The WAL's end as far as it is on disk: what pg_walinspect may read, and what the segment files surely hold."""
    return _lsn(_value("SELECT pg_current_wal_flush_lsn()::text"))


@dataclass(frozen=True)
class HeapTuple:
    xmin: int
    xmax: int
    data: bytes


def heap_tuples(relation: str) -> list[HeapTuple]:
    """Every tuple on every page of the relation, dead ones included, as pageinspect reads the pages."""
    rows = _rows("SELECT item.t_xmin::text::bigint, item.t_xmax::text::bigint, item.t_data " + PAGES
                 + " CROSS JOIN LATERAL heap_page_items(get_raw_page(CAST(:rel AS text), page.blkno)) AS item"
                 " WHERE item.t_xmin IS NOT NULL", rel=relation)
    return [HeapTuple(xmin, xmax, bytes(data or b"")) for xmin, xmax, data in rows]


def page_bytes(relation: str) -> bytes:
    """The relation's pages, whole: free space and line pointers too."""
    pages = _rows("SELECT get_raw_page(CAST(:rel AS text), page.blkno) " + PAGES, rel=relation)
    return b"".join(bytes(page) for (page,) in pages)




# What an attacker notes down during the vote, and finds in the heap after it.


@dataclass
class Vote:
    """A poll voted on, and what someone reading the database during the vote could note down."""

    poll: Poll
    cast: dict[int, bytes]  # pupil id → the ciphertext they cast
    xids: dict[bytes, int]  # ciphertext → the transaction that cast it
    wrapped: bytes  # the wrapped private key, as a dump taken during the vote holds it
    filenodes: dict[int, str]  # relfilenode → table, as the WAL names the tables during the vote
    wal_start: int
    wal_end: int


@dataclass(frozen=True)
class HeapTraces:
    """What the pages of the ballot and participation tables, dead tuples included, still hold of a vote."""

    cast_xids: set[int]  # the casts' transaction ids found as a tuple's xmin or xmax
    in_tuples: int  # cast ciphertexts that some tuple's data holds whole
    in_pages: int  # cast ciphertexts of which some 32-byte slice lies anywhere in the pages
    participation_xmins: list[int]  # the xmin of each participation tuple of the poll


def heap_traces(vote: Vote) -> HeapTraces:
    participation = heap_tuples("participation")
    tuples = [*heap_tuples("ballot"), *participation]
    pages = b"".join(page_bytes(relation) for relation in _heap_relations())
    cast = list(vote.cast.values())
    return HeapTraces(
        {xid for item in tuples for xid in (item.xmin, item.xmax)} & set(vote.xids.values()),
        sum(any(ciphertext in item.data for item in tuples) for ciphertext in cast),
        sum(bool(traces(ciphertext, pages)) for ciphertext in cast),
        [item.xmin for item in participation if _poll_id_of(item) == vote.poll.id],
    )


def _poll_id_of(participation: HeapTuple) -> int:
    """A participation tuple begins with its poll_id, an int4 in the server's byte order: this machine's."""
    return int.from_bytes(participation.data[:4], sys.byteorder)


def _heap_relations() -> list[str]:
    toast = _value("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'ballot'::regclass")
    return ["ballot", toast, "participation"]


def assert_scrubbed(vote: Vote) -> None:
    """After a scrub said done: VACUUM FULL dropped every dead row of the vote."""
    found = heap_traces(vote)
    assert found.cast_xids == set(), "no tuple, live or dead, carries a cast's transaction id"
    assert found.in_tuples == 0 and found.in_pages == 0, "no cast ciphertext, nor a piece of one, is left in a page"
    assert len(found.participation_xmins) == len(vote.cast), "one participation tuple a voter, no dead one"
    assert len(set(found.participation_xmins)) == 1, "the émargement was written by one transaction"


# The WAL: its records as pg_walinspect lists them, and its segment files as they lie on the disk.


def heap_inserts(server: Server, vote: Vote) -> dict[int, Counter]:
    """For each transaction of the vote, how many Heap INSERT records the WAL holds into each of the two tables."""
    rows = _rows("SELECT xid::text::bigint, block_ref FROM pg_get_wal_records_info(CAST(:start AS pg_lsn),"
                 " CAST(:end AS pg_lsn)) WHERE resource_manager = 'Heap' AND record_type LIKE 'INSERT%'",
                 start=_lsn_text(vote.wal_start), end=_lsn_text(vote.wal_end))
    inserts: dict[int, Counter] = defaultdict(Counter)
    for xid, block_ref in rows:
        for _space, database, filenode in BLOCK_REF.findall(block_ref or ""):
            if int(database) == server.database_oid and int(filenode) in vote.filenodes:
                inserts[xid][vote.filenodes[int(filenode)]] += 1
    return inserts


def wal_bytes(server: Server, start: int, end: int) -> tuple[int, bytes]:
    """The WAL from the page holding start up to end, read from the segment files only; and the LSN it begins at."""
    first = start - start % server.wal_page_size
    chunks = []
    for segment in range(first - first % server.segment_size, end, server.segment_size):
        # given the LSN of a segment's first byte, pg_walfile_name names the segment before it
        name = _value("SELECT pg_walfile_name(CAST(:lsn AS pg_lsn))", lsn=_lsn_text(segment + 1))
        with (server.wal_folder / name).open("rb") as file:
            file.seek(max(first, segment) - segment)
            chunks.append(file.read(min(end, segment + server.segment_size) - max(first, segment)))
    content = b"".join(chunks)
    for offset in range(0, len(content), server.wal_page_size):
        _magic, _info, _timeline, address = struct.unpack_from("=HHIQ", content, offset)
        assert address == first + offset, "a page of another WAL: the segment was recycled, or is not this server's"
    return first, content


def without_page_headers(server: Server, first: int, content: bytes) -> bytes:
    """The WAL's records as one stream: a record split over two pages is whole again once the headers are cut out."""
    pieces = []
    for offset in range(0, len(content), server.wal_page_size):
        header = LONG_PAGE_HEADER if (first + offset) % server.segment_size == 0 else SHORT_PAGE_HEADER
        pieces.append(content[offset + header : offset + server.wal_page_size])
    return b"".join(pieces)


# What an attacker tries with the keys they hold.










def stored_after_the_count(poll_id: int) -> list[bytes]:
    """Every sealed value of the ballot table and every column of the poll row, as bytes."""
    sealed = [bytes(value) for (value,) in _rows("SELECT sealed FROM ballot")]
    (row,) = _rows("SELECT * FROM poll WHERE id = :id", id=poll_id)
    columns = [bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode() for value in row]
    return [*sealed, *columns]


# The app side: a class, a poll, casts, close and count.


def _more_pupils(world, size: int):
    rows = [RosterRow(f"Votant{chr(65 + index // 26)}{chr(97 + index % 26)}", "W") for index in range(size)]
    return classes.add_pupils(world.cooperative, rows)


def _open_motion(world) -> Poll:
    poll = polls.create_motion(world.cooperative, "Secret?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), server_secret())
    db.session.commit()
    return poll


def _sealed(poll: Poll) -> set[bytes]:
    return set(db.session.scalars(select(Ballot.sealed).where(Ballot.poll_id == poll.id)))


def _cast_each(poll: Poll, voters) -> dict[int, bytes]:
    """Each voter's ciphertext, by pupil id; one commit a cast, as on the tablets."""
    cast = {}
    for pupil, choice in zip(voters, itertools.cycle(ballot_box.MOTION_OPTIONS), strict=False):
        before = _sealed(poll)
        casting.cast_ballot(poll.id, pupil, choice, utcnow())
        db.session.commit()
        (cast[pupil.id],) = _sealed(poll) - before
    return cast


def _vote(world, size: int = VOTERS) -> Vote:
    voters = _more_pupils(world, size)
    poll = _open_motion(world)
    start = flushed_lsn()
    cast = _cast_each(poll, voters)
    xids = {bytes(sealed): xid for sealed, xid in _rows(
        "SELECT sealed, xmin::text::bigint FROM ballot WHERE poll_id = :id", id=poll.id)}
    wrapped = bytes(_value("SELECT wrapped_private_key FROM poll WHERE id = :id", id=poll.id))
    filenodes = {_value("SELECT pg_relation_filenode(CAST(:rel AS regclass))", rel=name): name
                 for name in ("ballot", "participation")}
    return Vote(poll, cast, xids, wrapped, filenodes, start, flushed_lsn())


def _close_and_count(poll: Poll) -> None:
    polls.close_poll(polls.lock_for_closing(poll.id), poll.created_by, utcnow())
    db.session.commit()
    polls.open_and_count(poll, poll.created_by, server_secret())
    db.session.commit()


def _scrub_pending(poll_id: int) -> bool:
    return _value("SELECT scrub_pending FROM poll WHERE id = :id", id=poll_id)


def _second_connection(database: str | None = None) -> psycopg.Connection:
    """Another client of this server, as an operator's console or a stuck worker would be; of this database unless
    another is named."""
    url = db.engine.url.set(drivername="postgresql", database=database or db.engine.url.database)
    return psycopg.connect(url.render_as_string(hide_password=False), application_name=HOLDER)


# The attacks.


def test_during_the_vote_each_cast_xid_links_a_voter_to_a_ciphertext(world, server):
    """Found on purpose: a cast writes the émargement and the ballot in one transaction, so both rows carry its xid."""
    vote = _vote(world)
    ballots_by_xid = defaultdict(list)
    for ciphertext, xid in vote.xids.items():
        ballots_by_xid[xid].append(ciphertext)
    voters = _rows("SELECT pupil_id, xmin::text::bigint FROM participation WHERE poll_id = :id", id=vote.poll.id)
    assert len(voters) == VOTERS
    assert all(len(ballots_by_xid[xid]) == 1 for _pupil, xid in voters), "each émargement's xmin is one ballot's"
    assert {pupil: ballots_by_xid[xid][0] for pupil, xid in voters} == vote.cast, "every voter linked to their own"


def test_after_the_count_the_heap_pages_hold_no_cast_xid_and_no_cast_ciphertext(world, server):
    """Every page of ballot and participation, dead tuples included: VACUUM FULL left none of the casts' rows."""
    vote = _vote(world)
    during = heap_traces(vote)
    assert during.cast_xids == set(vote.xids.values()), "the page reader sees every cast's xid"
    assert during.in_tuples == during.in_pages == VOTERS, "and every cast ciphertext"
    assert len(set(during.participation_xmins)) == VOTERS, "the page reader sees what the vote wrote"

    _close_and_count(vote.poll)
    assert ballot_scrub.finish(vote.poll).done
    assert_scrubbed(vote)


def test_the_wal_keeps_every_link_but_nothing_left_opens_a_cast_ciphertext(app, world, server):
    """The scrub cannot recall the WAL: each cast's two inserts stay there under one xid, and the ciphertexts (a few
    split by an 8 kB page header, found whole once the headers are cut out). What makes them worthless is the key."""
    vote = _vote(world)
    store = pathlib.Path(app.config["BALLOT_KEY_STORE"])
    control = unwrapped([vote.wrapped], list(keys_in(store).values()), vote.poll)
    assert control and all(keys_that_open(ciphertext, control) for ciphertext in vote.cast.values()), \
        "during the vote, the dump, the secret and the key store open every ballot"
    _close_and_count(vote.poll)
    assert ballot_scrub.finish(vote.poll).done

    inserts = heap_inserts(server, vote)
    assert all(inserts[xid] == Counter(ballot=1, participation=1) for xid in vote.xids.values()), \
        "the WAL has each cast's two inserts under one xid: the link is there"
    first, content = wal_bytes(server, vote.wal_start, vote.wal_end)
    whole = sum(ciphertext in content for ciphertext in vote.cast.values())
    assert whole > VOTERS // 2, "most cast ciphertexts lie whole in the segment files"
    stitched = without_page_headers(server, first, content)
    assert all(ciphertext in stitched for ciphertext in vote.cast.values()), "a page header split the others"

    held = keys_in(store)
    assert f"{ballot_keys.recount_name(vote.poll.key_name)}.key" in held, "the attacker has the recount key too"
    assert _rows("SELECT wrapped_private_key, key_cards_wrapped FROM poll WHERE id = :id", id=vote.poll.id) == [
        (None, None)]
    private_keys = unwrapped([vote.wrapped], [b"", *held.values()], vote.poll)
    assert private_keys == [], "no held key unwraps the poll's private key"
    assert not any(keys_that_open(ciphertext, [*held.values(), *private_keys]) for ciphertext in vote.cast.values())
    stored = stored_after_the_count(vote.poll.id)
    assert not any(traces(ciphertext, value) for ciphertext in vote.cast.values() for value in stored), \
        "nothing stored after the count is, or holds a piece of, a cast ciphertext"
    assert keys_that_open(stored[0], list(held.values())), "the recount key opens what the count stored"


def test_a_snapshot_older_than_the_count_is_waited_for_then_named(world, server):
    vote = _vote(world, 10)
    with closing(_second_connection()) as reader:
        reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        reader.execute("SELECT count(*) FROM pupil").fetchone()  # a snapshot, and no lock on the ballot table
        _close_and_count(vote.poll)
        started = time.monotonic()
        held = ballot_scrub.finish(vote.poll, wait_seconds=1)
        assert not held.done, "the dead cast ballots are not rewritten under a snapshot that sees them"
        assert time.monotonic() - started >= 1, "the scrub waited for the snapshot before it gave up"
        assert any(holder.startswith(f"session {reader.info.backend_pid} ({HOLDER})") for holder in held.holders)
        assert _scrub_pending(vote.poll.id) is True
        assert vote.poll.key_name not in ballot_keys.current_key_store().names(), "the key goes first, held or not"
        assert heap_traces(vote).in_tuples == 10, "meanwhile the dead cast ballots stay in the heap"
        assert {row[0] for row in reader.execute("SELECT sealed FROM ballot")} == set(vote.cast.values()), \
            "for the old snapshot sees them still"
        reader.rollback()

        assert ballot_scrub.finish(vote.poll).done
    assert _scrub_pending(vote.poll.id) is False
    assert_scrubbed(vote)


@pytest.mark.parametrize("database", [None, "postgres"], ids=["this-database", "another-database"])
def test_a_transaction_older_than_the_count_without_a_snapshot_is_waited_for_too(world, server, database):
    """READ COMMITTED keeps no snapshot between statements, but a transaction that has written keeps its xid, and
    VACUUM FULL's own snapshot starts below it, whatever its database: the rows deleted since are copied as recently
    dead. A scrub that says done must have left none."""
    vote = _vote(world, 10)
    with closing(_second_connection(database)) as writer:
        writer.execute("SELECT pg_current_xact_id()")  # takes a transaction id, as any write does
        pid = writer.info.backend_pid
        _close_and_count(vote.poll)
        held = ballot_scrub.finish(vote.poll, wait_seconds=1)
        left = heap_traces(vote)
        writer.rollback()
    assert not held.done or (left.in_tuples == 0 and not left.cast_xids), "done, yet the cast ballots are kept"
    assert any(f"session {pid}" in holder for holder in held.holders)
    assert ballot_scrub.finish(vote.poll).done
    assert_scrubbed(vote)


def test_a_cancelled_poll_leaves_no_cast_in_the_heap_and_no_key(app, world, server):
    vote = _vote(world, 8)
    store = ballot_keys.current_key_store()
    names = {vote.poll.key_name, ballot_keys.recount_name(vote.poll.key_name)}
    assert vote.poll.key_name in store.names()
    polls.cancel_poll(vote.poll, world.educator, utcnow())
    db.session.commit()

    assert ballot_scrub.finish(vote.poll).done
    assert heap_tuples("ballot") == [], "not a ballot row, live or dead"
    assert_scrubbed(vote)
    assert not names & store.names()
    folder = pathlib.Path(app.config["BALLOT_KEY_STORE"])
    assert not any((folder / f"{name}.key").exists() for name in names)
