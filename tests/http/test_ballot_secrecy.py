"""SPEC §7, proven on the schema, the rows, the database files and the logs."""

import logging
import os
import pathlib
import threading

import pytest
from sqlalchemy import inspect, select, text

from app import ballot_scrub
from app.domain import ballot_box
from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Ballot, Participation, Poll
from app.models.types import utcnow
from app.services import casting, classes, polls
from tests.conftest import make_app

SECRET = b"test-ballot-secret"


def _big_class(world, size: int):
    rows = [RosterRow(f"Eleve{chr(65 + index // 26)}{chr(97 + index % 26)}", "Z") for index in range(size)]
    return classes.add_pupils(world.cooperative, rows)


def _open_motion(world) -> Poll:
    poll = polls.create_motion(world.cooperative, "Secret?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), SECRET)
    db.session.commit()
    return poll


def _cast_all(poll: Poll, pupils, choices) -> list[bytes]:
    """Casts in order and returns the sealed ballots in casting order."""
    order = []
    for pupil, choice in zip(pupils, choices, strict=False):
        casting.cast_ballot(poll.id, pupil, choice, utcnow())
        db.session.commit()
        order.append(db.session.scalars(select(Ballot.sealed).where(Ballot.poll_id == poll.id)).all())
    sealed_in_order, seen = [], set()
    for snapshot in order:
        new = [item for item in snapshot if item not in seen]
        seen.update(new)
        sealed_in_order.extend(new)
    return sealed_in_order


def _close(poll: Poll) -> None:
    polls.close_poll(polls.lock_for_closing(poll.id), world_actor(poll), utcnow())
    db.session.commit()
    assert ballot_scrub.finish(poll).done


def world_actor(poll):
    return poll.created_by


def _rank_correlation(order: list[int]) -> float:
    size = len(order)
    mean = (size - 1) / 2
    covariance = sum((index - mean) * (rank - mean) for index, rank in enumerate(order))
    variance = sum((index - mean) ** 2 for index in range(size))
    return covariance / variance


def test_ballots_and_participation_share_nothing_but_the_poll(app):
    inspector = inspect(db.engine)
    assert {column["name"] for column in inspector.get_columns("ballot")} == {"id", "poll_id", "sealed"}
    assert {column["name"] for column in inspector.get_columns("participation")} == {"poll_id", "pupil_id"}
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("ballot")} == {"poll"}
    assert inspector.get_pk_constraint("participation")["constrained_columns"] == ["poll_id", "pupil_id"]


