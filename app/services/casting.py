"""Casting a ballot: the émargement and the sealed ballot written together, once per pupil and poll."""

import secrets
from datetime import datetime

from sqlalchemy import exists, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from app.domain import ballot_box, trackers
from app.extensions import db
from app.models import Ballot, Eligibility, Participation, Poll, PollOption, Pupil
from app.services.polls import PollError, ballot_kind, candidate_ids, has_voted


class AlreadyVoted(Exception):
    """This pupil's ballot is already in the box (a double tap, a retry, or a second attempt)."""


def poll_for_casting(poll_id: int) -> Poll | None:
    """The poll and its options in one statement, share-locked on PostgreSQL so that closing waits for ballots in
    flight, and read afresh under that lock: an object loaded earlier in the request may predate a close that
    committed since (SQLite's writing requests hold the database's write lock from their start)."""
    query = (select(Poll).outerjoin(Poll.options).options(contains_eager(Poll.options)).where(Poll.id == poll_id)
             .order_by(PollOption.position).with_for_update(read=True, of=Poll)
             .execution_options(populate_existing=True))
    return db.session.scalars(query).unique().first()


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
    db.session.execute(insert(Ballot.__table__).values(id=secrets.token_hex(16), poll_id=poll.id, sealed=sealed))
    return trackers.tracker_indices(sealed)


def _sign_the_roll(poll_id: int, pupil_id: int) -> bool:
    """Writes the émargement of an eligible pupil who has not voted yet; False otherwise. One statement checks
    both, and a double tap raises no duplicate-key error (which PostgreSQL would log every time)."""
    dialect_insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    eligible = exists().where(Eligibility.poll_id == poll_id, Eligibility.pupil_id == pupil_id)
    signed = db.session.execute(
        dialect_insert(Participation)
        .from_select(["poll_id", "pupil_id"], select(literal(poll_id), literal(pupil_id)).where(eligible))
        .on_conflict_do_nothing().returning(Participation.pupil_id))
    return signed.scalar() is not None
