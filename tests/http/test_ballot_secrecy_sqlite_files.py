"""SPEC §7 from the side of someone who copies the SQLite files: the WAL replayed commit by commit, then every key."""

import itertools
import pathlib
import random
import secrets
import sqlite3
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from app import ballot_keys, ballot_scrub
from app.domain import ballot_box
from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Ballot, Poll
from app.models.types import utcnow
from app.services import casting, classes, polls
from tests.http.ballot_attacks import keys_in, keys_that_open, server_secret, traces, unwrapped

WAL_HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
INTEGER_WIDTHS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}  # a record's integer serial types and their sizes


# The WAL, read as SQLite's recovery reads it (https://sqlite.org/fileformat2.html#walformat).


def _wal_checksum(data: bytes, sums: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    first, second = sums
    for index in range(0, len(words), 2):
        first = (first + words[index] + second) & 0xFFFFFFFF
        second = (second + words[index + 1] + first) & 0xFFFFFFFF
    return first, second


def committed_images(main: bytes, wal: bytes) -> Iterator[bytes]:
    """The whole database after each commit in the WAL, oldest first. Only frames with the header's salts belong to
    this generation of the WAL (a restarted WAL leaves older frames after its own), and the running checksum ends
    the valid frames, as it does for SQLite."""
    if len(wal) < WAL_HEADER_SIZE:
        return
    magic, _version, page_size, _sequence, salt1, salt2, sum1, sum2 = struct.unpack(">8I", wal[:WAL_HEADER_SIZE])
    big_endian = bool(magic & 1)
    sums = _wal_checksum(wal[:24], (0, 0), big_endian)
    assert sums == (sum1, sum2), "not a WAL header"
    image, pending, step = bytearray(main), {}, FRAME_HEADER_SIZE + page_size
    for start in range(WAL_HEADER_SIZE, len(wal) - step + 1, step):
        header, page = wal[start : start + FRAME_HEADER_SIZE], wal[start + FRAME_HEADER_SIZE : start + step]
        number, pages_after_commit, frame_salt1, frame_salt2, check1, check2 = struct.unpack(">6I", header)
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            return
        sums = _wal_checksum(header[:8] + page, sums, big_endian)
        if sums != (check1, check2):
            return
        pending[number] = page
        if pages_after_commit:
            _apply(image, pending, page_size, pages_after_commit)
            pending = {}
            yield bytes(image)


def _apply(image: bytearray, pages: dict[int, bytes], page_size: int, page_count: int) -> None:
    image.extend(bytes(max(0, page_count * page_size - len(image))))
    for number, page in pages.items():
        image[(number - 1) * page_size : number * page_size] = page
    del image[page_count * page_size :]


@dataclass(frozen=True)
class Snapshot:
    """The database file and its WAL as copied at one moment."""

    main: bytes
    wal: bytes

    def images(self) -> list[bytes]:
        return [self.main, *committed_images(self.main, self.wal)]

    def latest(self) -> bytes:
        return self.images()[-1]


@dataclass(frozen=True)
class Box:
    """What one database image holds of a poll's box."""

    voters: frozenset[int]
    ballots: dict[str, bytes]
    wrapped_private_key: bytes | None


@dataclass(frozen=True)
class Change:
    voters: frozenset[int]
    ballots: tuple[bytes, ...]


@contextmanager
def reading(image: bytes, scratch: pathlib.Path) -> Iterator[sqlite3.Connection]:
    path = scratch / "image.sqlite"
    path.write_bytes(image)
    # immutable: read only, and no -wal or -shm looked for or made beside the image
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as connection:
        yield connection


def box_in(image: bytes, poll_id: int, scratch: pathlib.Path) -> Box:
    with reading(image, scratch) as connection:
        voters = connection.execute("SELECT pupil_id FROM participation WHERE poll_id = ?", (poll_id,)).fetchall()
        ballots = connection.execute("SELECT id, sealed FROM ballot WHERE poll_id = ?", (poll_id,)).fetchall()
        wrapped = connection.execute("SELECT wrapped_private_key FROM poll WHERE id = ?", (poll_id,)).fetchone()
    return Box(frozenset(row[0] for row in voters), dict(ballots), wrapped[0] if wrapped else None)


def _added(before: Box, after: Box) -> Change:
    new_ids = after.ballots.keys() - before.ballots.keys()
    return Change(after.voters - before.voters, tuple(after.ballots[key] for key in new_ids))


def changes(snapshot: Snapshot, poll_id: int, scratch: pathlib.Path) -> list[Change]:
    """What each commit added to the poll's box: émargement rows and ballot rows."""
    boxes = [box_in(image, poll_id, scratch) for image in snapshot.images()]
    return [_added(before, after) for before, after in itertools.pairwise(boxes)]


def links(found: list[Change]) -> dict[int, bytes]:
    """Pupil → ciphertext, from every commit that added one émargement and one ballot together."""
    return {next(iter(change.voters)): change.ballots[0] for change in found
            if len(change.voters) == 1 and len(change.ballots) == 1}


# Reading b-tree pages, to see in which order the rows sit in the file whatever their keys.


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = 0
    for index in range(8):
        byte = data[position + index]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, index + 1
    return (value << 8) | data[position + 8], 9


def _record_integers(payload: bytes) -> list[int]:
    header_size, position = _varint(payload, 0)
    types = []
    while position < header_size:
        serial_type, used = _varint(payload, position)
        types.append(serial_type)
        position += used
    values = []
    for serial_type in types:
        if serial_type in (8, 9):  # the integers 0 and 1 take no bytes: the type says them
            values.append(serial_type - 8)
            continue
        width = INTEGER_WIDTHS[serial_type]
        values.append(int.from_bytes(payload[position : position + width], "big", signed=True))
        position += width
    return values


def index_cells(image: bytes, root: int) -> Iterator[tuple[int, bytes]]:
    """(offset in the file, payload) of every entry of an index b-tree, the layout of a WITHOUT ROWID table; small
    payloads only (no overflow pages)."""
    page_size = int.from_bytes(image[16:18], "big")
    pages = [root]
    while pages:
        number = pages.pop()
        start = (number - 1) * page_size
        header = start + (100 if number == 1 else 0)
        interior = image[header] == 0x02
        assert image[header] in (0x02, 0x0A), "not an index b-tree page"
        if interior:
            pages.append(int.from_bytes(image[header + 8 : header + 12], "big"))
        pointers = header + (12 if interior else 8)
        for index in range(int.from_bytes(image[header + 3 : header + 5], "big")):
            cell = start + int.from_bytes(image[pointers + 2 * index : pointers + 2 * index + 2], "big")
            if interior:
                pages.append(int.from_bytes(image[cell : cell + 4], "big"))
            size, used = _varint(image, cell + 4 * interior)
            payload_start = cell + 4 * interior + used
            yield cell, image[payload_start : payload_start + size]


def participation_in_file_order(image: bytes, poll_id: int, scratch: pathlib.Path) -> list[int]:
    with reading(image, scratch) as connection:
        (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'participation'").fetchone()
    rows = sorted((offset, _record_integers(payload)) for offset, payload in index_cells(image, root))
    return [pupil_id for _offset, (row_poll_id, pupil_id) in rows if row_poll_id == poll_id]


def ballots_in_file_order(content: bytes, ciphertexts: list[bytes]) -> list[bytes]:
    offsets = {ciphertext: content.find(ciphertext) for ciphertext in ciphertexts}
    assert all(offset >= 0 for offset in offsets.values()), "every ciphertext is in the file"
    return sorted(ciphertexts, key=offsets.__getitem__)


def follows(stored: list, cast: list) -> float:
    """How closely an order in the file follows the casting order: |rank correlation|, 1 when it is the same."""
    positions = [stored.index(item) for item in cast]
    mean = (len(positions) - 1) / 2
    covariance = sum((index - mean) * (position - mean) for index, position in enumerate(positions))
    return abs(covariance / sum((index - mean) ** 2 for index in range(len(positions))))




# What an attacker tries with the keys they hold.








# The app side: a class, a poll, casts, close and count.


@dataclass
class DatabaseFiles:
    path: pathlib.Path
    base: bytes  # the main file when the WAL was emptied
    scratch: pathlib.Path

    @property
    def wal(self) -> pathlib.Path:
        return pathlib.Path(f"{self.path}-wal")

    def copy(self) -> Snapshot:
        """Both files as someone copying them now gets them."""
        return Snapshot(self.path.read_bytes(), self.wal.read_bytes() if self.wal.exists() else b"")

    def since_emptied(self) -> Snapshot:
        """The WAL over the main file as it was when the WAL began: a checkpoint held back by a reader has already
        copied some later pages into the main file, over which the older commits would not replay faithfully."""
        return Snapshot(self.base, self.copy().wal)


def _keep_every_frame(dbapi_connection, _record) -> None:
    # An automatic checkpoint would copy part of the WAL into the main file and later restart the WAL: the casts
    # it held would no longer be there to replay. Only the scrub checkpoints then.
    dbapi_connection.execute("PRAGMA wal_autocheckpoint = 0")


@pytest.fixture
def files(app, tmp_path) -> Iterator[DatabaseFiles]:
    """The SQLite files, the WAL emptied first and then left to grow (skipped on other databases)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip(f"attacks SQLite's database and WAL files; this run's database is {db.engine.dialect.name}")
    path = pathlib.Path(db.engine.url.database)
    db.session.commit()
    db.engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    assert not busy, "another connection, left open by an earlier test, holds the WAL"
    event.listen(db.engine, "connect", _keep_every_frame)
    yield DatabaseFiles(path, path.read_bytes(), tmp_path)
    event.remove(db.engine, "connect", _keep_every_frame)




def _more_pupils(world, size: int):
    rows = [RosterRow(f"Votant{chr(65 + index // 26)}{chr(97 + index % 26)}", "W") for index in range(size)]
    return classes.add_pupils(world.cooperative, rows)


def _open(poll: Poll, world) -> Poll:
    polls.open_poll(poll, world.educator, utcnow(), server_secret())
    db.session.commit()
    return poll


def _open_motion(world) -> Poll:
    return _open(polls.create_motion(world.cooperative, "Secret?", "simple", None, world.educator), world)


def _sealed(poll: Poll) -> set[bytes]:
    return set(db.session.scalars(select(Ballot.sealed).where(Ballot.poll_id == poll.id)))


def _cast_each(poll: Poll, voters, choices) -> dict[int, bytes]:
    """Each voter's ciphertext, by pupil id, in casting order; one commit per cast, as on the tablets."""
    cast = {}
    for pupil, choice in zip(voters, choices, strict=True):
        before = _sealed(poll)
        casting.cast_ballot(poll.id, pupil, choice, utcnow())
        db.session.commit()
        (cast[pupil.id],) = _sealed(poll) - before
    return cast


def _motion_choices(count: int) -> list[str]:
    return list(itertools.islice(itertools.cycle(ballot_box.MOTION_OPTIONS), count))


def _close(poll: Poll) -> None:
    polls.close_poll(polls.lock_for_closing(poll.id), poll.created_by, utcnow())
    db.session.commit()


def _count(poll: Poll) -> None:
    polls.open_and_count(poll, poll.created_by, server_secret())
    db.session.commit()


def _scrubbed(poll: Poll) -> bool:
    return ballot_scrub.finish(poll).done


# The attacks.


def test_during_the_vote_the_wal_links_each_voter_to_a_ciphertext(world, files):
    """Found on purpose: an open poll's WAL holds each cast as its own commit, one émargement and one ballot."""
    voters = _more_pupils(world, 25)
    poll = _open_motion(world)
    cast = _cast_each(poll, voters, _motion_choices(len(voters)))
    found = changes(files.copy(), poll.id, files.scratch)
    touching = [change for change in found if change.voters or change.ballots]
    assert len(touching) == len(voters), "one commit a cast"
    assert all(len(change.voters) == 1 and len(change.ballots) == 1 for change in touching)
    assert links(found) == cast, "the replay links every voter to their own ciphertext"


def test_after_the_count_nothing_an_attacker_holds_opens_a_linked_ciphertext(app, world, files):
    voters = _more_pupils(world, 25)
    poll = _open_motion(world)
    _cast_each(poll, voters, _motion_choices(len(voters)))
    during = files.copy()
    linked = links(changes(during, poll.id, files.scratch))
    stolen_wrapped = box_in(during.latest(), poll.id, files.scratch).wrapped_private_key
    store = pathlib.Path(app.config["BALLOT_KEY_STORE"])
    control = unwrapped([stolen_wrapped], list(keys_in(store).values()), poll)
    assert len(linked) == len(voters) and control, "before the count, the copy and the key store open the box"
    assert all(keys_that_open(ciphertext, control) for ciphertext in linked.values())

    _close(poll)
    assert _scrubbed(poll)
    _count(poll)
    assert _scrubbed(poll)

    after = files.copy()
    held = keys_in(store)
    assert f"{ballot_keys.recount_name(poll.key_name)}.key" in held, "the attacker has the recount key too"
    wrapped = [key for key in (stolen_wrapped, box_in(after.latest(), poll.id, files.scratch).wrapped_private_key)
               if key is not None]
    private_keys = unwrapped(wrapped, [b"", *held.values()], poll)
    assert private_keys == [], "no held key unwraps the poll's private key"
    for ciphertext in linked.values():
        assert keys_that_open(ciphertext, [*held.values(), *private_keys]) == []
        assert traces(ciphertext, after.main) == [] and traces(ciphertext, after.wal) == []
    assert not (store / f"{poll.key_name}.key").exists()


def test_a_copy_taken_during_the_vote_opens_nothing_without_the_key_store(world, files):
    poll = _open_motion(world)
    _cast_each(poll, world.pupils, _motion_choices(len(world.pupils)))
    box = box_in(files.copy().latest(), poll.id, files.scratch)
    assert len(box.ballots) == len(world.pupils) and box.wrapped_private_key
    guesses = [b"", *(secrets.token_bytes(ballot_keys.KEY_SIZE) for _ in range(3))]
    assert unwrapped([box.wrapped_private_key], guesses, poll) == []
    assert not any(keys_that_open(ciphertext, guesses[1:]) for ciphertext in box.ballots.values())
    kek = ballot_keys.current_key_store().get(poll.key_name)
    assert len(unwrapped([box.wrapped_private_key], [kek], poll)) == 1, "the key store's key is what was missing"


def test_a_reader_during_the_close_delays_the_scrub_until_it_lets_go(world, files):
    poll = _open_motion(world)
    cast = _cast_each(poll, world.pupils, _motion_choices(len(world.pupils)))
    with closing(sqlite3.connect(files.path, isolation_level=None, check_same_thread=False)) as reader:
        reader.execute("BEGIN")
        assert len(reader.execute("SELECT id, sealed FROM ballot").fetchall()) == len(cast)
        _close(poll)
        _count(poll)

        held = ballot_scrub.finish(poll, wait_seconds=0.3)
        assert not held.done and held.holders
        assert poll.key_name not in ballot_keys.current_key_store().names(), "the key goes first, reader or not"
        assert db.session.scalar(select(Poll.scrub_pending).where(Poll.id == poll.id)) is True
        assert links(changes(files.since_emptied(), poll.id, files.scratch)) == cast, "the WAL still holds every cast"

        release = threading.Timer(0.5, reader.close)
        release.start()
        started = time.monotonic()
        scrub = ballot_scrub.finish(poll, wait_seconds=5)
        waited = time.monotonic() - started
        release.join()
    assert scrub.done and waited >= 0.4, "the checkpoint waited for the reader, then went through"
    assert db.session.scalar(select(Poll.scrub_pending).where(Poll.id == poll.id)) is False
    after = files.copy()
    assert len(after.wal) <= WAL_HEADER_SIZE
    assert not any(change.voters and change.ballots for change in changes(after, poll.id, files.scratch))


def _grades_election(world, pupils) -> Poll:
    return _open(polls.create_election(world.cooperative, "Delegate?", "majority_judgment", 1, pupils[:3],
                                       world.educator), world)


def _distinct_grades(poll: Poll, count: int, rng: random.Random) -> list[dict[str, int]]:
    keys = polls.candidate_ids(poll)
    grades = rng.sample(list(itertools.product(range(ballot_box.GRADE_COUNT), repeat=len(keys))), count)
    return [dict(zip(keys, row, strict=True)) for row in grades]


def test_no_casting_order_survives_the_close_or_the_count(world, files):
    rng = random.Random(7)
    voters = rng.sample(_more_pupils(world, 60), 60)
    poll = _grades_election(world, voters)
    choices = _distinct_grades(poll, len(voters), rng)
    cast = list(_cast_each(poll, voters, choices).values())
    cast_voters = [pupil.id for pupil in voters]
    during = participation_in_file_order(files.copy().latest(), poll.id, files.scratch)
    assert follows(during, cast_voters) > 0.9, "while open, the émargement cells sit in casting order"

    _close(poll)
    assert _scrubbed(poll)
    closed = files.copy()
    assert follows(participation_in_file_order(closed.latest(), poll.id, files.scratch), cast_voters) < 0.5
    assert follows(ballots_in_file_order(closed.latest(), cast), cast) < 0.5

    _count(poll)
    assert _scrubbed(poll)
    counted = files.copy().latest()
    assert follows(participation_in_file_order(counted, poll.id, files.scratch), cast_voters) < 0.5
    recount_key = ballot_keys.current_key_store().get(ballot_keys.recount_name(poll.key_name))
    resealed = list(box_in(counted, poll.id, files.scratch).ballots.values())
    choice_of = {item: next(ballot_box.open_resealed(recount_key, [item])) for item in resealed}
    stored_choices = [choice_of[item] for item in ballots_in_file_order(counted, resealed)]
    assert follows(stored_choices, choices) < 0.5


def test_the_replayer_ignores_frames_left_from_an_older_wal_generation(tmp_path):
    """The attack's own tool: after a checkpoint the next write restarts the WAL, and older frames stay behind."""
    path = tmp_path / "scratch.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        for statement in ("PRAGMA journal_mode = WAL", "PRAGMA wal_autocheckpoint = 0", "CREATE TABLE note (body)"):
            writer.execute(statement)
        for number in range(20):
            writer.execute("INSERT INTO note VALUES (?)", (f"old {number} " * 200,))
        writer.execute("PRAGMA wal_checkpoint(PASSIVE)")  # all copied, but the WAL restarts only at the next write
        writer.execute("INSERT INTO note VALUES ('new')")
        snapshot = Snapshot(path.read_bytes(), pathlib.Path(f"{path}-wal").read_bytes())
    page_size = struct.unpack(">I", snapshot.wal[8:12])[0]
    salts = {snapshot.wal[start + 8 : start + 16] for start in range(WAL_HEADER_SIZE, len(snapshot.wal),
                                                                    FRAME_HEADER_SIZE + page_size)}
    assert len(salts) == 2, "frames of the older generation follow the new one's"
    images = list(committed_images(snapshot.main, snapshot.wal))
    assert len(images) == 1
    with reading(images[0], tmp_path) as connection:
        assert connection.execute("SELECT count(*) FROM note").fetchone() == (21,)
