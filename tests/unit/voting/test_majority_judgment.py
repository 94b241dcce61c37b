"""Majority judgment: lower median, the iterative majority-gauge tie-break, hand-computed examples and properties."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.voting.majority_judgment import (
    Grade,
    fill_ungraded,
    majority_grade,
    majority_judgment,
    majority_key,
    majority_value,
)

E, VG, G, F, P, R = Grade


def histogram(*grades: Grade) -> list[int]:
    counts = Counter(grades)
    return [counts[grade] for grade in Grade]


def test_grades_run_from_best_to_worst():
    assert [int(grade) for grade in (E, VG, G, F, P, R)] == [0, 1, 2, 3, 4, 5]


def test_majority_grade_is_the_median_for_an_odd_number_of_judges():
    assert majority_grade(histogram(E, VG, G, F, P)) is G


def test_majority_grade_is_the_lower_middle_grade_for_an_even_number_of_judges():
    assert majority_grade(histogram(E, R)) is R
    assert majority_grade(histogram(E, VG, G, F)) is G


def test_majority_grade_needs_a_judge():
    with pytest.raises(ValueError):
        majority_grade([0] * 6)


def test_lower_median_decides_between_even_histograms():
    outcome = majority_judgment({"split": histogram(E, R), "steady": histogram(P, P)})
    assert outcome.elected == ("steady",)
    assert outcome.majority_grades == {"split": R, "steady": P}


def test_equal_medians_are_separated_by_removing_the_median_grade():
    # Both have Good as majority grade; without one Good, a's median becomes Very good and b's stays Good.
    a = histogram(E, E, VG, VG, VG, G, G, G, F, F)
    b = histogram(VG, VG, VG, VG, G, G, G, G, F, F)
    outcome = majority_judgment({"b": b, "a": a})
    assert outcome.majority_grades == {"a": G, "b": G}
    assert outcome.ranking == (("a",), ("b",)) and outcome.elected == ("a",)


def test_three_candidates_ranked_by_hand():
    # x: E VG G F P -> G, then E VG F P -> F.  y: G G G G R -> G, then G G G R -> G.  z: E E VG VG R -> VG.
    histograms = {"x": histogram(E, VG, G, F, P), "y": histogram(G, G, G, G, R), "z": histogram(E, E, VG, VG, R)}
    outcome = majority_judgment(histograms, seats=2)
    assert outcome.ranking == (("z",), ("y",), ("x",)) and outcome.elected == ("z", "y")
    assert outcome.majority_grades == {"x": G, "y": G, "z": VG}


def test_tie_break_can_need_several_removals():
    # a: E G G P and b: VG G G F share G, then G again; only the third step (P against F) separates them.
    assert majority_value(histogram(E, G, G, P)) == (G, G, P, E)
    assert majority_value(histogram(VG, G, G, F)) == (G, G, F, VG)
    outcome = majority_judgment({"a": histogram(E, G, G, P), "b": histogram(VG, G, G, F)})
    assert outcome.elected == ("b",)


def test_identical_histograms_are_a_true_tie():
    same = histogram(E, G, R)
    outcome = majority_judgment({"a": same, "b": list(same), "c": histogram(R, R, R)}, seats=1)
    assert outcome.elected == () and outcome.tied_for_last_seat == ("a", "b") and outcome.open_seats == 1
    assert majority_judgment({"a": same, "b": same, "c": histogram(R, R, R)}, seats=2).elected == ("a", "b")


def test_only_blank_ballots_leave_everybody_tied_without_a_grade():
    outcome = majority_judgment({"a": [0] * 6, "b": [0] * 6}, blank=4)
    assert outcome.tied_for_last_seat == ("a", "b") and outcome.majority_grades == {"a": None, "b": None}
    assert outcome.judges == 0 and outcome.blank == 4


def test_fill_ungraded_counts_missing_grades_as_reject():
    filled = fill_ungraded({"a": histogram(E, E), "b": histogram(G)}, judges=3)
    assert filled == {"a": tuple(histogram(E, E, R)), "b": tuple(histogram(G, R, R))}
    assert majority_judgment(filled).elected == ("a",)


@pytest.mark.parametrize(
    "histograms",
    [{"a": histogram(E), "b": histogram(E, E)}, {"a": [1, 0, 0]}, {"a": [1, 0, 0, 0, 0, -1]}],
)
def test_bad_histograms_are_refused(histograms):
    with pytest.raises(ValueError):
        majority_judgment(histograms)


def test_fill_ungraded_refuses_more_grades_than_judges():
    with pytest.raises(ValueError):
        fill_ungraded({"a": histogram(E, E, E)}, judges=2)


def naive_compare(first: list[int], second: list[int]) -> int:
    """The textbook procedure on explicit grade lists: -1 if first is better, 1 if worse, 0 if tied."""
    first, second = sorted(first), sorted(second)
    while first:
        a, b = first[len(first) // 2], second[len(second) // 2]
        if a != b:
            return -1 if a < b else 1
        first.remove(a)
        second.remove(b)
    return 0


@st.composite
def gradings(draw) -> dict[str, list[int]]:
    """Each candidate's list of grades, all candidates graded by the same judges."""
    judges = draw(st.integers(1, 9))
    names = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=5, unique=True))
    grade_lists = st.lists(st.integers(0, 5), min_size=judges, max_size=judges)
    return {name: draw(grade_lists) for name in names}


