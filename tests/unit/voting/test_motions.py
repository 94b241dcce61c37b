"""Motions: the three majority rules, the quorum, the reasons given, and their properties."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.voting.motions import MotionReason, MotionRule, MotionTally, decide_motion

SIMPLE, ABSOLUTE, TWO_THIRDS = MotionRule.SIMPLE, MotionRule.ABSOLUTE, MotionRule.TWO_THIRDS


def decide(for_: int, against: int, abstain: int = 0, blank: int = 0, *, rule=SIMPLE, eligible=100, quorum=None):
    return decide_motion(MotionTally(for_, against, abstain, blank), rule, eligible, quorum)


def test_simple_majority_counts_only_votes_expressed():
    outcome = decide(5, 4, abstain=20)
    assert outcome.adopted and outcome.reason is MotionReason.ADOPTED
    assert outcome.votes_needed == 5 and outcome.expressed == 9 and outcome.participants == 29


def test_simple_majority_tie_rejects():
    outcome = decide(4, 4, abstain=1)
    assert not outcome.adopted and outcome.reason is MotionReason.TIE


def test_simple_majority_rejected_when_against_wins():
    assert decide(3, 5).reason is MotionReason.REJECTED


def test_no_votes_expressed_is_rejected_with_its_own_reason():
    for rule in MotionRule:
        outcome = decide(0, 0, abstain=3, blank=2, rule=rule)
        assert not outcome.adopted and outcome.reason is MotionReason.NO_VOTES


def test_absolute_majority_needs_more_than_half_of_eligible_members():
    assert decide(10, 0, rule=ABSOLUTE, eligible=20).reason is MotionReason.REJECTED
    assert decide(11, 9, rule=ABSOLUTE, eligible=20).adopted
    assert decide(10, 0, rule=ABSOLUTE, eligible=20).votes_needed == 11
    assert decide(11, 0, rule=ABSOLUTE, eligible=21).adopted
    assert not decide(10, 0, rule=ABSOLUTE, eligible=21).adopted


def test_absolute_majority_tie_is_reported_as_a_tie():
    assert decide(5, 5, rule=ABSOLUTE, eligible=10).reason is MotionReason.TIE


def test_two_thirds_exactly_at_the_boundary_is_adopted():
    assert decide(10, 5, abstain=7, rule=TWO_THIRDS).adopted
    assert decide(2, 1, rule=TWO_THIRDS).adopted


def test_two_thirds_one_short_is_rejected():
    outcome = decide(9, 5, rule=TWO_THIRDS)
    assert not outcome.adopted and outcome.reason is MotionReason.REJECTED and outcome.votes_needed == 10


def test_two_thirds_needs_at_least_one_for():
    assert decide(1, 0, rule=TWO_THIRDS).adopted
    assert decide(0, 0, rule=TWO_THIRDS).votes_needed == 1


def test_quorum_is_the_ceiling_of_the_percentage():
    at_boundary = decide(13, 0, eligible=25, quorum=50)
    assert at_boundary.quorum_required == 13 and at_boundary.quorum_reached and at_boundary.adopted
    below = decide(12, 0, eligible=25, quorum=50)
    assert not below.quorum_reached and not below.adopted and below.reason is MotionReason.NO_QUORUM
    assert decide(0, 0, eligible=3, quorum=34).quorum_required == 2
    assert decide(0, 0, eligible=20, quorum=50).quorum_required == 10


def test_abstentions_and_blanks_count_towards_the_quorum():
    outcome = decide(2, 1, abstain=5, blank=2, eligible=20, quorum=50)
    assert outcome.quorum_reached and outcome.adopted


def test_quorum_extremes():
    assert decide(0, 0, eligible=10, quorum=0).quorum_required == 0
    assert decide(9, 0, eligible=10, quorum=100).reason is MotionReason.NO_QUORUM
    assert decide(9, 0, abstain=1, eligible=10, quorum=100).adopted


def test_without_quorum_nothing_is_required():
    outcome = decide(1, 0, eligible=1000)
    assert outcome.quorum_required is None and outcome.quorum_reached and outcome.adopted


def test_tally_from_ballot_box_counts():
    tally = MotionTally.from_counts({"for": 3, "against": 2, "abstain": 1, "blank": 4})
    assert tally == MotionTally(3, 2, 1, 4)
    assert (tally.expressed, tally.participants) == (5, 10)


@pytest.mark.parametrize(
    ("tally_args", "eligible", "quorum"),
    [((1, 0, 0, 0), 0, None), ((3, 3, 3, 3), 11, None), ((0, 0, 0, 0), -1, None), ((0, 0, 0, 0), 5, 101)],
)
def test_impossible_inputs_are_refused(tally_args, eligible, quorum):
    with pytest.raises(ValueError):
        decide_motion(MotionTally(*tally_args), SIMPLE, eligible, quorum)


def test_negative_or_non_integer_counts_are_refused():
    with pytest.raises(ValueError):
        MotionTally(1, -1, 0)
    with pytest.raises(TypeError):
        MotionTally(1, 0.5, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        decide(0, 0, quorum=-1)


counts = st.integers(0, 40)
tallies = st.builds(MotionTally, counts, counts, counts, counts)
quorums = st.none() | st.integers(0, 100)


@given(tallies, st.sampled_from(MotionRule), st.integers(0, 40), quorums)
@settings(max_examples=300)
def test_decision_matches_the_rule_formulas(tally, rule, spare, quorum):
    eligible = tally.participants + spare
    outcome = decide_motion(tally, rule, eligible, quorum)
    formula = {
        SIMPLE: tally.for_ > tally.against,
        ABSOLUTE: 2 * tally.for_ > eligible,
        TWO_THIRDS: tally.expressed > 0 and 3 * tally.for_ >= 2 * tally.expressed,
    }[rule]
    quorum_met = quorum is None or 100 * tally.participants >= quorum * eligible
    assert outcome.quorum_reached == quorum_met
    assert outcome.adopted == (formula and quorum_met)
    assert (outcome.reason is MotionReason.ADOPTED) == outcome.adopted


@given(tallies, st.sampled_from(MotionRule), st.integers(1, 40), quorums)
@settings(max_examples=300)
def test_one_more_for_vote_never_turns_adopted_into_rejected(tally, rule, spare, quorum):
    eligible = tally.participants + spare
    before = decide_motion(tally, rule, eligible, quorum)
    after = decide_motion(replace(tally, for_=tally.for_ + 1), rule, eligible, quorum)
    assert after.adopted or not before.adopted


@given(tallies, st.sampled_from(MotionRule))
@settings(max_examples=200)
def test_votes_needed_is_exactly_the_threshold(tally, rule):
    eligible = 4 * tally.participants + 100
    needed = decide_motion(tally, rule, eligible, None).votes_needed
    assert decide_motion(replace(tally, for_=needed), rule, eligible, None).adopted
    assert not decide_motion(replace(tally, for_=needed - 1), rule, eligible, None).adopted


@given(tallies, st.integers(0, 40))
def test_simple_majority_adopted_iff_more_for_than_against(tally, spare):
    outcome = decide_motion(tally, SIMPLE, tally.participants + spare, None)
    assert outcome.adopted == (tally.for_ > tally.against)
    assert (outcome.reason is MotionReason.TIE) == (tally.for_ == tally.against > 0)
