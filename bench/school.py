"""A school built through the app's services: classes of pupils, an open motion per class, and paired tablets."""

import ipaddress
import time
from dataclasses import dataclass, replace
from datetime import date

from flask import g, session
from flask_wtf.csrf import generate_csrf

from app.domain.pictures import CODE_PICTURES
from app.domain.roster import RosterRow
from app.domain.school_year import school_year_of
from app.extensions import db
from app.identity import current_tablet, sign_in_pupil
from app.models import Pupil
from app.models.types import utcnow
from app.services import accounts, classes, polls, tablets

PASSWORD = "bench password that nobody types"  # noqa: S105 - a throw-away database
FIRST_ADDRESS = int(ipaddress.IPv4Address("10.0.0.0"))


@dataclass(frozen=True)
class Tablet:
    """A paired tablet as a browser knows it: its device cookie, its own address and user agent."""

    cookie: str
    address: str
    user_agent: str


@dataclass(frozen=True)
class Voter:
    pupil_id: int
    picks: tuple[int, ...]
    tablet: Tablet


@dataclass(frozen=True)
class Cast:
    """One ballot to cast: a pupil in a poll they are eligible for and have not voted in."""

    poll_id: int
    voter: Voter


@dataclass
class School:
    main: list[Cast]  # one poll per class, every pupil once: the 1,000-pupil minute
    flask_pool: list[Cast]  # fresh polls for the closed-loop run of the Flask endpoint
    bare_pool: list[Cast]  # fresh polls for the closed-loop run of the bare endpoint


def address(number: int) -> str:
    return str(ipaddress.IPv4Address(FIRST_ADDRESS + number))


def _staff():
    head = accounts.create_user("head@bench.example.org", "Bench Head", PASSWORD)
    educator = accounts.create_user("teacher@bench.example.org", "Bench Teacher", PASSWORD)
    school = accounts.apply_school("Bench School", "Lyon", "Europe/Paris", head)
    accounts.decide_application(school, True, utcnow())
    accounts.add_staff(school, educator, "educator")
    return school, educator


def _tablets(cooperative, count: int, first_number: int) -> list[Tablet]:
    made = []
    for number in range(first_number, first_number + count):
        link, _token = tablets.new_pairing_link(cooperative, utcnow())
        _tablet, cookie = tablets.pair_tablet(link, f"Tablet {number}", utcnow())
        made.append(Tablet(cookie=cookie, address=address(number), user_agent=f"AgoraBench-Tablet/{number}"))
    return made


def _open_motions(cooperative, educator, count: int, secret: bytes) -> list[int]:
    ids = []
    for index in range(count):
        poll = polls.create_motion(cooperative, f"Motion {index} of {cooperative.name}?", "simple", None, educator)
        polls.open_poll(poll, educator, utcnow(), secret)
        ids.append(poll.id)
    return ids


def _picks(pupil: Pupil) -> tuple[int, ...]:
    return tuple(CODE_PICTURES.index(key) for key in pupil.picture_code.split("-"))


def _add_class(school, educator, index: int, size: int, per_tablet: int, polls_wanted: int, secret: bytes):
    year = school_year_of(date.today())
    cooperative = classes.create_cooperative(school, educator, f"Class {index:02d}", year)
    pupils = classes.add_pupils(cooperative, [RosterRow(f"Pupil{number:02d}", "B") for number in range(size)])
    class_tablets = _tablets(cooperative, -(-size // per_tablet), index * 100)
    voters = [Voter(pupil.id, _picks(pupil), class_tablets[number // per_tablet])
              for number, pupil in enumerate(pupils)]
    poll_ids = _open_motions(cooperative, educator, polls_wanted, secret)
    db.session.commit()
    return voters, poll_ids


def _interleaved(per_class: list[tuple[list[Voter], list[int]]], first: int, last: int) -> list[Cast]:
    """Polls first..last-1 of every class, ordered so that consecutive casts go to different classes."""
    casts = []
    for poll_index in range(first, last):
        for pupil_index in range(max(len(voters) for voters, _ in per_class)):
            casts += [Cast(poll_ids[poll_index], voters[pupil_index])
                      for voters, poll_ids in per_class if pupil_index < len(voters)]
    return casts


def build_school(secret: bytes, class_count: int, class_size: int, per_tablet: int, flask_polls: int,
                 bare_polls: int) -> School:
    """Needs an app context; commits class by class."""
    school, educator = _staff()
    per_class = [_add_class(school, educator, index, class_size, per_tablet, 1 + flask_polls + bare_polls, secret)
                 for index in range(class_count)]
    return School(main=_interleaved(per_class, 0, 1),
                  flask_pool=_one_tablet_per_cast(_interleaved(per_class, 1, 1 + flask_polls)),
                  bare_pool=_interleaved(per_class, 1 + flask_polls, 1 + flask_polls + bare_polls))


def _one_tablet_per_cast(casts: list[Cast]) -> list[Cast]:
    """A tablet holds one pupil's sign-in at a time, so casts whose sessions are minted in advance (several polls
    for the same pupil) each need a tablet of their own: a later sign-in would end the earlier one."""
    seen, result = set(), []
    for number, cast in enumerate(casts):
        if cast.voter.pupil_id in seen:
            cooperative = db.session.get(Pupil, cast.voter.pupil_id).cooperative
            cast = replace(cast, voter=replace(cast.voter, tablet=_tablets(cooperative, 1, 100_000 + number)[0]))
        seen.add(cast.voter.pupil_id)
        result.append(cast)
    db.session.commit()
    return result


def mint_session(app, voter: Voter, remote_address: str) -> tuple[str, str]:
    """The session cookie and CSRF token a picture-code sign-in leaves, made with the app's own functions.

    Used where a run must time the cast alone: the pupil is signed in exactly as tablet.enter_code does it
    (sign_in_pupil on the voter's tablet, then the idle guard's timestamp), and the CSRF token is the one the
    booth's form would carry. A tablet holds one pupil at a time, so each voter's tablet must be their own.
    """
    environ = {"REMOTE_ADDR": remote_address, "wsgi.url_scheme": "https"}
    headers = {"User-Agent": voter.tablet.user_agent, "Cookie": f"{tablets.COOKIE_NAME}={voter.tablet.cookie}"}
    with app.test_request_context(headers=headers, environ_base=environ):
        for name in list(g):  # g lives in the enclosing app context: forget the previous session's CSRF token
            g.pop(name)
        sign_in_pupil(db.session.get(Pupil, voter.pupil_id), current_tablet())
        session["pupil_seen"] = time.time()
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    db.session.commit()  # no transaction left open while the servers run (PostgreSQL ends idle ones)
    return cookie, token