def test_sqlite_keeps_ballots_without_a_rowid(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    sql = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'ballot'"))
    assert "WITHOUT ROWID" in sql


def test_ballot_ids_are_random_and_every_sealed_ballot_has_the_same_size(world):
    poll = _open_motion(world)
    _cast_all(poll, world.pupils, ["for", "against", "abstain", "blank", "for", "for"])
    rows = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
    assert len({len(row.sealed) for row in rows}) == 1
    assert all(len(row.id) == 32 and int(row.id, 16) >= 0 for row in rows)
    assert len({row.id for row in rows}) == len(rows)


def test_the_server_cannot_read_a_ballot_while_the_poll_is_open(world):
    poll = _open_motion(world)
    _cast_all(poll, world.pupils[:1], ["for"])
    sealed = db.session.scalars(select(Ballot.sealed)).one()
    assert ballot_box.encode_choice("for") not in sealed
    with pytest.raises(polls.PollError):
        polls.count_poll(poll, None, polls.private_key_for(poll, SECRET))


def _physical_order(poll: Poll) -> list[bytes]:
    """Ballots in the order the table stores them (PostgreSQL: heap position), whatever their ids."""
    order = "ctid" if db.engine.dialect.name == "postgresql" else "id"
    return list(db.session.scalars(select(Ballot.sealed).where(Ballot.poll_id == poll.id).order_by(text(order))))


def test_the_stored_order_after_closing_does_not_follow_the_casting_order(world):
    pupils = _big_class(world, 60)
    poll = _open_motion(world)
    cast_order = _cast_all(poll, pupils, ["for", "against"] * 30)
    if db.engine.dialect.name == "postgresql":
        before = _physical_order(poll)
        assert abs(_rank_correlation([before.index(item) for item in cast_order])) > 0.9, "heap keeps cast order"
    _close(poll)
    stored = _physical_order(poll)
    assert sorted(stored) == sorted(cast_order)
    positions = [stored.index(item) for item in cast_order]
    assert abs(_rank_correlation(positions)) < 0.5


def test_no_plaintext_and_no_casting_order_left_in_the_sqlite_files(world, database_url):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite files only")
    pupils = _big_class(world, 40)
    poll = _open_motion(world)
    choices = ["for", "against", "abstain", "blank"] * 10
    cast_order = _cast_all(poll, pupils, choices)
    _close(poll)
    path = pathlib.Path(database_url.removeprefix("sqlite:///"))
    wal = pathlib.Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL is checkpointed and truncated"
    content = path.read_bytes()
    for choice in set(choices):
        assert ballot_box.pad(ballot_box.encode_choice(choice))[:16] not in content
    offsets = [content.find(item) for item in cast_order]
    assert all(offset >= 0 for offset in offsets) and len(set(offsets)) == len(offsets)
    assert abs(_rank_correlation(sorted(range(len(offsets)), key=offsets.__getitem__))) < 0.5


def test_closing_checks_that_the_counts_match(world):
    poll = _open_motion(world)
    _cast_all(poll, world.pupils[:2], ["for", "for"])
    db.session.delete(db.session.scalars(select(Participation)).first())
    db.session.commit()
    with pytest.raises(polls.PollError, match="counts_differ"):
        polls.close_poll(polls.lock_for_closing(poll.id), None, utcnow())


def test_casting_writes_nothing_about_the_choice_to_the_logs(world, caplog, act):
    caplog.set_level(logging.DEBUG)
    poll = _open_motion(world)
    act.pair_tablet(world.cooperative)
    act.sign_in_pupil(world.pupil)
    act.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "against"})
    tracker = act.client.get("/tablet/vote/voted").get_data(as_text=True)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "against" not in logged and world.pupil.first_name not in logged
    assert "/cast" not in logged or "against" not in logged
    assert tracker  # the pupil saw their tracker; the logs never did


@pytest.mark.postgres
def test_fifty_concurrent_casts_by_one_pupil_leave_one_ballot(world, database_url):
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    poll = _open_motion(world)
    poll_id, pupil_id = poll.id, world.pupil.id
    app = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 55, "max_overflow": 0})
    outcomes: list[str] = []
    barrier = threading.Barrier(50)

    def cast_once(choice: str) -> None:
        with app.app_context():
            pupil = db.session.get(type(world.pupil), pupil_id)
            barrier.wait(timeout=30)
            try:
                casting.cast_ballot(poll_id, pupil, choice, utcnow())
                db.session.commit()
                outcomes.append("cast")
            except Exception as error:  # noqa: BLE001 - every refusal is counted below
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cast_once, args=("for" if n % 2 else "against",)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with app.app_context():
        db.engine.dispose()
    db.session.expire_all()
    assert outcomes.count("cast") == 1
    assert set(outcomes) <= {"cast", "AlreadyVoted", "IntegrityError"}
    assert db.session.scalar(select(db.func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)) == 1
    assert db.session.scalar(select(db.func.count()).select_from(Participation)) == 1


def test_the_ballot_screens_show_no_name(world, tablet):
    """SPEC §7.8: on a shared tablet, neither the ballot nor its read-back says who is voting."""
    poll = _open_motion(world)
    tablet.sign_in_pupil(world.pupil)
    home = tablet.client.get("/tablet/me").get_data(as_text=True)
    ballot = tablet.client.get(f"/tablet/vote/{poll.id}").get_data(as_text=True)
    confirm = tablet.client.post(f"/tablet/vote/{poll.id}/confirm", data={"choice": "for"}).get_data(as_text=True)
    assert world.pupil.display_name in home
    assert world.pupil.display_name not in ballot and world.pupil.display_name not in confirm
    assert "For" in confirm
