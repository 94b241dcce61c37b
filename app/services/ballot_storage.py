"""The rows of a ballot box and of its émargement, read and rewritten whole at the close and the count."""

import secrets
from collections.abc import Callable
from itertools import islice, repeat

from sqlalchemy import delete, select

from app import bulk_rows
from app.extensions import db
from app.models import Ballot, Participation, Poll

ID_BYTES = 16


def box_contents(poll: Poll) -> list[bytes]:
    """The stored ballots, in no particular order."""
    return bulk_rows.first_column(db.session, select(Ballot.sealed).where(Ballot.poll_id == poll.id))


def stored_ballots(poll: Poll) -> list[bytes]:
    """The ballots in their stored order, a random one: sealed ballots until the count, re-sealed ones after."""
    return list(db.session.scalars(select(Ballot.sealed).where(Ballot.poll_id == poll.id).order_by(Ballot.id)))


def delete_ballots(poll: Poll) -> None:
    db.session.execute(delete(Ballot).where(Ballot.poll_id == poll.id))


def ballot_inserter(poll: Poll, count: int) -> Callable[[list[bytes]], None]:
    """Stores `count` ballots that come in a random order, block after block, in that order under fresh random ids
    handed out in increasing order: the ids are then as random as the order, and the index (SQLite: the table
    itself) grows at its end instead of splitting pages."""
    ids = iter(fresh_ids(count))

    def insert_block(shuffled_ballots: list[bytes]) -> None:
        rows = zip(islice(ids, len(shuffled_ballots)), repeat(poll.id), shuffled_ballots, strict=False)
        bulk_rows.insert_rows(db.session, Ballot.__table__, ("id", "poll_id", "sealed"), rows)

    return insert_block


def fresh_ids(count: int) -> list[str]:
    """`count` random ids of 32 hex digits, in increasing order, drawn at once."""
    digits = secrets.token_bytes(ID_BYTES * count).hex()
    width = 2 * ID_BYTES
    return sorted(digits[start:start + width] for start in range(0, len(digits), width))


def replace_ballots(poll: Poll, shuffled_ballots: list[bytes]) -> None:
    delete_ballots(poll)
    ballot_inserter(poll, len(shuffled_ballots))(shuffled_ballots)


def rewrite_participation(poll: Poll) -> None:
    """The émargement again, in one statement and pupil order: on PostgreSQL the rows no longer carry each cast's
    transaction id, which is also the ballot's, nor the casting order."""
    voters = sorted(db.session.scalars(select(Participation.pupil_id).where(Participation.poll_id == poll.id)))
    db.session.execute(delete(Participation).where(Participation.poll_id == poll.id))
    bulk_rows.insert_rows(db.session, Participation.__table__, ("poll_id", "pupil_id"), zip(repeat(poll.id), voters))
