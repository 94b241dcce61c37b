"""Two-round election: absolute majority in round one, finalists, run-off and its tie-breaks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.voting.two_round import TieBreak, first_round, second_round

NAMES = ("ada", "bo", "cy", "dee")
vote_tables = st.dictionaries(st.sampled_from(NAMES), st.integers(0, 12), min_size=1, max_size=len(NAMES))


def test_absolute_majority_of_votes_expressed_elects_in_round_one():
    outcome = first_round({"a": 6, "b": 5}, blank=3)
    assert outcome.elected == "a" and outcome.finalists == () and outcome.expressed == 11 and outcome.blank == 3


def test_exactly_half_is_not_a_majority():
    outcome = first_round({"a": 5, "b": 3, "c": 2})
    assert outcome.elected is None and outcome.finalists == ("a", "b") and outcome.tied_for_finalist == ()


def test_blank_votes_do_not_count_in_the_majority():
    assert first_round({"a": 5, "b": 4}, blank=10).elected == "a"


def test_tie_for_second_place_is_reported():
    outcome = first_round({"a": 5, "b": 3, "c": 3})
    assert outcome.elected is None and outcome.finalists == ("a",) and outcome.tied_for_finalist == ("b", "c")


def test_two_tied_leaders_are_the_finalists():
    outcome = first_round({"a": 1, "b": 4, "c": 4})
    assert outcome.finalists == ("b", "c") and outcome.tied_for_finalist == ()


def test_three_tied_leaders_are_all_reported():
    outcome = first_round({"a": 4, "b": 4, "c": 4})
    assert outcome.finalists == () and outcome.tied_for_finalist == ("a", "b", "c")


def test_first_round_without_votes_elects_nobody():
    outcome = first_round({"a": 0, "b": 0}, blank=5)
    assert outcome.elected is None and outcome.finalists == ("a", "b")


def test_lone_candidate_with_a_vote_is_elected():
    assert first_round({"a": 1}).elected == "a"


def test_second_round_relative_majority_wins():
    outcome = second_round({"a": 4, "b": 5, "c": 2}, blank=1)
    assert outcome.elected == "b" and outcome.tie_break is TieBreak.NONE and outcome.tied == ()


def test_second_round_tie_goes_to_the_youngest():
    outcome = second_round({"a": 5, "b": 5}, birth_years={"a": 2011, "b": 2012}, declared_order=["a", "b"])
    assert outcome.elected == "b" and outcome.tie_break is TieBreak.YOUNGEST and outcome.tied == ("a", "b")


def test_same_birth_year_falls_back_to_the_declared_order():
    outcome = second_round({"a": 5, "b": 5}, birth_years={"a": 2012, "b": 2012}, declared_order=["b", "a"])
    assert outcome.elected == "b" and outcome.tie_break is TieBreak.DECLARED_ORDER


def test_unknown_birth_year_falls_back_to_the_declared_order():
    outcome = second_round({"a": 5, "b": 5}, birth_years={"a": 2013}, declared_order=["b", "a"])
    assert outcome.elected == "b" and outcome.tie_break is TieBreak.DECLARED_ORDER


def test_declared_order_only_separates_the_youngest():
    votes = {"old": 3, "young1": 3, "young2": 3, "loser": 1}
    years = {"old": 2010, "young1": 2012, "young2": 2012, "loser": 2013}
    outcome = second_round(votes, birth_years=years, declared_order=["old", "young2", "young1", "loser"])
    assert outcome.elected == "young2" and outcome.tie_break is TieBreak.DECLARED_ORDER


def test_tie_without_any_tie_break_stays_unresolved():
    outcome = second_round({"a": 2, "b": 2})
    assert outcome.elected is None and outcome.tie_break is TieBreak.UNRESOLVED and outcome.tied == ("a", "b")


def test_declared_order_must_list_the_tied_candidates():
    with pytest.raises(ValueError):
        second_round({"a": 2, "b": 2}, declared_order=["a"])


@pytest.mark.parametrize("rule", [first_round, second_round])
def test_bad_inputs_are_refused(rule):
    for counts, blank in (({}, 0), ({"a": -1}, 0), ({"a": 1}, -1)):
        with pytest.raises(ValueError):
            rule(counts, blank)


@given(vote_tables)
def test_round_one_elects_exactly_when_someone_has_an_absolute_majority(votes):
    outcome = first_round(votes)
    expressed = sum(votes.values())
    majority = [c for c, v in votes.items() if 2 * v > expressed]
    assert [outcome.elected] == (majority or [None])
    if outcome.elected is None:
        going = set(outcome.finalists) | set(outcome.tied_for_finalist)
        assert all(votes[a] >= votes[b] for a in going for b in set(votes) - going)
        assert len(outcome.finalists) == 2 or outcome.tied_for_finalist or len(votes) < 2


@given(vote_tables, st.dictionaries(st.sampled_from(NAMES), st.integers(2008, 2014)), st.permutations(NAMES))
def test_run_off_winner_has_the_most_votes(votes, years, order):
    outcome = second_round(votes, birth_years=years, declared_order=order)
    best = max(votes.values())
    assert votes[outcome.elected] == best
    assert (outcome.tie_break is TieBreak.NONE) == (list(votes.values()).count(best) == 1)
