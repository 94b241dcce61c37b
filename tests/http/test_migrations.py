"""Migrations build the whole schema from empty, and nothing in the models is left unmigrated."""

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from app.models.search import include_object
from tests.conftest import drop_database, make_app, worker_database


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    from config import _database_url

    admin_url = _database_url()
    migrated = worker_database(admin_url, suffix="migration_check")
    yield migrated
    drop_database(migrated)


def test_migrations_run_from_empty_and_match_the_models(empty_database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": include_object})
            differences = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
            triggers = search_triggers(connection)
        db.engine.dispose()
    assert differences == []
    assert triggers in ({"decision_search_insert", "decision_search_update", "decision_search_delete"}, None)
    assert {"school", "cooperative", "pupil", "paired_tablet", "sign_in_card"} <= tables


def search_triggers(connection) -> set[str] | None:
    """The triggers that keep SQLite's full-text index in step (None on PostgreSQL, which needs none)."""
    if connection.dialect.name != "sqlite":
        return None
    rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {name for (name,) in rows}


def test_a_fresh_checkout_gets_its_sqlite_folder(tmp_path):
    """`flask db upgrade` / `flask db check` work before instance/ exists."""
    url = f"sqlite:///{tmp_path / 'not-yet' / 'agora.sqlite'}"
    app = make_app(url)
    assert (tmp_path / "not-yet").is_dir()
    with app.app_context():
        db.engine.dispose()
