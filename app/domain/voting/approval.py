"""Approval voting: each pupil ticks every candidate they accept, and the most-approved candidates win.

A ballot with no tick is blank: it counts among the ballots cast but approves nobody. Ties for the last
seat(s) are reported, not broken.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.voting.common import C, ElectionOutcome, check_count, score_outcome, with_details


@dataclass(frozen=True)
class ApprovalOutcome(ElectionOutcome[C]):
    """An election outcome that also keeps the number of ballots cast, to show approvals as a share."""

    ballots_cast: int


def approval(approvals: Mapping[C, int], seats: int, ballots_cast: int, blank: int = 0) -> ApprovalOutcome[C]:
    """Elect the `seats` candidates approved by the most ballots; approvals[c] is c's number of ticks."""
    outcome = score_outcome(approvals, seats, blank)
    _check_ballots(approvals, ballots_cast, blank)
    return with_details(outcome, ApprovalOutcome, ballots_cast=ballots_cast)


def _check_ballots(approvals: Mapping[C, int], ballots_cast: int, blank: int) -> None:
    non_blank = check_count("ballots_cast", ballots_cast) - blank
    if non_blank < 0:
        raise ValueError(f"{blank} blank ballots but only {ballots_cast} ballots cast")
    if any(count > non_blank for count in approvals.values()):
        raise ValueError(f"a candidate has more approvals than the {non_blank} non-blank ballots")
