"""Casting a ballot: the émargement and the sealed ballot written together, once per pupil and poll."""

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.domain import ballot_box, trackers
from app.extensions import db
from app.models import Ballot, Participation, Poll, Pupil
from app.services.polls import PollError, ballot_kind, candidate_ids, has_voted, is_eligible


class AlreadyVoted(Exception):
    """This pupil's ballot is already in the box (a double tap, a retry, or a second attempt)."""


def poll_for_casting(poll_id: int) -> Poll | None:
    """The poll, share-locked on PostgreSQL so that closing waits for ballots in flight, and read afresh under that
    lock: the object the view loaded earlier may predate a close that committed since (SQLite's writing requests
    hold the database's write lock from their start)."""
    query = select(Poll).where(Poll.id == poll_id).with_for_update(read=True).execution_options(populate_existing=True)
    return db.session.scalar(query)


def cast_ballot(poll_id: int, pupil: Pupil, choice: object, now: datetime) -> tuple[int, int, int]:
    """Seals the choice and stores it apart from the émargement; returns the tracker's word indices."""
    poll = poll_for_casting(poll_id)
    if poll is None:
        raise PollError("unknown_poll")
    if not poll.is_open or (poll.closes_at is not None and poll.closes_at <= now):
        raise PollError("not_open")
    if not is_eligible(poll, pupil):
        raise PollError("not_eligible")
    if has_voted(poll, pupil):
        raise AlreadyVoted()
    kind, candidates = ballot_kind(poll), candidate_ids(poll)
    normalised = ballot_box.validate_choice(kind, choice, candidates)
    sealed = ballot_box.seal(poll.public_key, normalised, ballot_box.ballot_size(kind, candidates))
    if not _sign_the_roll(poll.id, pupil.id):
        raise AlreadyVoted()
    db.session.add(Ballot(id=secrets.token_hex(16), poll_id=poll.id, sealed=sealed))
    db.session.flush()
    return trackers.tracker_indices(sealed)


def _sign_the_roll(poll_id: int, pupil_id: int) -> bool:
    """Writes the émargement; False when a double tap wrote it first. No duplicate-key error is raised, so none
    lands in PostgreSQL's log for every double tap."""
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    signed = db.session.execute(insert(Participation).values(poll_id=poll_id, pupil_id=pupil_id)
                                .on_conflict_do_nothing().returning(Participation.pupil_id))
    return signed.scalar() is not None
