"""Fixtures for every test level: an app on a fresh database, clients, and a cast of people and classes."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import g
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.domain.pictures import CODE_PICTURES
from app.domain.roster import RosterRow
from app.domain.school_year import school_year_of
from app.extensions import db
from app.models.types import utcnow
from app.services import accounts, classes, tablets
from config import TestConfig

PASSWORD = "correct horse battery"  # noqa: S105
POSTGRES_URL = os.environ.get("DATABASE_URL", "")


def _database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return worker_database(TestConfig().SQLALCHEMY_DATABASE_URI)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'agora-test.sqlite'}"


def worker_database(url: str, suffix: str = "") -> str:
    """A fresh PostgreSQL database beside the given one for each parallel test process (pytest-xdist), so that
    processes never empty each other's tables; the given database itself when the tests run in one process.

    The name carries the pid of the run's controlling process too: two runs at once on the same server (two
    checkouts, or the suite beside a benchmark) must not drop each other's databases."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker and not suffix:
        return url
    run = str(os.getppid()) if worker else ""
    name = "_".join(part for part in (worker, run, suffix) if part)
    return fresh_database_beside(url, f"{make_url(url).database}_{name}")


def fresh_database_beside(url: str, database: str) -> str:
    """An empty PostgreSQL database named database on the server of url (dropped first if it exists); its URL."""
    base = make_url(url)
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = _database_url(tmp_path_factory)
    yield url
    if POSTGRES_URL and url != TestConfig().SQLALCHEMY_DATABASE_URI:
        drop_database(url)


def drop_database(url: str) -> None:
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def _forget_request_state() -> None:
    """Tests keep one app context open across requests, so g must be emptied as a new request would find it."""
    for name in list(g):
        g.pop(name)


def make_app(database_url: str, **overrides):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    app = create_app(config)
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_state)
    return app


@pytest.fixture(scope="session")
def _schema(database_url) -> None:
    app = make_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()


def clear_database() -> None:
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, _schema) -> Iterator:
    app = make_app(database_url)
    with app.app_context():
        yield app
        clear_database()
        db.session.remove()
        db.engine.dispose()


@contextmanager
def app_configured(database_url: str, **overrides) -> Iterator:
    """An app on the test database with some settings changed, emptied afterwards like the app fixture."""
    app = make_app(database_url, **overrides)
    with app.app_context():
        yield app
        clear_database()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class World:
    """Two schools, each with a head, an educator and a class of pupils, plus a federation admin."""

    def __init__(self) -> None:
        now = utcnow()
        year = school_year_of(date.today())
        self.admin = accounts.create_user("admin@fed.example.org", "Fed Admin", PASSWORD, federation_admin=True)
        self.head = accounts.create_user("head@a.example.org", "Head A", PASSWORD)
        self.educator = accounts.create_user("teacher@a.example.org", "Teacher A", PASSWORD)
        self.school = accounts.apply_school("School A", "Lyon", "Europe/Paris", self.head)
        accounts.decide_application(self.school, True, now)
        accounts.add_staff(self.school, self.educator, "educator")
        self.cooperative = classes.create_cooperative(self.school, self.educator, "CM1 A", year)
        names = [RosterRow(name, initial) for name, initial in
                 (("Léa", "M"), ("Hugo", "B"), ("Inès", "D"), ("Lucas", "P"), ("Jade", "F"), ("Adam", "G"))]
        self.pupils = classes.add_pupils(self.cooperative, names)
        self.other_head = accounts.create_user("head@b.example.org", "Head B", PASSWORD)
        self.other_educator = accounts.create_user("teacher@b.example.org", "Teacher B", PASSWORD)
        self.other_school = accounts.apply_school("School B", "Nantes", "Europe/Paris", self.other_head)
        accounts.decide_application(self.other_school, True, now)
        accounts.add_staff(self.other_school, self.other_educator, "educator")
        self.other_cooperative = classes.create_cooperative(self.other_school, self.other_educator, "CE2 B", year)
        self.other_pupils = classes.add_pupils(self.other_cooperative, [RosterRow("Zoé", "Y"), RosterRow("Noé", "Z"),
                                                                        RosterRow("Mila", "O")])
        db.session.commit()

    @property
    def pupil(self):
        return self.pupils[0]


@pytest.fixture
def world(app) -> World:
    return World()


def picks_for(pupil) -> list[int]:
    return [CODE_PICTURES.index(key) for key in pupil.picture_code.split("-")]


def wrong_picks_for(pupil) -> list[int]:
    picks = picks_for(pupil)
    return [(picks[0] + 1) % len(CODE_PICTURES), *picks[1:]]


class Actions:
    """What users do, as HTTP requests: tests read like a user's steps."""

    def __init__(self, client) -> None:
        self.client = client

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.client.post("/account/sign-in", data={"email": email, "password": password})

    def sign_out(self):
        return self.client.post("/account/sign-out")

    def pair_tablet(self, cooperative, label: str = "Tablet 1"):
        _link, token = tablets.new_pairing_link(cooperative, utcnow())
        db.session.commit()
        return self.client.post(f"/tablet/pair/{token}", data={"label": label})

    def enter_code(self, pupil, picks: list[int]):
        response = None
        so_far = ""
        for pick in picks:
            response = self.client.post(f"/tablet/pupils/{pupil.id}/code", data={"picks": so_far, "pick": pick})
            so_far += str(pick)
        return response

    def sign_in_pupil(self, pupil):
        return self.enter_code(pupil, picks_for(pupil))


@pytest.fixture
def act(client) -> Actions:
    return Actions(client)


@pytest.fixture
def make_client(app):
    """More browsers (tablets, other people) on the same app."""
    return lambda: Actions(app.test_client())


@pytest.fixture
def educator(world, make_client) -> Actions:
    """The educator of the world's class, signed in on their own browser."""
    actions = make_client()
    actions.sign_in(world.educator.email, PASSWORD)
    return actions


@pytest.fixture
def head(world, make_client) -> Actions:
    actions = make_client()
    actions.sign_in(world.head.email, PASSWORD)
    return actions


@pytest.fixture
def tablet(world, make_client) -> Actions:
    """A tablet paired with the world's class, nobody signed in yet."""
    actions = make_client()
    actions.pair_tablet(world.cooperative)
    return actions
