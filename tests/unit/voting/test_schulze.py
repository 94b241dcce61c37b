"""Schulze: building the pairwise matrix, strongest paths, tiers, properties, and a cross-check with pref_voting."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.voting.schulze import add_ranking_to_pairwise, beats, empty_pairwise, schulze, strongest_paths


def pairwise_from_rankings(candidates, ballots):
    """Test helper: the pairwise matrix of a list of ballots, each a list of tiers."""
    matrix = empty_pairwise(candidates)
    for ballot in ballots:
        matrix = add_ranking_to_pairwise(matrix, ballot)
    return matrix


def strict(order: str, times: int) -> list[list[list[str]]]:
    return [[[candidate] for candidate in order]] * times


def test_a_ballot_adds_one_per_pair_it_orders_and_leaves_the_input_untouched():
    start = empty_pairwise("abcd")
    after = add_ranking_to_pairwise(start, [["b"], ["a", "c"]])
    assert start == empty_pairwise("abcd")
    assert after == {
        "a": {"b": 0, "c": 0, "d": 1},
        "b": {"a": 1, "c": 1, "d": 1},
        "c": {"a": 0, "b": 0, "d": 1},
        "d": {"a": 0, "b": 0, "c": 0},
    }


@pytest.mark.parametrize("ballot", [[["a"], ["z"]], [["a"], ["a"]], [["a", "b", "a"]]])
def test_a_ballot_naming_an_unknown_or_repeated_candidate_is_refused(ballot):
    with pytest.raises(ValueError):
        add_ranking_to_pairwise(empty_pairwise("abc"), ballot)


WIKIPEDIA_BALLOTS = (
    strict("ACBED", 5)
    + strict("ADECB", 5)
    + strict("BEDAC", 8)
    + strict("CABED", 3)
    + strict("CAEBD", 7)
    + strict("CBADE", 2)
    + strict("DCEBA", 7)
    + strict("EBADC", 8)
)


def test_the_45_voter_example_of_the_schulze_paper():
    matrix = pairwise_from_rankings("ABCDE", WIKIPEDIA_BALLOTS)
    assert [[matrix[a][b] for b in "ABCDE" if b != a] for a in "ABCDE"] == [
        [20, 26, 30, 22],
        [25, 16, 33, 18],
        [19, 29, 17, 24],
        [15, 12, 28, 14],
        [23, 27, 21, 31],
    ]
    outcome = schulze(matrix, list("ABCDE"), seats=2, blank=1)
    assert [[outcome.strengths[a][b] for b in "ABCDE" if b != a] for a in "ABCDE"] == [
        [28, 28, 30, 24],
        [25, 28, 33, 24],
        [25, 29, 29, 24],
        [25, 28, 28, 24],
        [25, 28, 28, 31],
    ]
    assert outcome.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert outcome.elected == ("E", "A") and outcome.tied_for_last_seat == () and outcome.blank == 1


def test_a_condorcet_cycle_is_broken_at_its_weakest_defeat():
    # a beats b 6-3, b beats c 7-2, c beats a 5-4: the weakest defeat (c over a) gives way.
    matrix = pairwise_from_rankings("abc", strict("abc", 4) + strict("bca", 3) + strict("cab", 2))
    outcome = schulze(matrix, list("abc"))
    assert outcome.strengths == {"a": {"b": 6, "c": 6}, "b": {"a": 5, "c": 7}, "c": {"a": 5, "b": 5}}
    assert outcome.ranking == (("a",), ("b",), ("c",)) and outcome.elected == ("a",)


def test_a_perfectly_symmetric_cycle_is_a_tie():
    matrix = pairwise_from_rankings("abc", strict("abc", 1) + strict("bca", 1) + strict("cab", 1))
    outcome = schulze(matrix, list("abc"))
    assert outcome.ranking == (("a", "b", "c"),)
    assert outcome.elected == () and outcome.tied_for_last_seat == ("a", "b", "c")


def test_no_ballots_leaves_everybody_tied():
    outcome = schulze(empty_pairwise([1, 2]), [1, 2])
    assert outcome.elected == () and outcome.tied_for_last_seat == (1, 2)


def test_tie_for_the_second_seat():
    matrix = pairwise_from_rankings("abc", [[["a"], ["b", "c"]]] * 3)
    outcome = schulze(matrix, list("abc"), seats=2)
    assert outcome.elected == ("a",) and outcome.tied_for_last_seat == ("b", "c")


def test_a_seat_is_not_given_over_a_candidate_nothing_orders_against():
    # Both pupils put A above B; C is level with A and with B (1-1), yet A beats B: C and B are unordered.
    matrix = pairwise_from_rankings("ABC", strict("ABC", 1) + strict("CAB", 1))
    two_seats = schulze(matrix, list("ABC"), seats=2)
    assert two_seats.ranking == (("A", "B", "C"),)
    assert two_seats.elected == ("A",) and two_seats.tied_for_last_seat == ("B", "C") and two_seats.open_seats == 1
    one_seat = schulze(matrix, list("ABC"), seats=1)
    assert one_seat.elected == () and one_seat.tied_for_last_seat == ("A", "C")


def test_candidates_ordered_by_nothing_but_a_common_rival_are_tied_for_the_seats_they_contend():
    # a and b both beat c and d; nothing orders a against b, nor c against d.
    matrix = pairwise_from_rankings("abcd", [[["a", "b"], ["c", "d"]]])
    outcome = schulze(matrix, list("abcd"), seats=1)
    assert outcome.ranking == (("a", "b"), ("c", "d"))
    assert outcome.elected == () and outcome.tied_for_last_seat == ("a", "b")
    assert schulze(matrix, list("abcd"), seats=3).tied_for_last_seat == ("c", "d")


@pytest.mark.parametrize(
    ("matrix", "candidates", "seats"),
    [
        ({"a": {"b": -1}, "b": {"a": 0}}, "ab", 1),
        ({"a": {"b": 1}, "b": {"a": 0}}, "ab", 0),
        (empty_pairwise("a"), "aa", 1),
    ],
)
def test_bad_inputs_are_refused(matrix, candidates, seats):
    with pytest.raises(ValueError):
        schulze(matrix, list(candidates), seats)


@st.composite
def matrices(draw) -> tuple[list[int], dict[int, dict[int, int]]]:
    """Arbitrary pairwise matrices, not only those that ballots can produce."""
    k = draw(st.integers(1, 5))
    candidates = list(range(k))
    cells = st.integers(0, 6)
    return candidates, {a: {b: draw(cells) for b in candidates if b != a} for a in candidates}


@st.composite
def tiered_ballots(draw, k: int) -> list[list[int]]:
    """A ballot over range(k) with ties and unranked candidates (level k), at least one candidate ranked."""
    levels = draw(st.lists(st.integers(0, k), min_size=k, max_size=k).filter(lambda ls: min(ls) < k))
    return [[c for c in range(k) if levels[c] == level] for level in sorted(set(levels) - {k})]


@st.composite
def tiered_profiles(draw) -> tuple[int, list[list[list[int]]]]:
    k = draw(st.integers(2, 5))
    return k, draw(st.lists(tiered_ballots(k), min_size=1, max_size=9))


def brute_force_strength(matrix, candidates, a, b) -> int:
    """The strongest path from a to b by trying every simple path."""

    def link(x, y):
        return matrix[x][y] if matrix[x][y] > matrix[y][x] else 0

    middles = [c for c in candidates if c not in (a, b)]
    best = 0
    for size in range(len(middles) + 1):
        for middle in itertools.permutations(middles, size):
            path = (a, *middle, b)
            best = max(best, min(link(x, y) for x, y in itertools.pairwise(path)))
    return best


@given(matrices())
@settings(max_examples=150)
def test_strongest_paths_match_a_brute_force_search(case):
    candidates, matrix = case
    strengths = strongest_paths(matrix, candidates)
    for a, b in itertools.permutations(candidates, 2):
        assert strengths[a][b] == brute_force_strength(matrix, candidates, a, b)


def orders_keeping(strengths, candidates):
    """Every order of the candidates in which nobody comes after someone they beat."""
    for order in itertools.permutations(candidates):
        if not any(beats(strengths, later, earlier) for earlier, later in itertools.combinations(order, 2)):
            yield order


@given(matrices())
@settings(max_examples=150)
def test_the_relation_is_transitive(case):
    candidates, matrix = case
    strengths = strongest_paths(matrix, candidates)
    for a, b, c in itertools.permutations(candidates, 3):
        if beats(strengths, a, b) and beats(strengths, b, c):
            assert beats(strengths, a, c)


@given(matrices())
@settings(max_examples=150)
def test_ranking_tiers_are_cut_where_the_relation_orders_every_pair_across_and_nowhere_else(case):
    candidates, matrix = case
    outcome = schulze(matrix, candidates)
    tier_of = {c: index for index, tier in enumerate(outcome.ranking) for c in tier}
    assert sorted(tier_of) == candidates and sum(map(len, outcome.ranking)) == len(candidates)
    for a, b in itertools.permutations(candidates, 2):
        if tier_of[a] < tier_of[b]:
            assert beats(outcome.strengths, a, b)
        if beats(outcome.strengths, a, b):
            assert tier_of[a] <= tier_of[b]
    for tier in outcome.ranking:
        for size in range(1, len(tier)):
            for upper in itertools.combinations(tier, size):
                lower = [c for c in tier if c not in upper]
                assert not all(beats(outcome.strengths, a, b) for a in upper for b in lower)


@given(matrices(), st.integers(1, 5))
@settings(max_examples=150)
def test_seats_go_to_who_wins_them_in_every_order_keeping_the_relation_and_the_others_who_can_are_tied(case, seats):
    candidates, matrix = case
    outcome = schulze(matrix, candidates, seats)
    tops = [set(order[:seats]) for order in orders_keeping(outcome.strengths, candidates)]
    assert set(outcome.elected) == set.intersection(*tops)
    assert set(outcome.elected) | set(outcome.tied_for_last_seat) == set.union(*tops)
    assert not set(outcome.elected) & set(outcome.tied_for_last_seat)


def elect(case, seats):
    """Test helper: the outcome for a matrix case, and the candidates it does not elect."""
    candidates, matrix = case
    outcome = schulze(matrix, candidates, seats)
    return outcome, [c for c in candidates if c not in outcome.elected]


@given(matrices(), st.integers(1, 5))
@settings(max_examples=150)
def test_nobody_left_out_beats_an_elected_candidate(case, seats):
    outcome, left_out = elect(case, seats)
    for elected, other in itertools.product(outcome.elected, left_out):
        assert not beats(outcome.strengths, other, elected)
    beyond_the_tie = [c for c in left_out if c not in outcome.tied_for_last_seat]
    for tied, other in itertools.product(outcome.tied_for_last_seat, beyond_the_tie):
        assert not beats(outcome.strengths, other, tied)


@given(matrices(), st.integers(1, 5))
@settings(max_examples=150)
def test_an_elected_candidate_unordered_with_one_left_out_means_a_tie_for_the_last_seats(case, seats):
    outcome, left_out = elect(case, seats)
    unordered = [(e, o) for e in outcome.elected for o in left_out if not beats(outcome.strengths, e, o)]
    if unordered:
        assert outcome.tied_for_last_seat and outcome.open_seats > 0
    if outcome.tied_for_last_seat:
        assert len(outcome.tied_for_last_seat) > outcome.open_seats > 0
    else:
        assert len(outcome.elected) == min(seats, len(case[0]))


@given(matrices())
def test_a_condorcet_winner_is_the_sole_winner(case):
    candidates, matrix = case
    condorcet = [a for a in candidates if all(matrix[a][b] > matrix[b][a] for b in candidates if b != a)]
    outcome = schulze(matrix, candidates)
    if condorcet:
        assert outcome.elected == tuple(condorcet)


@given(tiered_profiles())
def test_a_condorcet_winner_among_real_ballots_wins(profile):
    k, ballots = profile
    matrix = pairwise_from_rankings(range(k), ballots)
    outcome = schulze(matrix, list(range(k)))
    for a in range(k):
        if all(matrix[a][b] > matrix[b][a] for b in range(k) if b != a):
            assert outcome.elected == (a,)


@given(matrices(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_invariant_under_relabeling_and_reordering(case, seats, rng):
    candidates, matrix = case
    order = list(candidates)
    rng.shuffle(order)
    name = {c: f"n{c}" for c in candidates}
    renamed = {name[a]: {name[b]: count for b, count in row.items()} for a, row in matrix.items()}
    original = schulze(matrix, candidates, seats)
    shuffled = schulze(renamed, [name[c] for c in order], seats)
    assert {name[c] for c in original.elected} == set(shuffled.elected)
    assert [{name[c] for c in tier} for tier in original.ranking] == [set(tier) for tier in shuffled.ranking]


def schulze_defeats(outcome, candidates) -> set[tuple[int, int]]:
    return {(a, b) for a, b in itertools.permutations(candidates, 2) if beats(outcome.strengths, a, b)}


@given(st.integers(2, 5).flatmap(lambda k: st.lists(st.permutations(range(k)), min_size=1, max_size=9)))
@settings(max_examples=80, deadline=None)
def test_relation_and_winners_agree_with_pref_voting_beat_path_on_strict_rankings(rankings):
    from pref_voting.margin_based_methods import beat_path, beat_path_defeat
    from pref_voting.profiles import Profile

    candidates = sorted(rankings[0])
    matrix = pairwise_from_rankings(candidates, [[[c] for c in ranking] for ranking in rankings])
    outcome = schulze(matrix, candidates)
    assert set(outcome.elected + outcome.tied_for_last_seat) == set(beat_path(Profile(rankings)))
    assert schulze_defeats(outcome, candidates) == set(beat_path_defeat(Profile(rankings)).edges)


@given(tiered_profiles())
@settings(max_examples=80, deadline=None)
def test_relation_and_winners_agree_with_pref_voting_winning_votes_on_ties_and_unranked(profile):
    from pref_voting.margin_based_methods import beat_path, beat_path_defeat
    from pref_voting.profiles_with_ties import ProfileWithTies

    k, ballots = profile
    ranks = [{c: level + 1 for level, tier in enumerate(ballot) for c in tier} for ballot in ballots]
    reference = ProfileWithTies(ranks, candidates=list(range(k)))
    reference.use_extended_strict_preference()
    outcome = schulze(pairwise_from_rankings(range(k), ballots), list(range(k)))
    winners = beat_path(reference, strength_function=reference.support)
    assert set(outcome.elected + outcome.tied_for_last_seat) == set(winners)
    defeats = beat_path_defeat(reference, strength_function=reference.support)
    assert schulze_defeats(outcome, range(k)) == set(defeats.edges)
