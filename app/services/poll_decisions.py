"""Every adopted motion, every election and every consensus becomes a decision in the register; an adopted
amendment becomes part of its proposal's text instead."""

from flask_babel import gettext

from app.models import Decision, Poll, User
from app.services import agenda_votes, register
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


def _new_decision(poll: Poll, result: dict) -> register.NewDecision | None:
    outcome = result["outcome"]
    if poll.kind == "election":
        pupils = _elected(poll, outcome)
        if not pupils:
            return None
        text = f"{poll.question} — {', '.join(pupil.display_name for pupil in pupils)}"
        return register.NewDecision(text, "election", poll.rule, _figures(poll, result), tuple(pupils))
    if not outcome.get("adopted") or agenda_votes.is_amendment_vote(poll):
        return None
    return register.NewDecision(agenda_votes.decision_text(poll), METHODS[poll.kind],
                                poll.rule if poll.kind != "consensus" else "", _figures(poll, result))


def record_outcome(poll: Poll, actor: User) -> Decision | None:
    """The decision a published poll produces, or None for a rejected motion, an election without winner, or an
    amendment (whose outcome its proposal's vote carries). A poll put from an agenda belongs to that assembly."""
    new = _new_decision(poll, result_of(poll))
    if new is None:
        return None
    new.poll_id, new.assembly_id = poll.id, poll.assembly_id
    decision = register.record_decision(poll.cooperative, new, actor.display_name)
    if poll.kind == "election":  # electing is the whole decision: nothing is left to do
        register.follow_up(decision, "done", gettext("Elected by the class."), actor.display_name)
    return decision
