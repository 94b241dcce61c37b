"""Upgrading a SQLite database already in use loses nothing: batch migrations rebuild tables (copy, DROP, rename), and
with foreign keys on each DROP would cascade to every row that refers to the table (migrations/env.py turns them
off). Linking polls to the agenda (7060f7b8d3cb): the new links behave as the models say (emptied when their row
goes, one running vote per message)."""

import json
from contextlib import contextmanager

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.domain.trackers import tracker_indices
from app.extensions import db
from tests.conftest import make_app

BEFORE = "1bc0082db28e"
NOW = "2026-11-30 09:00:00"
OLD_CLASS = [
    "INSERT INTO school (id, name, city, timezone, status, applied_at) VALUES (1, 'A', 'Lyon', 'Europe/Paris', "
    f"'approved', '{NOW}')",
    f"INSERT INTO cooperative (id, school_id, name, school_year, kind, created_at) VALUES (1, 1, 'CM1', 2026, 'class', "
    f"'{NOW}')",
    "INSERT INTO pupil (id, cooperative_id, first_name, initial, avatar, picture_code, failed_attempts, created_at) "
    f"VALUES (1, 1, 'Léa', 'M', 'fox', 'a-b-c', 0, '{NOW}')",
    "INSERT INTO poll (id, cooperative_id, question, kind, rule, seats, round, status, custody, eligible_count, "
    f"created_at) VALUES (1, 1, 'A garden?', 'motion', 'simple', 1, 1, 'closed', 'server', 1, '{NOW}')",
    "INSERT INTO poll_option (id, poll_id, position, label) VALUES (1, 1, 0, 'Léa M.')",
    "INSERT INTO poll_eligibility (poll_id, pupil_id) VALUES (1, 1)",
    "INSERT INTO participation (poll_id, pupil_id) VALUES (1, 1)",
    "INSERT INTO ballot (id, poll_id, sealed) VALUES ('b1', 1, x'00')",
    f"INSERT INTO audit_event (id, at, cooperative_id, poll_id, action, detail) VALUES (1, '{NOW}', 1, 1, 'closed', "
    "'')",
    "INSERT INTO decision (id, cooperative_id, poll_id, text, decided_at, method, rule, figures, status) "
    f"VALUES (1, 1, 1, 'A garden', '{NOW}', 'secret_ballot', 'simple', '{{}}', 'to_do')",
]
PROPOSAL = ("INSERT INTO message (id, cooperative_id, author_id, kind, text, status, anonymous, created_at) "
            f"VALUES (1, 1, 1, 'propose', 'A garden', 'approved', 0, '{NOW}')")
KEPT = ("poll", "poll_option", "poll_eligibility", "participation", "ballot", "audit_event")


@contextmanager
def database_in_use(path, revision: str, statements: list[str]):
    """A SQLite database at an old revision, holding the rows the statements insert."""
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision=revision)
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        yield
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def old_database(tmp_path):
    """At the revision before, one class with a counted poll and its decision."""
    with database_in_use(tmp_path / "in-use.sqlite", BEFORE, OLD_CLASS):
        yield


def rows(connection, table: str) -> int:
    return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - our table names


def test_upgrading_keeps_every_ballot_and_the_links_follow_their_rows(old_database):
    upgrade()
    with db.engine.begin() as connection:
        assert {table: rows(connection, table) for table in KEPT} == dict.fromkeys(KEPT, 1)
        assert connection.execute(text("SELECT poll_id FROM decision")).scalar() == 1
        connection.execute(text(PROPOSAL))
        connection.execute(text("INSERT INTO assembly (id, cooperative_id, starts_at, place, status, version, "
                                f"chair_runs_board, minutes_text, created_at) VALUES (1, 1, '{NOW}', '', 'planned', 1, "
                                f"0, '', '{NOW}')"))
        connection.execute(text("UPDATE poll SET message_id = 1, assembly_id = 1"))
        connection.execute(text("DELETE FROM message"))
        connection.execute(text("DELETE FROM assembly"))
        assert connection.execute(text("SELECT message_id, assembly_id FROM poll")).one() == (None, None)


def test_a_second_running_vote_on_one_message_is_refused_but_a_cancelled_one_may_be_run_again(old_database):
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(text(PROPOSAL))
        connection.execute(text("UPDATE poll SET message_id = 1, status = 'cancelled'"))
        again = ("INSERT INTO poll (cooperative_id, question, kind, rule, seats, round, status, custody, "
                 f"eligible_count, created_at, message_id) VALUES (1, 'A garden?', 'motion', 'simple', 1, 1, 'draft', "
                 f"'server', 0, '{NOW}', 1)")
        connection.execute(text(again))
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(text(again))


def test_downgrading_a_database_upgraded_in_use_keeps_its_polls(old_database):
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        assert {table: rows(connection, table) for table in KEPT} == dict.fromkeys(KEPT, 1)
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(poll)"))}
    assert not {"message_id", "assembly_id"} & columns


BEFORE_DECISION_REBUILD = "3ee1e1b0a9b3"  # 2ba28ebee33f rebuilds `decision`
REGISTER_IN_USE = [
    "INSERT INTO school (id, name, city, timezone, status, applied_at) VALUES (1, 'A', 'Lyon', 'Europe/Paris', "
    f"'approved', '{NOW}')",
    f"INSERT INTO cooperative (id, school_id, name, school_year, kind, created_at) VALUES (1, 1, 'CM1', 2026, "
    f"'class', '{NOW}')",
    "INSERT INTO decision (id, cooperative_id, text, decided_at, method, rule, figures, status) "
    f"VALUES (1, 1, 'Plant a garden', '{NOW}', 'consensus', '', '{{}}', 'to_do')",
]


