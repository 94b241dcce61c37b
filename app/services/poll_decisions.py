"""Every adopted motion, every election and every consensus becomes a decision in the register."""

from app.models import Decision, Poll, User
from app.services import register
from app.services.polls import result_of

METHODS = {"motion": "secret_ballot", "show_of_hands": "show_of_hands", "consensus": "consensus"}


def _elected(poll: Poll, outcome: dict) -> list:
    keys = outcome.get("elected")
    keys = [keys] if isinstance(keys, str) else (keys or [])
    return [option.pupil for option in poll.options if option.key in keys and option.pupil]


def _figures(poll: Poll, result: dict) -> dict:
    """The integers worth keeping with the decision: counts, participation, eligible members."""
    aggregates = result.get("aggregates", {})
    labels = {option.key: option.label for option in poll.options}
    scores = aggregates.get("counts") or aggregates.get("approvals") or {}
    figures = {key: value for key, value in aggregates.items() if isinstance(value, int)}
    figures.update({labels.get(key, key): value for key, value in scores.items()})
    figures.update({key: result[key] for key in ("eligible", "participants") if isinstance(result.get(key), int)})
    return figures


def record_outcome(poll: Poll, actor: User) -> Decision | None:
    """The decision a published poll produces, or None for a rejected motion or an election without winner."""
    result = result_of(poll)
    outcome = result["outcome"]
    if poll.kind == "election":
        pupils = _elected(poll, outcome)
        if not pupils:
            return None
        text = f"{poll.question} — {', '.join(pupil.display_name for pupil in pupils)}"
        new = register.NewDecision(text, "election", poll.rule, _figures(poll, result), tuple(pupils), poll_id=poll.id)
    elif outcome.get("adopted"):
        new = register.NewDecision(poll.question, METHODS[poll.kind], poll.rule if poll.kind != "consensus" else "",
                                   _figures(poll, result), poll_id=poll.id)
    else:
        return None
    return register.record_decision(poll.cooperative, new, actor.display_name)
