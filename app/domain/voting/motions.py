"""Deciding a motion (For / Against / Abstain / blank) by simple, absolute or two-thirds majority, with a quorum.

SIMPLE: more For than Against; abstentions and blanks are ignored and a tie rejects.
ABSOLUTE: For from more than half of the eligible members, whoever else voted.
TWO_THIRDS: For from at least two thirds of the votes expressed (For + Against); no votes expressed rejects.
Quorum: at least ceil(quorum% x eligible) members took part; abstaining or voting blank counts as taking part.
There is no casting vote: whatever the rule does not adopt is rejected.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from app.domain.voting.common import check_count


class MotionRule(Enum):
    SIMPLE = "simple"
    ABSOLUTE = "absolute"
    TWO_THIRDS = "two_thirds"


class MotionReason(Enum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    TIE = "tie"
    NO_QUORUM = "no_quorum"
    NO_VOTES = "no_votes"


@dataclass(frozen=True)
class MotionTally:
    """Counted ballots of a motion; `for_` carries a trailing underscore because `for` is a Python keyword."""

    for_: int
    against: int
    abstain: int
    blank: int = 0

    def __post_init__(self) -> None:
        for name in ("for_", "against", "abstain", "blank"):
            check_count(name, getattr(self, name))

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> "MotionTally":
        """Build from the ballot box's {"for", "against", "abstain", "blank"} counts."""
        return cls(counts["for"], counts["against"], counts["abstain"], counts.get("blank", 0))

    @property
    def expressed(self) -> int:
        return self.for_ + self.against

    @property
    def participants(self) -> int:
        return self.expressed + self.abstain + self.blank


@dataclass(frozen=True)
class MotionOutcome:
    """The decision and the figures needed to explain it: votes_needed is the number of For votes the rule required."""

    adopted: bool
    reason: MotionReason
    rule: MotionRule
    votes_needed: int
    quorum_required: int | None
    quorum_reached: bool
    participants: int
    expressed: int


def quorum_required(eligible: int, quorum_percent: int) -> int:
    """ceil(quorum_percent x eligible / 100), with integers only."""
    return -(-quorum_percent * eligible // 100)


def votes_needed(rule: MotionRule, tally: MotionTally, eligible: int) -> int:
    """The smallest number of For votes that adopts the motion, the other counts staying as they are."""
    if rule is MotionRule.SIMPLE:
        return tally.against + 1
    if rule is MotionRule.ABSOLUTE:
        return eligible // 2 + 1
    # 3f >= 2(f + a) is f >= 2a; with nobody expressing a vote, one For is still needed.
    return max(2 * tally.against, 1)


def decide_motion(
    tally: MotionTally, rule: MotionRule, eligible: int, quorum_percent: int | None = None
) -> MotionOutcome:
    """Apply the rule and the quorum to a tally; raise ValueError on impossible inputs."""
    _check_inputs(tally, eligible, quorum_percent)
    required = None if quorum_percent is None else quorum_required(eligible, quorum_percent)
    reached = required is None or tally.participants >= required
    needed = votes_needed(rule, tally, eligible)
    adopted = reached and tally.for_ >= needed
    reason = _reason(tally, reached, adopted)
    return MotionOutcome(adopted, reason, rule, needed, required, reached, tally.participants, tally.expressed)


def _check_inputs(tally: MotionTally, eligible: int, quorum_percent: int | None) -> None:
    check_count("eligible", eligible)
    if tally.participants > eligible:
        raise ValueError(f"{tally.participants} participants but only {eligible} eligible members")
    if quorum_percent is not None and check_count("quorum_percent", quorum_percent) > 100:
        raise ValueError(f"quorum_percent must be between 0 and 100 (got {quorum_percent})")


def _reason(tally: MotionTally, quorum_reached: bool, adopted: bool) -> MotionReason:
    if not quorum_reached:
        return MotionReason.NO_QUORUM
    if adopted:
        return MotionReason.ADOPTED
    if tally.expressed == 0:
        return MotionReason.NO_VOTES
    if tally.for_ == tally.against:
        return MotionReason.TIE
    return MotionReason.REJECTED
