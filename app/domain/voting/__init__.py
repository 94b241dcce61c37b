"""Pure vote-counting rules for motions and elections, working on aggregated counts with integers only."""

from app.domain.voting.approval import ApprovalOutcome, approval
from app.domain.voting.common import ElectionOutcome
from app.domain.voting.majority_judgment import Grade, MajorityJudgmentOutcome, fill_ungraded, majority_judgment
from app.domain.voting.motions import MotionOutcome, MotionReason, MotionRule, MotionTally, decide_motion
from app.domain.voting.plurality import plurality
from app.domain.voting.schulze import SchulzeOutcome, add_ranking_to_pairwise, empty_pairwise, schulze
from app.domain.voting.two_round import FirstRoundOutcome, SecondRoundOutcome, TieBreak, first_round, second_round

__all__ = [
    "ApprovalOutcome",
    "ElectionOutcome",
    "FirstRoundOutcome",
    "Grade",
    "MajorityJudgmentOutcome",
    "MotionOutcome",
    "MotionReason",
    "MotionRule",
    "MotionTally",
    "SchulzeOutcome",
    "SecondRoundOutcome",
    "TieBreak",
    "add_ranking_to_pairwise",
    "approval",
    "decide_motion",
    "empty_pairwise",
    "fill_ungraded",
    "first_round",
    "majority_judgment",
    "plurality",
    "schulze",
    "second_round",
]
