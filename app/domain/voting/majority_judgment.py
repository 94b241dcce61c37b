"""Majority judgment: every judge grades every candidate, and the best majority grade (median) wins.

A candidate's majority grade is the median of their grades; with an even number of judges it is the
lower (worse) of the two middle grades. Equal majority grades are separated by removing one vote at the
majority grade from each tied candidate and comparing again, until they differ (the majority gauge);
candidates whose grades are identical stay tied. A grade left empty counts as Reject.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from app.domain.voting.common import (
    C,
    ElectionOutcome,
    check_count,
    check_seats,
    fill_seats,
    tiers_by_key,
    with_details,
)

Histogram = Sequence[int]


class Grade(IntEnum):
    """The six grades, best first: a smaller value is a better grade (as in the ballot box)."""

    EXCELLENT = 0
    VERY_GOOD = 1
    GOOD = 2
    FAIR = 3
    POOR = 4
    REJECT = 5


@dataclass(frozen=True)
class MajorityJudgmentOutcome(ElectionOutcome[C]):
    """An election outcome with each candidate's majority grade (None when no judge took part)."""

    majority_grades: Mapping[C, Grade | None]
    judges: int


def fill_ungraded(histograms: Mapping[C, Histogram], judges: int) -> dict[C, tuple[int, ...]]:
    """Add the grades each candidate is missing out of `judges` as Reject, so every candidate has `judges` grades."""
    filled = {}
    for candidate, histogram in histograms.items():
        missing = check_count("judges", judges) - sum(_checked(candidate, histogram))
        if missing < 0:
            raise ValueError(f"{candidate!r} has more grades than the {judges} judges")
        filled[candidate] = (*histogram[: Grade.REJECT], histogram[Grade.REJECT] + missing)
    return filled


def majority_grade(histogram: Histogram) -> Grade:
    """The lower median grade of a histogram (histogram[g] = number of judges who gave grade g)."""
    middle = sum(histogram) // 2  # position of the lower middle grade when grades are listed best first
    seen = 0
    for grade, count in zip(Grade, histogram, strict=True):
        seen += count
        if seen > middle:
            return grade
    raise ValueError("no judge graded this candidate")


def majority_value(histogram: Histogram) -> tuple[Grade, ...]:
    """The majority grades met while removing one vote at the majority grade at a time, until none is left.

    Comparing these sequences grade by grade is the majority-gauge tie-break; a smaller sequence is better.
    """
    remaining = list(histogram)
    value = []
    for _ in range(sum(histogram)):
        grade = majority_grade(remaining)
        value.append(grade)
        remaining[grade] -= 1
    return tuple(value)


def majority_judgment(histograms: Mapping[C, Histogram], seats: int = 1, blank: int = 0) -> MajorityJudgmentOutcome[C]:
    """Rank candidates by majority value and elect the first `seats`; histograms must all have the same total."""
    check_seats(seats)
    check_count("blank", blank)
    judges = _common_total(histograms)
    values = {candidate: majority_value(histogram) for candidate, histogram in histograms.items()}
    ranking = tiers_by_key(values, values.__getitem__)
    elected, tied = fill_seats(ranking, seats)
    grades = {candidate: value[0] if value else None for candidate, value in values.items()}
    outcome = ElectionOutcome(elected, ranking, tied, seats, blank)
    return with_details(outcome, MajorityJudgmentOutcome, majority_grades=grades, judges=judges)


def _common_total(histograms: Mapping[C, Histogram]) -> int:
    totals = {sum(_checked(candidate, histogram)) for candidate, histogram in histograms.items()}
    if len(totals) > 1:
        raise ValueError("candidates were graded by different numbers of judges; use fill_ungraded first")
    return totals.pop() if totals else 0


def _checked(candidate: object, histogram: Histogram) -> Histogram:
    if len(histogram) != len(Grade):
        raise ValueError(f"the histogram of {candidate!r} must have {len(Grade)} counts, one per grade")
    for count in histogram:
        check_count(f"grade count of {candidate!r}", count)
    return histogram
