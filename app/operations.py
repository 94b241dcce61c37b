"""What an operator does from the shell: make the first federation admin, and back the database up while the app
serves. The ballot key store is never part of a backup: it lives outside the database on purpose."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import make_url

from app.extensions import db
from app.forms import MIN_PASSWORD
from app.services import accounts

accounts_group = click.Group("accounts", help="Adult accounts.")


@accounts_group.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="The name shown to others (asked for if a new account needs one).")
def create_admin(email: str, name: str) -> None:
    """Make EMAIL a federation admin: a new account (the password is asked for, never given on the command line),
    or an existing one promoted."""
    user = accounts.user_by_email(email)
    if user is None:
        name = name or click.prompt("Name")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < MIN_PASSWORD:
            raise click.ClickException(f"The password needs at least {MIN_PASSWORD} characters.")
        user = accounts.create_user(email, name, password, federation_admin=True)
        click.echo(f"Created {user.email}, federation admin.")
    elif user.is_federation_admin:
        click.echo(f"{user.email} is already a federation admin.")
    else:
        user.is_federation_admin = True
        click.echo(f"{user.email} is now a federation admin.")
    db.session.commit()


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(destination: Path) -> None:
    """Write a consistent copy of the database to DESTINATION while the app keeps serving: SQLite's online backup,
    or pg_dump's custom format for PostgreSQL (restore it with pg_restore)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        _backup_sqlite(Path(url.database), destination)
    elif url.get_backend_name() == "postgresql":
        _backup_postgresql(url, destination)
    else:
        raise click.ClickException(f"No backup for {url.get_backend_name()} databases.")
    click.echo(f"Backed up to {destination} ({destination.stat().st_size} bytes).")


def _written_privately(destination: Path):
    """A temporary file beside destination, readable by its owner only; renamed over destination once complete."""
    handle, name = tempfile.mkstemp(prefix=".agora-backup-", dir=destination.parent or Path("."))
    os.close(handle)
    os.chmod(name, 0o600)
    return Path(name)


def _backup_sqlite(source: Path, destination: Path) -> None:
    partial = _written_privately(destination)
    try:
        with sqlite3.connect(source) as reader, sqlite3.connect(partial) as copy:
            reader.backup(copy)  # pages copied under a read transaction: writers go on meanwhile
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)


def _backup_postgresql(url, destination: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed (Debian: apt install postgresql-client).")
    partial = _written_privately(destination)
    libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), libpq_url],  # noqa: S603, S607
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise click.ClickException(f"pg_dump failed: {done.stderr.strip()}")
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
