"""The restore drill: a backup of a school with a register, counted ballots and a treasury, taken while the app
serves, restores into an empty database with every figure and the register chain intact."""

import shutil
import subprocess
import threading

import pytest
from sqlalchemy import func, make_url, select

from app.extensions import db
from app.models import Ballot, Decision, Participation, Poll, RegisterEntry, TreasuryEntry, User
from app.services import register
from tests.conftest import POSTGRES_URL, app_configured, drop_database, fresh_database_beside, picks_for
from tests.http.test_polls import open_motion, vote
from tests.http.test_treasury import expense, income, record


def figures() -> dict:
    """Everything the drill compares, read from the current app's database."""
    polls = db.session.scalars(select(Poll).order_by(Poll.id)).all()
    return {
        "polls": [(poll.question, poll.status, poll.result, poll.trackers) for poll in polls],
        "participations": db.session.scalar(select(func.count()).select_from(Participation)),
        "ballots": db.session.scalar(select(func.count()).select_from(Ballot)),
        "decisions": db.session.execute(select(Decision.id, Decision.text, Decision.status)).all(),
        "register": db.session.execute(select(RegisterEntry.id, RegisterEntry.entry_hash)
                                       .order_by(RegisterEntry.id)).all(),
        "treasury": db.session.execute(select(TreasuryEntry.id, TreasuryEntry.amount_cents,
                                              TreasuryEntry.category)).all(),
        "accounts": db.session.scalars(select(User.email).order_by(User.email)).all(),
    }


def restored_copy(backup_file, database_url: str, tmp_path) -> str:
    """Restores the backup as an operator would into a new, empty database; returns its URL."""
    if not database_url.startswith("postgresql"):
        restored = tmp_path / "restored.sqlite"
        shutil.copyfile(backup_file, restored)
        return f"sqlite:///{restored}"
    restored_url = make_url(fresh_database_beside(database_url, f"{make_url(database_url).database}_restored"))
    libpq = restored_url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", libpq, str(backup_file)],  # noqa: S603, S607
                   check=True, capture_output=True)
    return restored_url.render_as_string(hide_password=False)


def restore_and_read(backup_file, database_url, tmp_path) -> tuple[dict, str]:
    url = restored_copy(backup_file, database_url, tmp_path)
    try:
        with app_configured(url) as restored:
            verified = restored.test_cli_runner().invoke(args=["register", "verify"])
            assert verified.exit_code == 0, verified.output
            return figures(), verified.output
    finally:
        if url.startswith("postgresql"):
            drop_database(url)


@pytest.fixture
def school_year_of_work(app, world, educator, tablet):
    """A counted and announced secret vote (so a decision in the register) and a treasury citing it."""
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:5], ("for", "for", "for", "against", "abstain"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")
    decision = db.session.scalars(select(Decision)).one()
    assert record(educator, world, "income", income(world)).status_code == 302
    assert record(educator, world, "expense", expense(world, decision)).status_code == 302
    assert register.verify(world.cooperative.id).ok
    return poll


def test_a_restored_backup_has_every_figure_and_an_intact_register(app, runner, database_url, tmp_path,
                                                                   school_year_of_work):
    backup_file = tmp_path / "agora.backup"
    answer = runner.invoke(args=["backup", str(backup_file)])
    assert answer.exit_code == 0, answer.output
    assert backup_file.stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"
    before = figures()
    assert before["polls"][0][1] == "counted" and len(before["treasury"]) == 2 and before["register"]
    after, verified = restore_and_read(backup_file, database_url, tmp_path)
    assert after == before
    assert "ok" in verified and "BROKEN" not in verified


def test_a_backup_taken_while_pupils_vote_is_consistent(app, world, educator, make_client, runner, database_url,
                                                        tmp_path):
    poll, _ = open_motion(educator, world)
    backups, failures = [], []

    def back_up_repeatedly() -> None:
        with app.app_context():
            for number in range(3):
                path = tmp_path / f"during-{number}.backup"
                answer = app.test_cli_runner().invoke(args=["backup", str(path)])
                (backups if answer.exit_code == 0 else failures).append(path if answer.exit_code == 0 else
                                                                        answer.output)
            db.session.remove()

    worker = threading.Thread(target=back_up_repeatedly)
    worker.start()
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    for pupil in world.pupils:
        tablet.enter_code(pupil, picks_for(pupil))
        tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"})
    worker.join(60)
    assert failures == [] and len(backups) == 3
    for backup_file in backups:
        restored, _ = restore_and_read(backup_file, database_url, tmp_path)
        assert restored["ballots"] == restored["participations"], "a ballot comes with its émargement, never alone"


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's own check")
def test_a_sqlite_backup_is_one_self_contained_file(app, runner, tmp_path, school_year_of_work):
    import sqlite3

    backup_file = tmp_path / "agora.backup"
    runner.invoke(args=["backup", str(backup_file)])
    with sqlite3.connect(backup_file) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
