"""Command-line tasks: `flask demo` loads the demo school once."""

from datetime import date, timedelta

import click
from flask import Flask, current_app, url_for
from flask_babel import force_locale
from sqlalchemy import select

from app import ballot_scrub, operations
from app.domain.roster import RosterRow
from app.domain.school_year import school_year_end, school_year_of
from app.extensions import db
from app.models import Cooperative, School
from app.models.people import anonymous_name
from app.models.types import utcnow
from app.services import accounts, classes, pupil_sign_in, retention, tablets
from app.services import register as register_service

DEMO_PASSWORD = "demo-agora-2026"  # noqa: S105 - the demo's published password
DEMO_SCHOOL = "École Célestin-Freinet"
DEMO_PUPILS = (
    "Léa M", "Hugo B", "Inès D", "Lucas P", "Chloé R", "Nathan L", "Jade F", "Adam G", "Louise T", "Gabriel C",
    "Emma V", "Raphaël N", "Alice H", "Louis K", "Rose A", "Jules S", "Anna W", "Arthur E", "Mila O", "Sacha J",
    "Lina Q", "Noé Z", "Zoé Y", "Malo X",
)
DEMO_ACCOUNTS = (
    ("admin@demo.example.org", "Camille Admin", "federation admin"),
    ("head@demo.example.org", "Dominique Directrice", "school head"),
    ("teacher@demo.example.org", "Sam Enseignant", "educator"),
)


def demo_class():
    school = db.session.scalar(select(School).where(School.name == DEMO_SCHOOL))
    return school.cooperatives[0] if school is not None and school.cooperatives else None


def demo_pairing_token(cooperative) -> str:
    """A pairing link for the demo class that lasts until the end of the school year."""
    now = utcnow()
    lifetime = school_year_end(cooperative.school_year, cooperative.school.timezone) - now
    _link, token = tablets.new_pairing_link(cooperative, now, max(lifetime, timedelta(days=1)))
    return token


def load_demo() -> bool:
    """Creates the demo school once; False when it is already there."""
    if demo_class() is not None:
        return False
    now = utcnow()
    admin, head, teacher = (accounts.create_user(email, name, DEMO_PASSWORD) for email, name, _ in DEMO_ACCOUNTS)
    admin.is_federation_admin = True
    school = accounts.apply_school(DEMO_SCHOOL, "Lyon", "Europe/Paris", head)
    accounts.decide_application(school, True, now)
    accounts.add_staff(school, teacher, "educator")
    year = school_year_of(date.today())
    cooperative = classes.create_cooperative(school, teacher, "CM1 — Les Colibris", year)
    rows = [RosterRow(name.split()[0], name.split()[1], 2016 + index % 2) for index, name in enumerate(DEMO_PUPILS)]
    classes.add_pupils(cooperative, rows)
    pupil_sign_in.issue_class_cards(cooperative, now)
    db.session.flush()
    return True


def register(app: Flask) -> None:
    app.cli.add_command(register_group)
    app.cli.add_command(ballots_group)
    app.cli.add_command(apply_retention)
    app.cli.add_command(operations.accounts_group)
    app.cli.add_command(operations.backup)

    @app.cli.command("demo")
    @click.option("--url", default="http://127.0.0.1:5000", help="Where the demo is served.")
    def demo(url: str) -> None:
        """Load the demo school once and print how to sign in."""
        if current_app.config["PRODUCTION"]:
            raise click.ClickException("The demo data is not for production.")
        if not load_demo():
            click.echo("The demo school is already loaded.")
        cooperative = demo_class()
        token = demo_pairing_token(cooperative)
        db.session.commit()
        _print_sign_ins(url, token, cooperative)


register_group = click.Group("register", help="The register of decisions.")


@register_group.command("verify")
def verify_registers() -> None:
    """Check every class's register chain; name the first broken link of each broken one."""
    broken = 0
    for cooperative_id in register_service.cooperatives_with_registers():
        report = register_service.verify(cooperative_id)
        cooperative = db.session.get(Cooperative, cooperative_id)
        if report.ok:
            click.echo(f"ok      {cooperative.name} ({cooperative.year_label}): {report.entries} entries")
        else:
            broken += 1
            click.echo(f"BROKEN  {cooperative.name} ({cooperative.year_label}): entry {report.first_broken_position}"
                       f" ({report.reason})")
    if broken:
        raise SystemExit(1)


ballots_group = click.Group("ballots", help="The ballot boxes' keys and storage.")


@ballots_group.command("scrub")
@click.option("--wait", type=float, default=30.0, show_default=True, help="Seconds to wait for busy readers.")
def scrub_ballots(wait: float) -> None:
    """Destroy spent ballot keys and scrub the database files where a close, count or cancel left it pending."""
    unfinished = 0
    for poll in ballot_scrub.pending_polls():
        scrub = ballot_scrub.finish(poll, wait_seconds=wait)
        unfinished += not scrub.done
        click.echo(f"poll {poll.id}: " + ("scrubbed" if scrub.done else "NOT scrubbed, held by " +
                                           "; ".join(scrub.holders)))
    click.echo("Every ballot box is scrubbed." if not unfinished else f"{unfinished} ballot boxes still wait.")
    if unfinished:
        raise SystemExit(1)


@click.command("retention")
@click.option("--years", type=int, default=None, help="Years after a pupil leaves before their name goes.")
def apply_retention(years: int | None) -> None:
    """Replace departed pupils' names in old decisions with 'a pupil of <class>'."""
    years = years if years is not None else current_app.config["PUPIL_NAME_RETENTION_YEARS"]
    now = utcnow()
    with force_locale(current_app.config["RETENTION_LANGUAGE"]):
        for pupil in retention.departed_pupils(now, years):
            replacement = anonymous_name(pupil.cooperative.name)
            redacted = retention.anonymise(pupil, replacement, now)
            click.echo(f"pupil {pupil.id} of {pupil.cooperative.name}: {redacted} register entries redacted")
    db.session.commit()


def _print_sign_ins(url: str, token: str, cooperative) -> None:
    click.echo(f"\nAgora is served at {url}/\n")
    for email, _name, role in DEMO_ACCOUNTS:
        click.echo(f"  {role:<17} {email:<28} password: {DEMO_PASSWORD}")
    with current_app.test_request_context(base_url=url):
        pairing_url = url_for("tablet.pair", token=token, _external=True)
    click.echo(f"\n  Pair this browser as the class tablet: {pairing_url}")
    for pupil in cooperative.active_pupils()[:2]:
        click.echo(f"  Pupil {pupil.display_name}: picture code {pupil.picture_code.replace('-', ', ')}")
    click.echo(f"  Every pupil's code is on the class page ({url}/classes/{cooperative.id}).\n")
