"""Casting a ballot: the émargement and the sealed ballot written together, once per pupil and poll."""

import functools
import secrets
from datetime import datetime

from sqlalchemy import Integer, bindparam, exists, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from app.domain import ballot_box, trackers
from app.extensions import db
from app.models import Ballot, Eligibility, Participation, Poll, PollOption, Pupil
from app.services.polls import PollError, ballot_kind, candidate_ids, has_voted

_STORE_BALLOT = insert(Ballot.__table__)


class AlreadyVoted(Exception):
    """This pupil's ballot is already in the box (a double tap, a retry, or a second attempt)."""


@functools.cache
def _poll_for_casting_query():
    return (select(Poll).outerjoin(Poll.options).options(contains_eager(Poll.options))
            .where(Poll.id == bindparam("poll_id")).order_by(PollOption.position)
            .with_for_update(read=True, of=Poll).execution_options(populate_existing=True))


def poll_for_casting(poll_id: int) -> Poll | None:
    """The poll and its options in one statement, share-locked on PostgreSQL so that closing waits for ballots in
    flight, and read afresh under that lock: an object loaded earlier in the request may predate a close that
    committed since (SQLite's writing requests hold the database's write lock from their start).

    The cast's statements are built once: building them costs more than the database takes to run them."""
    return db.session.scalars(_poll_for_casting_query(), {"poll_id": poll_id}).unique().first()


def cast_ballot(poll_id: int, pupil: Pupil, choice: object, now: datetime) -> tuple[int, int, int]:
    poll = poll_for_casting(poll_id)
    if poll is None:
        raise PollError("unknown_poll")
    return cast_into(poll, pupil, choice, now)


def cast_into(poll: Poll, pupil: Pupil, choice: object, now: datetime) -> tuple[int, int, int]:
    """Seals the choice and stores it apart from the émargement; returns the tracker's word indices.

    poll must come from poll_for_casting in this transaction."""
    if not poll.is_open or (poll.closes_at is not None and poll.closes_at <= now):
        raise PollError("not_open")
    kind, candidates = ballot_kind(poll), candidate_ids(poll)
    normalised = ballot_box.validate_choice(kind, choice, candidates)
    sealed = ballot_box.seal(poll.public_key, normalised, ballot_box.ballot_size(kind, candidates))
    if not _sign_the_roll(poll.id, pupil.id):
        if has_voted(poll, pupil):
            raise AlreadyVoted()
        raise PollError("not_eligible")
    db.session.execute(_STORE_BALLOT, {"id": secrets.token_hex(16), "poll_id": poll.id, "sealed": sealed})
    return trackers.tracker_indices(sealed)


@functools.cache
def _sign_the_roll_statement(dialect: str):
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    poll_id, pupil_id = bindparam("poll_id", type_=Integer), bindparam("pupil_id", type_=Integer)
    eligible = exists().where(Eligibility.poll_id == poll_id, Eligibility.pupil_id == pupil_id)
    voter = select(poll_id, pupil_id).where(eligible)
    roll = Participation.__table__  # a Core statement: the ORM would take the parameters for a bulk insert
    return (dialect_insert(roll).from_select(["poll_id", "pupil_id"], voter)
            .on_conflict_do_nothing().returning(roll.c.pupil_id))


def _sign_the_roll(poll_id: int, pupil_id: int) -> bool:
    """Writes the émargement of an eligible pupil who has not voted yet; False otherwise. One statement checks
    both, and a double tap raises no duplicate-key error (which PostgreSQL would log every time)."""
    statement = _sign_the_roll_statement(db.session.get_bind().dialect.name)
    return db.session.execute(statement, {"poll_id": poll_id, "pupil_id": pupil_id}).scalar() is not None
