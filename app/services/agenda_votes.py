"""Putting a proposal of an assembly's agenda to the vote, straight from the agenda (§4, §5): each approved amendment
first, one after another, then the proposal as amended — each a motion linked to its message and its assembly.

The texts put to the vote are written in the language of the person putting them. Nothing here commits.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.domain import agenda_votes as votes
from app.domain import assemblies as rules
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Assembly, Message, Poll, User
from app.services import messages, polls


@dataclass(frozen=True)
class VotePlan:
    """The votes a proposal item needs, in order, and the one to put to the vote next (None while one is going on,
    when all are done, or outside the session)."""

    order: list[Message]
    next: Message | None


def vote_order_of(item: AgendaItem | None) -> list[Message]:
    """The approved amendments in the order they were posted, then the proposal; empty for any other item."""
    if item is None or item.section != "proposals" or item.message is None:
        return []
    return rules.vote_order(item.message, messages.amendments_of(item.message))


def _states(order: list[Message]) -> list[str]:
    return [message.vote_state for message in order]


def plan_of(item: AgendaItem) -> VotePlan | None:
    order = vote_order_of(item)
    if not order:
        return None
    index = votes.next_step(_states(order)) if item.assembly.status == rules.IN_SESSION else None
    return VotePlan(order, None if index is None else order[index])


def plans_by_item(assembly: Assembly) -> dict[int, VotePlan]:
    plans = {item.id: plan_of(item) for item in assembly.items if item.section == "proposals"}
    return {item_id: plan for item_id, plan in plans.items() if plan is not None}


def next_vote(item: AgendaItem | None) -> Message | None:
    """What the chair's tablet offers to put to the vote on the current item."""
    plan = plan_of(item) if item is not None else None
    return plan.next if plan else None


# Putting to the vote -----------------------------------------------------------------------------------------------

def put_to_vote(item: AgendaItem, message_id: int | None, rule: str, quorum_percent: int | None,
                author: User | None) -> Poll:
    """A draft motion on the next vote of this proposal item, which the educator then opens (or decides openly).

    message_id names the vote the button was shown for, so a second click is told it was already put to the vote; a
    tab left open on an item the assembly has moved on from is told so.
    """
    require_running(item)
    order = vote_order_of(item)
    if not order:
        raise RuleBroken("not_a_proposal")
    index = _position(order, message_id)
    votes.check_next(_states(order), index)
    return _draft(item, order[index], _question(order, index), rule, quorum_percent, author)


def _position(order: list[Message], message_id: int | None) -> int:
    ids = [message.id for message in order]
    if message_id not in ids:
        raise RuleBroken("not_in_this_vote")
    return ids.index(message_id)


def require_running(item: AgendaItem) -> None:
    """Only the item the assembly is on now is put to the vote."""
    rules.require_in_session(item.assembly.status)
    if item.assembly.current_item is not item:
        raise RuleBroken("item_not_running")


def _draft(item: AgendaItem, message: Message, question: str, rule: str, quorum_percent: int | None,
           author: User | None) -> Poll:
    """The unique indexes settle two clicks that reach two workers at once: one poll, one refusal."""
    assembly = item.assembly
    try:
        with db.session.begin_nested():
            poll = polls.create_motion(assembly.cooperative, question, rule, quorum_percent, author,
                                       message=message, assembly=assembly, agenda_item=item)
    except IntegrityError:
        raise RuleBroken("already_put_to_vote") from None
    assembly.touch()
    return poll


# Texts -------------------------------------------------------------------------------------------------------------

def _question(order: list[Message], index: int) -> str:
    message, proposal = order[index], order[-1]
    if message.id != proposal.id:
        return amendment_question(message, proposal)
    return as_amended(proposal, votes.MAX_QUESTION)


def amendment_question(amendment: Message, proposal: Message) -> str:
    """Read whole on the tablet; the proposal it changes is shortened if both do not fit."""
    def render(quoted: str) -> str:
        return _("Amendment to “%(proposal)s”: %(amendment)s", proposal=quoted, amendment=amendment.text)

    return votes.fitted(render, proposal.text, votes.MAX_QUESTION)


def as_amended(proposal: Message, limit: int) -> str:
    """The proposal's text followed by the amendments the class adopted so far, in at most limit characters."""
    adopted = [amendment for amendment in messages.amendments_of(proposal) if amendment.adopted]
    if not adopted:
        return proposal.text

    def render(changes: str) -> str:
        return _("%(proposal)s — as amended: %(changes)s", proposal=proposal.text, changes=changes)

    return votes.fitted(render, " / ".join(amendment.text for amendment in adopted), limit)


def is_amendment_vote(poll: Poll) -> bool:
    """An amendment changes its proposal's text: it is no decision of its own."""
    return poll.message is not None and poll.message.kind == "amend"


def decision_text(poll: Poll) -> str:
    """What the register keeps of a motion: a proposal put from the agenda as amended, in full where it fits."""
    proposal = poll.message
    if proposal is None or not proposal.is_proposal:
        return poll.question
    return as_amended(proposal, votes.MAX_DECISION)
