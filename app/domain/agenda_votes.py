"""Putting a proposal of the agenda to the vote (§4): each amendment first, one after another, then the proposal
as amended. Pure rules over the state of each vote of that order, and the texts the class votes on."""

from collections.abc import Callable, Sequence

from app.domain.assemblies import RuleBroken

TO_VOTE, VOTING, ADOPTED, REJECTED = "to_vote", "voting", "adopted", "rejected"
MAX_QUESTION = 300  # a poll's question
MAX_DECISION = 1000  # a decision's text in the register
ELLIPSIS = "…"


def step_state(put_to_vote: bool, adopted: bool | None) -> str:
    """A vote of the order: not put to the vote yet, voting (until the result is announced), adopted or rejected."""
    if not put_to_vote:
        return TO_VOTE
    if adopted is None:
        return VOTING
    return ADOPTED if adopted else REJECTED


def next_step(states: Sequence[str]) -> int | None:
    """The vote that comes next: the first not put to the vote yet, once no other vote is going on."""
    if VOTING in states or TO_VOTE not in states:
        return None
    return states.index(TO_VOTE)


def check_next(states: Sequence[str], index: int) -> None:
    """Refuses to put a vote to the class twice, while another is going on, or before the votes that come first."""
    if states[index] != TO_VOTE:
        raise RuleBroken("already_put_to_vote")
    if VOTING in states:
        raise RuleBroken("vote_in_progress")
    if index != next_step(states):
        raise RuleBroken("amendments_first")


def shorten(text: str, room: int) -> str:
    """The text cut to room characters, the cut shown by an ellipsis."""
    if len(text) <= room:
        return text
    if room <= 1:
        return ELLIPSIS[:max(room, 0)]
    return text[:room - 1].rstrip() + ELLIPSIS


def fitted(render: Callable[[str], str], text: str, limit: int) -> str:
    """render(text) in at most limit characters: only the given text is shortened to make room."""
    room = limit - len(render(""))
    return render(shorten(text, room))[:limit]
