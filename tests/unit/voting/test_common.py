"""Shared helpers: ranking into tiers, filling seats, checking counts."""

import pytest

from app.domain.voting.common import (
    ElectionOutcome,
    check_count,
    check_seats,
    fill_seats,
    tiers_by_key,
    tiers_by_score,
)


def test_tiers_by_score_puts_highest_first_and_keeps_input_order_inside_a_tier():
    assert tiers_by_score({"b": 2, "a": 5, "d": 2, "c": 0}) == (("a",), ("b", "d"), ("c",))


def test_tiers_by_key_puts_smallest_first():
    assert tiers_by_key(["x", "yy", "zz", "w"], len) == (("x", "w"), ("yy", "zz"))


def test_tiers_of_nothing():
    assert tiers_by_score({}) == ()


@pytest.mark.parametrize(
    ("ranking", "seats", "elected", "tied"),
    [
        ((("a",), ("b",), ("c",)), 2, ("a", "b"), ()),
        ((("a",), ("b", "c")), 2, ("a",), ("b", "c")),
        ((("a", "b"), ("c", "d")), 2, ("a", "b"), ()),
        ((("a", "b", "c"),), 1, (), ("a", "b", "c")),
        ((("a",), ("b", "c", "d")), 3, ("a",), ("b", "c", "d")),
        ((("a",), ("b",)), 5, ("a", "b"), ()),
        ((), 1, (), ()),
    ],
)
def test_fill_seats(ranking, seats, elected, tied):
    assert fill_seats(ranking, seats) == (elected, tied)


def test_open_seats_counts_the_seats_left_to_the_tie():
    tie = ElectionOutcome(("a",), (("a",), ("b", "c", "d")), ("b", "c", "d"), 3, 0)
    assert tie.open_seats == 2
    assert ElectionOutcome(("a",), (("a",),), (), 3, 0).open_seats == 0


def test_check_count_refuses_negatives_and_non_integers():
    assert check_count("n", 0) == 0
    with pytest.raises(ValueError):
        check_count("n", -1)
    for wrong in (1.0, "1", True, None):
        with pytest.raises(TypeError):
            check_count("n", wrong)
    with pytest.raises(ValueError):
        check_seats(0)
