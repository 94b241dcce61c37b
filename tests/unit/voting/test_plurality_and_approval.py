"""Plurality and approval voting: examples, ties at the last seat, invariants, and a cross-check with pref_voting."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.voting.approval import approval
from app.domain.voting.common import ElectionOutcome
from app.domain.voting.plurality import plurality

NAMES = ("ada", "bo", "cy", "dee", "eli", "fay")

score_tables = st.dictionaries(st.sampled_from(NAMES), st.integers(0, 12), min_size=1, max_size=len(NAMES))
seat_counts = st.integers(1, 4)


@st.composite
def linear_profiles(draw) -> tuple[int, list[list[int]]]:
    """(number of candidates k, one strict ranking of range(k) per voter)."""
    k = draw(st.integers(2, 5))
    return k, draw(st.lists(st.permutations(range(k)), min_size=1, max_size=9))


def relabel(mapping: dict, rng: random.Random) -> tuple[dict, dict]:
    """The mapping under fresh candidate names in a shuffled order, and the renaming used."""
    names = list(mapping)
    rng.shuffle(names)
    renaming = {name: f"x{index}" for index, name in enumerate(names)}
    return {renaming[name]: mapping[name] for name in names}, renaming


def as_sets(outcome: ElectionOutcome, renaming: dict | None = None) -> tuple:
    """The outcome with order inside tiers forgotten, optionally renamed."""
    rename = renaming or {}

    def names(group):
        return frozenset(rename.get(candidate, candidate) for candidate in group)

    return names(outcome.elected), names(outcome.tied_for_last_seat), tuple(names(tier) for tier in outcome.ranking)


def check_seat_filling(outcome: ElectionOutcome, score: dict) -> None:
    """The invariants every score-based outcome keeps, checked against the scores directly."""
    elected, tied = set(outcome.elected), set(outcome.tied_for_last_seat)
    others = set(score) - elected - tied
    assert all(score[a] > score[b] for a in elected for b in tied | others)
    assert all(score[a] > score[b] for a in tied for b in others)
    assert len({score[c] for c in tied}) <= 1
    if tied:
        assert len(elected) < outcome.seats < len(elected) + len(tied)
    else:
        assert len(elected) == min(outcome.seats, len(score))


# Plurality


def test_plurality_most_votes_win():
    outcome = plurality({"a": 5, "b": 3, "c": 1}, seats=2, blank=4)
    assert outcome.elected == ("a", "b") and outcome.tied_for_last_seat == () and outcome.blank == 4
    assert outcome.ranking == (("a",), ("b",), ("c",))


def test_plurality_tie_for_the_last_seat_is_reported_not_broken():
    outcome = plurality({"a": 5, "b": 3, "c": 3}, seats=2)
    assert outcome.elected == ("a",) and outcome.tied_for_last_seat == ("b", "c") and outcome.open_seats == 1


def test_plurality_tie_inside_the_elected_group_is_no_problem():
    outcome = plurality({"a": 4, "b": 4, "c": 1}, seats=2)
    assert outcome.elected == ("a", "b") and not outcome.tied_for_last_seat


def test_plurality_tie_for_a_single_seat():
    outcome = plurality({1: 7, 2: 7}, seats=1)
    assert outcome.elected == () and outcome.tied_for_last_seat == (1, 2)


def test_plurality_zero_votes_leaves_everybody_tied():
    outcome = plurality({"a": 0, "b": 0, "c": 0}, seats=1, blank=6)
    assert outcome.elected == () and set(outcome.tied_for_last_seat) == {"a", "b", "c"} and outcome.blank == 6


def test_plurality_more_seats_than_candidates_elects_everybody():
    assert plurality({"a": 1, "b": 0}, seats=3).elected == ("a", "b")


@pytest.mark.parametrize(("counts", "seats", "blank"), [({"a": -1}, 1, 0), ({"a": 1}, 0, 0), ({"a": 1}, 1, -2)])
def test_plurality_bad_inputs_are_refused(counts, seats, blank):
    with pytest.raises(ValueError):
        plurality(counts, seats, blank)


@given(score_tables, seat_counts, st.integers(0, 20))
def test_plurality_elected_have_more_votes_than_everybody_else(counts, seats, blank):
    check_seat_filling(plurality(counts, seats, blank), counts)


@given(score_tables, seat_counts, st.integers(0, 20), st.integers(0, 20))
def test_plurality_blank_votes_never_change_who_wins(counts, seats, blank, other_blank):
    assert as_sets(plurality(counts, seats, blank)) == as_sets(plurality(counts, seats, other_blank))


@given(score_tables, seat_counts, st.randoms(use_true_random=False))
def test_plurality_invariant_under_relabeling_and_reordering(counts, seats, rng):
    renamed, renaming = relabel(counts, rng)
    assert as_sets(plurality(counts, seats), renaming) == as_sets(plurality(renamed, seats))


@given(linear_profiles())
@settings(max_examples=60, deadline=None)
def test_plurality_single_seat_winners_agree_with_pref_voting(profile):
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import plurality as reference

    k, rankings = profile
    first_choices = Counter(ranking[0] for ranking in rankings)
    outcome = plurality({c: first_choices[c] for c in range(k)}, seats=1)
    assert set(outcome.elected) | set(outcome.tied_for_last_seat) == set(reference(Profile(rankings)))


# Approval


def test_approval_most_approved_candidates_win():
    outcome = approval({"a": 7, "b": 9, "c": 2}, seats=1, ballots_cast=12, blank=1)
    assert outcome.elected == ("b",) and outcome.ballots_cast == 12 and outcome.blank == 1
    assert outcome.ranking == (("b",), ("a",), ("c",))


def test_approval_tie_for_the_last_seat_is_reported():
    outcome = approval({"a": 7, "b": 5, "c": 5, "d": 1}, seats=2, ballots_cast=10)
    assert outcome.elected == ("a",) and outcome.tied_for_last_seat == ("b", "c")


def test_approval_every_candidate_approved_by_every_ballot_is_a_tie():
    outcome = approval({"a": 4, "b": 4}, seats=1, ballots_cast=4)
    assert outcome.elected == () and outcome.tied_for_last_seat == ("a", "b")


def test_approval_only_blank_ballots():
    outcome = approval({"a": 0, "b": 0}, seats=1, ballots_cast=3, blank=3)
    assert outcome.elected == () and outcome.tied_for_last_seat == ("a", "b")


@pytest.mark.parametrize(
    ("approvals", "ballots_cast", "blank"),
    [({"a": 5}, 4, 0), ({"a": 3}, 4, 2), ({"a": 0}, 2, 3), ({"a": 0}, -1, 0), ({"a": -1}, 3, 0)],
)
def test_approval_impossible_counts_are_refused(approvals, ballots_cast, blank):
    with pytest.raises(ValueError):
        approval(approvals, 1, ballots_cast, blank)


@given(score_tables, seat_counts, st.integers(0, 5))
def test_approval_elected_have_more_approvals_than_everybody_else(approvals, seats, blank):
    check_seat_filling(approval(approvals, seats, max(approvals.values()) + blank, blank), approvals)


@given(score_tables, seat_counts, st.randoms(use_true_random=False))
def test_approval_invariant_under_relabeling_and_reordering(approvals, seats, rng):
    ballots = max(approvals.values())
    renamed, renaming = relabel(approvals, rng)
    assert as_sets(approval(approvals, seats, ballots), renaming) == as_sets(approval(renamed, seats, ballots))


@given(score_tables)
def test_approval_one_more_approval_keeps_a_sole_winner_elected(approvals):
    ballots = max(approvals.values()) + 1
    outcome = approval(approvals, 1, ballots)
    if outcome.elected:
        winner = outcome.elected[0]
        assert approval({**approvals, winner: approvals[winner] + 1}, 1, ballots).elected == (winner,)