def histograms_of(grades: dict[str, list[int]]) -> dict[str, list[int]]:
    return {name: histogram(*map(Grade, given_grades)) for name, given_grades in grades.items()}


@given(gradings(), st.integers(1, 3))
@settings(max_examples=200)
def test_ranking_agrees_with_the_textbook_procedure(grades, seats):
    outcome = majority_judgment(histograms_of(grades), seats)
    tier_of = {name: index for index, tier in enumerate(outcome.ranking) for name in tier}
    for a in grades:
        for b in grades:
            expected = naive_compare(grades[a], grades[b])
            assert (tier_of[a] > tier_of[b]) - (tier_of[a] < tier_of[b]) == expected


@given(gradings())
def test_winners_have_the_best_majority_grade(grades):
    outcome = majority_judgment(histograms_of(grades))
    best = min(outcome.majority_grades.values())
    top = outcome.elected or outcome.tied_for_last_seat
    assert top and all(outcome.majority_grades[name] == best for name in top)
    assert all(majority_grade(histogram(*map(Grade, grades[name]))) == best for name in top)


@given(gradings(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_invariant_under_relabeling_and_reordering(grades, seats, rng):
    names = list(grades)
    rng.shuffle(names)
    renaming = {name: name.upper() for name in names}
    renamed = {renaming[name]: grades[name] for name in names}
    original = majority_judgment(histograms_of(grades), seats)
    shuffled = majority_judgment(histograms_of(renamed), seats)
    assert {renaming[n] for n in original.elected} == set(shuffled.elected)
    assert [{renaming[n] for n in tier} for tier in original.ranking] == [set(tier) for tier in shuffled.ranking]


@given(gradings(), st.data())
def test_raising_a_grade_of_the_sole_winner_keeps_them_elected(grades, data):
    outcome = majority_judgment(histograms_of(grades))
    if outcome.elected:
        winner = outcome.elected[0]
        improvable = [i for i, grade in enumerate(grades[winner]) if grade > 0]
        if improvable:
            i = data.draw(st.sampled_from(improvable))
            better = list(grades[winner])
            better[i] -= 1
            assert majority_judgment(histograms_of({**grades, winner: better})).elected == (winner,)


@st.composite
def two_histograms(draw) -> tuple[list[int], list[int]]:
    """Two histograms with the same number of judges, some grades crowded (long runs), some empty."""
    first = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3, 7, 20, 41]), min_size=6, max_size=6))
    judges = sum(first)
    cuts = sorted(draw(st.lists(st.integers(0, judges), min_size=5, max_size=5)))
    second = [stop - start for start, stop in zip([0, *cuts], [*cuts, judges], strict=True)]
    return first, second


@given(two_histograms())
@settings(max_examples=500)
def test_the_fast_key_orders_like_the_majority_value(pair):
    first, second = pair
    slow = (majority_value(first) > majority_value(second)) - (majority_value(first) < majority_value(second))
    fast = (majority_key(first) > majority_key(second)) - (majority_key(first) < majority_key(second))
    assert fast == slow


def test_the_key_of_a_hundred_thousand_judges_is_a_few_runs():
    assert len(majority_key([20_000, 30_000, 10_000, 15_000, 5_000, 20_000])) <= 12