def test_upgrading_a_register_in_use_keeps_its_entries_and_search(tmp_path):
    with database_in_use(tmp_path / "in-use.sqlite", BEFORE_DECISION_REBUILD, REGISTER_IN_USE):
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO register_entry (id, cooperative_id, position, kind, decision_id, content, content_hash, "
                f"recorded_at, recorded_by, previous_hash, entry_hash) VALUES (1, 1, 1, 'decision', 1, '{{}}', "
                f"'{'1' * 64}', '{NOW}', 'T', '{'0' * 64}', '{'2' * 64}')"))
        upgrade()
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM register_entry")).scalar() == 1
            assert connection.execute(text("SELECT text FROM decision")).scalar() == "Plant a garden"
            found = connection.execute(text("SELECT rowid FROM decision_search WHERE decision_search MATCH 'garden'"))
            assert found.scalars().all() == [1]
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


BEFORE_KEY_STORE = "7060f7b8d3cb"  # 5b93587a7030 moves ballot keys out of the database
SPENT_POLL = [
    "INSERT INTO poll (id, cooperative_id, question, kind, rule, seats, round, status, custody, eligible_count, "
    f"created_at, wrapped_private_key, result) VALUES (2, 1, 'A pond?', 'motion', 'simple', 1, 1, 'counted', "
    f"'server', 1, '{NOW}', x'0102', '{{}}')",
    "INSERT INTO participation (poll_id, pupil_id) VALUES (2, 1)",
    "INSERT INTO ballot (id, poll_id, sealed) VALUES ('b2', 2, x'0203'), ('b3', 2, x'0405')",
]


def test_upgrading_forgets_the_ballots_and_keys_of_polls_counted_before_the_key_store(tmp_path):
    with database_in_use(tmp_path / "in-use.sqlite", BEFORE_KEY_STORE, OLD_CLASS + SPENT_POLL):
        upgrade()
        with db.engine.begin() as connection:
            counted = connection.execute(text("SELECT wrapped_private_key, trackers, scrub_pending FROM poll "
                                              "WHERE id = 2")).one()
            ballots = dict(connection.execute(text("SELECT poll_id, count(*) FROM ballot GROUP BY poll_id")).all())
            participation = connection.execute(text("SELECT count(*) FROM participation")).scalar()
            table = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'participation'")).scalar()
    expected = sorted(list(tracker_indices(sealed)) for sealed in (b"\x02\x03", b"\x04\x05"))
    assert counted == (None, json.dumps(expected), 1)
    assert ballots == {1: 1}  # the closed poll keeps its box until it is counted
    assert participation == 2 and "WITHOUT ROWID" in table


BEFORE_ITEM_LINK = "8416cfc30d7f"  # a1c3e5f70b29 links each poll to the agenda item it was put from
COUNCIL = [*OLD_CLASS[:3], PROPOSAL,
           "INSERT INTO message (id, cooperative_id, author_id, kind, text, status, anonymous, created_at, amends_id) "
           f"VALUES (2, 1, 1, 'amend', 'with flowers', 'approved', 0, '{NOW}', 1)",
           "INSERT INTO assembly (id, cooperative_id, starts_at, place, status, version, chair_runs_board, "
           f"minutes_text, created_at, opened_at) VALUES (1, 1, '{NOW}', '', 'in_session', 1, 0, '', '{NOW}', '{NOW}')",
           "INSERT INTO agenda_item (id, assembly_id, position, section, title, message_id, minutes) "
           "VALUES (1, 1, 0, 'proposals', '', 1, 5)",
           "INSERT INTO agenda_item (id, assembly_id, position, section, title, minutes) VALUES (2, 1, 1, 'free', "
           "'The trip', 5)",
           *[f"INSERT INTO poll (id, cooperative_id, question, kind, rule, seats, round, status, custody, "
             f"eligible_count, created_at, message_id, assembly_id) VALUES ({poll}, 1, 'Q', 'motion', 'simple', 1, 1, "
             f"'counted', 'server', 1, '{NOW}', {message}, {assembly})"
             for poll, message, assembly in ((1, 2, 1), (2, 1, 1), (3, "NULL", "NULL"))]]


def test_polls_put_from_the_agenda_find_their_item_and_an_item_runs_one_box_at_a_time(tmp_path):
    with database_in_use(tmp_path / "council.sqlite", BEFORE_ITEM_LINK, COUNCIL):
        upgrade()
        with db.engine.begin() as connection:
            linked = connection.execute(text("SELECT id, agenda_item_id FROM poll ORDER BY id")).all()
            assert linked == [(1, 1), (2, 1), (3, None)]  # the amendment's vote belongs to its proposal's item
            running = ("INSERT INTO poll (cooperative_id, question, kind, rule, seats, round, status, custody, "
                       f"eligible_count, created_at, agenda_item_id) VALUES (1, 'A trip?', 'motion', 'simple', 1, 1, "
                       f"'draft', 'server', 0, '{NOW}', 2)")
            connection.execute(text(running))
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text(running))
        downgrade(revision=BEFORE_ITEM_LINK)
        with db.engine.begin() as connection:
            assert rows(connection, "poll") == 4
