"""What the council did, for its minutes: each vote, election and consensus, and each decision recorded, under the
agenda item it belongs to. A count is never told before it is announced to the class."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import AgendaItem, Assembly, Decision, Message, Poll
from app.services.polls import result_of


@dataclass(frozen=True)
class Outcome:
    """A poll and the decision it produced, or a decision recorded without a poll (by consensus)."""

    moment: datetime
    poll: Poll | None = None
    decision: Decision | None = None

    @property
    def result(self) -> dict | None:
        """The stored result, once announced only: before that, the minutes must not tell it."""
        if self.poll is None or self.poll.published_at is None:
            return None
        return result_of(self.poll)


@dataclass(frozen=True)
class CouncilOutcomes:
    by_item: dict[int, list[Outcome]]
    elsewhere: list[Outcome]  # held during the session when no agenda item was running
    decisions: list[Decision]


def decisions_of(assembly: Assembly) -> list[Decision]:
    query = select(Decision).where(Decision.assembly_id == assembly.id)
    return list(db.session.scalars(query.order_by(Decision.decided_at, Decision.id)))


def polls_of(assembly: Assembly) -> list[Poll]:
    """The polls its agenda put to the vote, and those held while it sat (an election is prepared apart)."""
    if assembly.opened_at is None:
        return []
    moment = func.coalesce(Poll.published_at, Poll.opened_at)
    held_meanwhile = (Poll.assembly_id.is_(None) & (Poll.cooperative_id == assembly.cooperative_id)
                      & (moment >= assembly.opened_at))
    if assembly.closed_at is not None:
        held_meanwhile &= moment <= assembly.closed_at
    query = select(Poll).where(Poll.status.not_in(("draft", "cancelled")),
                               or_(Poll.assembly_id == assembly.id, held_meanwhile))
    return list(db.session.scalars(query.order_by(moment, Poll.id)))


def _moment(poll: Poll) -> datetime:
    return poll.published_at or poll.opened_at or poll.created_at


def _outcomes(polls: list[Poll], decisions: list[Decision]) -> list[Outcome]:
    by_poll = {decision.poll_id: decision for decision in decisions if decision.poll_id is not None}
    outcomes = [Outcome(_moment(poll), poll, by_poll.get(poll.id)) for poll in polls]
    shown = {poll.id for poll in polls}
    outcomes += [Outcome(decision.decided_at, decision=decision) for decision in decisions
                 if decision.poll_id is None or decision.poll_id not in shown]
    return sorted(outcomes, key=lambda outcome: outcome.moment)


def _proposal_of(poll: Poll | None) -> Message | None:
    message = poll.message if poll is not None else None
    return message.amends if message is not None and message.amends is not None else message


def _running_at(items: list[AgendaItem], moment: datetime) -> AgendaItem | None:
    started = [item for item in items if item.started_at is not None and item.started_at <= moment]
    return max(started, key=lambda item: item.started_at, default=None)


def item_of(assembly: Assembly, outcome: Outcome) -> AgendaItem | None:
    """A vote on a proposal goes under that proposal's item; anything else under the item running at the time."""
    proposal = _proposal_of(outcome.poll)
    on_agenda = proposal and next((item for item in assembly.items if item.message_id == proposal.id), None)
    return on_agenda or _running_at(assembly.items, outcome.moment)


def outcomes_of(assembly: Assembly) -> CouncilOutcomes:
    decisions = decisions_of(assembly)
    by_item: dict[int, list[Outcome]] = {}
    elsewhere = []
    for outcome in _outcomes(polls_of(assembly), decisions):
        item = item_of(assembly, outcome)
        (by_item.setdefault(item.id, []) if item else elsewhere).append(outcome)
    return CouncilOutcomes(by_item, elsewhere, decisions)
