"""From a poll's aggregates to its stored result: the rule's outcome, the figures, participation and quorum."""

import dataclasses
from enum import Enum
from typing import Any

from app.domain.voting import motions, two_round
from app.domain.voting.approval import approval
from app.domain.voting.majority_judgment import majority_judgment
from app.domain.voting.plurality import plurality
from app.domain.voting.schulze import schulze


def to_plain(value: Any) -> Any:
    """Dataclasses, enums and tuples as JSON-able dicts, strings and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    return value


def _motion(poll, aggregates: dict) -> Any:
    tally = motions.MotionTally.from_counts(aggregates)
    return motions.decide_motion(tally, motions.MotionRule(poll.rule), poll.eligible_count, poll.quorum_percent)


def _birth_years(poll) -> dict[str, int]:
    return {option.key: option.pupil.birth_year for option in poll.options if option.pupil and option.pupil.birth_year}


def _single(poll, aggregates: dict) -> Any:
    counts, blank = aggregates["counts"], aggregates["blank"]
    if poll.rule == "plurality":
        return plurality(counts, poll.seats, blank)
    if poll.round == 1:
        return two_round.first_round(counts, blank)
    declared = [option.key for option in poll.options]
    return two_round.second_round(counts, blank, birth_years=_birth_years(poll) or None, declared_order=declared)


def _approval(poll, aggregates: dict) -> Any:
    return approval(aggregates["approvals"], poll.seats, aggregates["ballots"], aggregates["blank"])


def _grades(poll, aggregates: dict) -> Any:
    return majority_judgment(aggregates["histograms"], poll.seats, aggregates["blank"])


def _ranking(poll, aggregates: dict) -> Any:
    candidates = [option.key for option in poll.options]
    return schulze(aggregates["pairwise"], candidates, poll.seats, aggregates["blank"])


RULES = {
    "simple": _motion, "absolute": _motion, "two_thirds": _motion,
    "plurality": _single, "two_round": _single, "approval": _approval,
    "majority_judgment": _grades, "schulze": _ranking,
}


def outcome(poll, aggregates: dict, participants: int) -> dict:
    """What is stored after the count: aggregates, the outcome, participation and quorum; never a ballot."""
    decided = RULES[poll.rule](poll, aggregates)
    return {
        "aggregates": aggregates,
        "outcome": to_plain(decided),
        "participants": participants,
        "eligible": poll.eligible_count,
        "quorum_percent": poll.quorum_percent,
    }
