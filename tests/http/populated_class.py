"""A class in the middle of its year, so that every page shows its forms: messages waiting for moderation, an
assembly in session and one planned, polls in every state and kind, a decision, money recorded (and some waiting for
the educator's confirmation), a team member, a school waiting for approval, an archived class; and the people who
use it, each on their own browser."""

from datetime import timedelta

from flask import current_app

from app.domain.roster import RosterRow
from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models.types import utcnow
from app.services import (
    accounts,
    assemblies,
    classes,
    messages,
    polls,
    pupil_sign_in,
    register,
    tablets,
    team,
    treasury,
)
from tests.conftest import PASSWORD, World

ELECTION_METHODS = ("plurality", "approval", "majority_judgment", "schulze")


def _approved(world: World, kind: str, text: str):
    message = messages.post_message(world.pupil, kind, text, utcnow())
    message.status = "approved"
    db.session.flush()
    return message


def _assembly_in_session(world: World, now):
    """In session on a proposal, chaired by the world's pupil (who also gives the floor, writes the minutes and
    keeps the class's money)."""
    proposal = _approved(world, "propose", "A vegetable garden")
    assembly = assemblies.plan_assembly(world.cooperative, now, "Classroom", now)
    roles = ("chair", "secretary", "speaker_giver", "treasurer")
    assemblies.set_roles(assembly, {(role, 1): world.pupil.id for role in roles})
    assemblies.set_chair_runs_board(assembly, True)
    assemblies.open_assembly(assembly, now)
    while assembly.current_item.message_id != proposal.id:
        assemblies.advance(assembly, 1, now)
    messages.propose_amendment(proposal, world.pupils[1], "A garden with flowers too", now)
    return assembly


def _planned_assembly(world: World, now):
    _approved(world, "propose", "A chess club")
    assembly = assemblies.plan_assembly(world.cooperative, now + timedelta(days=7), "Library", now)
    _approved(world, "wish", "More books")  # after the planning: waits for an agenda
    for text in ("Too much noise", "Noise at lunch"):
        messages.post_message(world.pupils[2], "criticise", text, now)
    return assembly


def _polls(world: World, now) -> None:
    secret = current_app.config["BALLOT_KEY_SECRET"].encode()
    polls.create_motion(world.cooperative, "A class pet?", "simple", None, world.educator)
    for method in ELECTION_METHODS:
        election = polls.create_election(world.cooperative, f"Delegate ({method})", method, 1, world.pupils[:3],
                                         world.educator)
        polls.open_poll(election, world.educator, now, secret)
    polls.open_poll(polls.create_motion(world.cooperative, "Trip?", "simple", None, world.educator),
                    world.educator, now, secret)
    ceremony = polls.create_motion(world.cooperative, "Party?", "absolute", 50, world.educator)
    polls.open_poll(ceremony, world.educator, now, secret, custody="ceremony")
    polls.close_poll(ceremony, world.educator, now)
    counted = polls.create_motion(world.cooperative, "Games?", "two_thirds", None, world.educator)
    polls.open_poll(counted, world.educator, now, secret)
    polls.close_poll(counted, world.educator, now, counted_next=True)
    polls.open_and_count(counted, world.educator, secret)


def _register_and_money(world: World, now) -> None:
    register.record_decision(world.cooperative, register.NewDecision("Tidy the library", "consensus"), "Teacher A")
    treasury.record_entry(world.cooperative, Draft("income", "donation", first_day(world.cooperative.school_year),
                                                1250, "Gift"), world.educator, now)
    treasury.record_for_confirmation(world.pupil, Draft("income", "fundraising", first_day(
        world.cooperative.school_year), 500, "Cake sale"), now)  # waits for the educator's answer
    team.add_member("Camille Martin", "President", "Teacher trainer")


def _other_schools_and_classes(world: World, now) -> None:
    applicant = accounts.create_user("head@c.example.org", "Head C", PASSWORD)
    accounts.apply_school("School C", "Brest", "Europe/Paris", applicant)
    old = classes.create_cooperative(world.school, world.educator, "CM2 Z", world.cooperative.school_year - 1)
    classes.add_pupils(old, [RosterRow("Malo", "K")])
    classes.archive_cooperative(old, now)


def populate(world: World) -> World:
    now = utcnow()
    _assembly_in_session(world, now)
    _planned_assembly(world, now)
    _polls(world, now)
    _register_and_money(world, now)
    _other_schools_and_classes(world, now)
    db.session.commit()
    return world


ROLES = ("anonymous", "tablet", "pupil", "educator", "head", "admin")


def become(role: str, world: World, act) -> None:
    """The browser act of the role: signed in, or a tablet of the class with nobody signed in yet."""
    adults = {"educator": world.educator, "head": world.head, "admin": world.admin}
    if role in adults:
        assert act.sign_in(adults[role].email, PASSWORD).status_code == 302
    if role in ("tablet", "pupil"):
        act.pair_tablet(world.cooperative)
    if role == "pupil":
        assert act.sign_in_pupil(world.pupil).status_code == 302


def first_pages(role: str, world: World) -> list[str]:
    """Where each role starts; pages reached only from outside (e-mails, QR codes) are listed here too."""
    now = utcnow()
    if role == "anonymous":
        link, _token = tablets.new_pairing_link(world.cooperative, now)
        invitation = accounts.invitation_token(world.school, "new@a.example.org")
        pages = ["/", "/join", "/account/sign-in", "/account/forgot-password",
                 f"/account/reset-password/{accounts.password_reset_token(world.educator)}",
                 f"/account/invitation/{invitation}", f"/tablet/pair/{_token}"]
    elif role == "tablet":
        pages = ["/tablet/", f"/tablet/card/{pupil_sign_in.issue_card(world.pupils[1], now)}"]
    elif role == "pupil":
        pages = ["/tablet/me", "/messages/"]
    else:
        pages = ["/federation/" if role == "admin" else "/classes/"]
    db.session.commit()
    return pages
