"""What the educator puts to the vote from the item the assembly is on (§5, §6), and the vote the run panel follows.

A proposal's votes come from services/agenda_votes; any other item gets a question worded by the educator, and the
"Elections" item its election. Polls themselves are made, opened and counted by services/polls. Nothing here
commits.
"""

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Assembly, Poll, Pupil, User
from app.services import polls
from app.services.agenda_votes import require_running

OWN_VOTES = ("proposals", "elections")  # items whose vote is not a question worded by the educator


def asks_a_question(item: AgendaItem) -> bool:
    return item.section not in OWN_VOTES


def holds_an_election(item: AgendaItem) -> bool:
    return item.section == "elections"


def unannounced(item: AgendaItem) -> Poll | None:
    """The item's vote still going on: a draft, an open or closed box, or a count the class has not heard yet."""
    query = select(Poll).where(Poll.agenda_item_id == item.id, Poll.status != "cancelled",
                               Poll.published_at.is_(None))
    return db.session.scalar(query.order_by(Poll.id.desc()).limit(1))


def _check_free(item: AgendaItem, question: str) -> None:
    """A second click on the same question is told it is already put; another question waits for the first."""
    going_on = unannounced(item)
    if going_on is not None:
        same = going_on.question == question.strip()
        raise RuleBroken("already_put_to_vote" if same else "item_vote_in_progress")


def _made(item: AgendaItem, create) -> Poll:
    """The unique index settles two clicks that reach two workers at once: one poll, one refusal."""
    try:
        with db.session.begin_nested():
            poll = create()
    except IntegrityError:
        raise RuleBroken("already_put_to_vote") from None
    item.assembly.touch()
    return poll


def put_question(item: AgendaItem, question: str, rule: str, quorum_percent: int | None, author: User) -> Poll:
    """A draft motion on a question the educator words for the running item."""
    require_running(item)
    if not asks_a_question(item):
        raise RuleBroken("not_a_question_item")
    _check_free(item, question)
    cooperative = item.assembly.cooperative
    return _made(item, lambda: polls.create_motion(cooperative, question, rule, quorum_percent, author,
                                                   assembly=item.assembly, agenda_item=item))


def hold_election(item: AgendaItem, office: str, method: str, seats: int, candidates: list[Pupil],
                  author: User) -> Poll:
    """A draft election held from the running "Elections" item (services/polls checks the candidates)."""
    require_running(item)
    if not holds_an_election(item):
        raise RuleBroken("not_an_election_item")
    _check_free(item, office)
    cooperative = item.assembly.cooperative
    return _made(item, lambda: polls.create_election(cooperative, office, method, seats, candidates, author,
                                                     agenda_item=item))


def followed_poll(assembly: Assembly) -> Poll | None:
    """The vote the run panel shows: a ballot box of this assembly still open, waiting for its count or for its
    announcement, wherever its item is (it must be finished); else the running item's latest vote."""
    waiting = or_(Poll.status.in_(("open", "closed")), and_(Poll.status == "counted", Poll.published_at.is_(None)))
    query = select(Poll).where(Poll.assembly_id == assembly.id, Poll.kind.in_(("motion", "election")), waiting)
    found = db.session.scalar(query.order_by(Poll.id.desc()).limit(1))
    item = assembly.current_item
    if found is not None or item is None:
        return found
    latest = select(Poll).where(Poll.agenda_item_id == item.id, Poll.status != "cancelled")
    return db.session.scalar(latest.order_by(Poll.id.desc()).limit(1))


def panel_version(assembly: Assembly, poll: Poll | None, now: datetime) -> str:
    """What the run panel compares every two seconds: the assembly's version, and the followed vote's state and
    number of ballots (casting a ballot changes no assembly row)."""
    if poll is None:
        return str(assembly.version)
    return f"{assembly.version}.{poll.id}.{poll.status}.{polls.ballots_cast(poll)}.{int(polls.is_due(poll, now))}"
