"""Upgrading a treasury in use (d5c5ead426be), on SQLite and on PostgreSQL: every entry recorded so far becomes
confirmed by whoever recorded it, so no total moves; the new rules hold; going back keeps the entries that counted."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.conftest import make_app
from tests.http.test_migrations import empty_database_url  # noqa: F401 - the fixture: SQLite, or PostgreSQL

BEFORE = "a1c3e5f70b29"
NOW = "2026-11-30 09:00:00"
TREASURY_IN_USE = [
    "INSERT INTO school (id, name, city, timezone, status, applied_at) VALUES (1, 'A', 'Lyon', 'Europe/Paris', "
    f"'approved', '{NOW}')",
    f"INSERT INTO cooperative (id, school_id, name, school_year, kind, created_at) VALUES (1, 1, 'CM1', 2026, 'class', "
    f"'{NOW}')",
    "INSERT INTO treasury_entry (id, cooperative_id, kind, category, occurred_on, amount_cents, description, "
    f"recorded_at, recorded_by, cancel_reason) VALUES (1, 1, 'income', 'donation', '2026-10-01', 1250, 'Gift', "
    f"'{NOW}', 'Teacher A', '')",
    "INSERT INTO treasury_entry (id, cooperative_id, kind, category, occurred_on, amount_cents, description, "
    "recorded_at, recorded_by, cancelled_at, cancelled_by, cancel_reason) VALUES (2, 1, 'income', 'grant', "
    f"'2026-10-02', 500, 'Twice', '{NOW}', 'Teacher A', '{NOW}', 'Teacher A', 'Recorded twice')",
]
WAITING = ("INSERT INTO treasury_entry (id, cooperative_id, kind, category, occurred_on, amount_cents, description, "
           f"recorded_at, recorded_by, cancel_reason, refusal_reason) VALUES (3, 1, 'income', 'fundraising', "
           f"'2026-10-03', 700, 'Cake sale', '{NOW}', 'Léa M.', '', '')")


@pytest.fixture
def treasury_in_use(empty_database_url):  # noqa: F811
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for statement in TREASURY_IN_USE:
                connection.execute(text(statement))
        yield
        db.session.remove()
        db.engine.dispose()


def entries(connection) -> list[tuple]:
    rows = connection.execute(text("SELECT id, confirmed_by, confirmed_at = recorded_at, refused_at, refusal_reason "
                                   "FROM treasury_entry ORDER BY id"))
    return [tuple(row) for row in rows]


def test_every_entry_so_far_becomes_confirmed_by_who_recorded_it(treasury_in_use):
    upgrade()
    with db.engine.begin() as connection:
        assert entries(connection) == [(1, "Teacher A", True, None, ""), (2, "Teacher A", True, None, "")]
        connection.execute(text(WAITING))  # what a treasurer records on the tablet: waiting, counted nowhere
        assert connection.execute(text("SELECT confirmed_at FROM treasury_entry WHERE id = 3")).scalar() is None
    for breaking in ("UPDATE treasury_entry SET confirmed_at = recorded_at WHERE id = 3",  # confirmed by nobody
                     f"UPDATE treasury_entry SET cancelled_at = '{NOW}', cancelled_by = 'T' WHERE id = 3",
                     f"UPDATE treasury_entry SET refused_at = '{NOW}', refused_by = 'T' WHERE id = 1"):
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text(breaking))


def test_going_back_keeps_the_entries_that_counted(treasury_in_use):
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(text(WAITING))
    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        kept = connection.execute(text("SELECT id, amount_cents FROM treasury_entry ORDER BY id")).all()
    assert [tuple(row) for row in kept] == [(1, 1250), (2, 500)]
