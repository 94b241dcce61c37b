"""When something fails mid-request: the page says what is true of this request, and a stuck transaction makes
others answer "try again" within seconds instead of stalling them."""

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, make_url, select, text, update

from app.extensions import db
from app.models import Participation, User
from tests.conftest import PASSWORD, POSTGRES_URL, Actions, World, app_configured, picks_for
from tests.http.test_polls import open_motion

LOCK_WAIT = 0.5


def failing_views(app) -> None:
    """Three views that fail: after saving, before saving, and while only reading."""
    def rename_then_fail():
        db.session.execute(update(User).values(display_name="Renamed"))
        db.session.commit()
        raise RuntimeError("after the commit")

    def fail_before_saving():
        db.session.execute(update(User).values(display_name="Never"))
        raise RuntimeError("before the commit")

    def fail_while_reading():
        db.session.scalars(select(User)).all()
        raise RuntimeError("while reading")

    app.add_url_rule("/test/saved-then-failed", view_func=rename_then_fail, methods=["POST"])
    app.add_url_rule("/test/failed-unsaved", view_func=fail_before_saving, methods=["POST"])
    app.add_url_rule("/test/failed-reading", view_func=fail_while_reading)


@pytest.fixture
def fragile_app(database_url, _schema):
    with app_configured(database_url, DATABASE_LOCK_WAIT_SECONDS=LOCK_WAIT) as app:
        failing_views(app)
        yield app


ADVICE = {
    "/test/saved-then-failed": "What you did was saved, but this page could not be shown.",
    "/test/failed-unsaved": "Nothing was saved. Try again in a moment.",
    "/test/failed-reading": "This page could not be shown. Try again in a moment.",
}


@pytest.mark.parametrize(("method", "path"), [("POST", "/test/saved-then-failed"), ("POST", "/test/failed-unsaved"),
                                              ("GET", "/test/failed-reading")])
def test_an_error_page_says_what_is_true_of_the_request(fragile_app, method, path):
    World()
    db.session.commit()
    response = fragile_app.test_client().open(path, method=method)
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert [advice for advice in ADVICE.values() if advice in page] == [ADVICE[path]]
    db.session.expire_all()
    names = set(db.session.scalars(select(User.display_name)))
    assert ("Renamed" in names) == path.endswith("saved-then-failed") and "Never" not in names


class HeldLock:
    """Another connection holding what a cast needs: SQLite's write lock, or the poll's row on PostgreSQL."""

    def __init__(self, url: str, poll_id: int) -> None:
        self.url, self.poll_id = url, poll_id

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.connection = sqlite3.connect(make_url(self.url).database, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(self.url)
            self.connection = self.engine.connect()
            self.connection.execute(text("SELECT id FROM poll WHERE id = :id FOR UPDATE"), {"id": self.poll_id})
        return self

    def __exit__(self, *_exc) -> None:
        if self.url.startswith("sqlite"):
            self.connection.execute("ROLLBACK")
            self.connection.close()
        else:
            self.connection.rollback()
            self.connection.close()
            self.engine.dispose()


def test_a_cast_behind_a_stuck_transaction_answers_try_again_within_seconds(fragile_app, database_url):
    world = World()
    db.session.commit()
    educator, tablet = Actions(fragile_app.test_client()), Actions(fragile_app.test_client())
    educator.sign_in(world.educator.email, PASSWORD)
    poll, _ = open_motion(educator, world)
    tablet.pair_tablet(world.cooperative)
    tablet.enter_code(world.pupil, picks_for(world.pupil))
    with HeldLock(database_url, poll.id):
        start = time.monotonic()
        response = tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"})
        waited = time.monotonic() - start
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Nothing was saved. Try again in a few seconds." in response.get_data(as_text=True)
    assert waited < LOCK_WAIT + 3
    db.session.expire_all()
    assert db.session.scalars(select(Participation)).all() == []
    assert tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"}).status_code == 302
    assert len(db.session.scalars(select(Participation)).all()) == 1


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="PostgreSQL's own settings")
def test_every_postgresql_connection_bounds_its_waits(fragile_app):
    settings = {name: db.session.execute(text(f"SHOW {name}")).scalar()
                for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")}
    assert settings == {"lock_timeout": "500ms", "statement_timeout": "1min",
                        "idle_in_transaction_session_timeout": "1min"}


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="PostgreSQL's own connections")
def test_after_the_database_restarts_the_next_request_is_served(fragile_app, database_url):
    """A restart of PostgreSQL cuts every pooled connection: the pool notices and opens new ones, no 500."""
    world = World()
    db.session.commit()
    educator = Actions(fragile_app.test_client())
    educator.sign_in(world.educator.email, PASSWORD)
    assert educator.client.get("/classes/").status_code == 200
    db.session.remove()
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      "WHERE datname = :name AND pid <> pg_backend_pid()"),
                                 {"name": make_url(database_url).database}).scalar()
    admin.dispose()
    assert cut >= 1, "the app's pooled connection was cut"
    assert educator.client.get("/classes/").status_code == 200
    assert educator.client.get("/health").status_code == 200
