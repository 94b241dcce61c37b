"""Rows written and read in bulk inside the session's transaction, on SQLite and PostgreSQL alike."""

import pytest
from sqlalchemy import select

from app import bulk_rows
from app.extensions import db
from app.models import Ballot, Participation
from app.services import polls


@pytest.fixture
def poll(world):
    return polls.create_motion(world.cooperative, "Do we plant a garden?", "simple", None, world.educator)


def test_bytes_written_in_bulk_read_back_as_they_were(poll):
    sealed = [bytes(range(256)) * 2, b"\x00" * 40, b"\\x41'\n"]
    rows = [(f"{index:032x}", poll.id, item) for index, item in enumerate(sealed)]
    bulk_rows.insert_rows(db.session, Ballot.__table__, ("id", "poll_id", "sealed"), rows)
    query = select(Ballot.sealed).where(Ballot.poll_id == poll.id).order_by(Ballot.id)
    assert bulk_rows.first_column(db.session, query) == sealed
    assert list(db.session.scalars(query)) == sealed  # in the same transaction, through SQLAlchemy too


def test_first_column_sees_what_the_session_has_not_flushed_yet(poll, world):
    db.session.add(Participation(poll_id=poll.id, pupil_id=world.pupil.id))
    query = select(Participation.pupil_id).where(Participation.poll_id == poll.id)
    assert bulk_rows.first_column(db.session, query) == [world.pupil.id]


def test_an_empty_bulk_insert_writes_nothing(poll):
    bulk_rows.insert_rows(db.session, Participation.__table__, ("poll_id", "pupil_id"), [])
    assert bulk_rows.first_column(db.session, select(Participation.pupil_id)) == []


def test_columns_named_out_of_the_tables_order_are_refused(poll, world):
    with pytest.raises(ValueError, match="order"):
        bulk_rows.insert_rows(db.session, Participation.__table__, ("pupil_id", "poll_id"),
                              [(world.pupil.id, poll.id)])
