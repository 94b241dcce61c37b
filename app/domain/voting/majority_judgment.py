"""Majority judgment: every judge grades every candidate, and the best majority grade (median) wins.

A candidate's majority grade is the median of their grades; with an even number of judges it is the
lower (worse) of the two middle grades. Equal majority grades are separated by removing one vote at the
majority grade from each tied candidate and comparing again, until they differ (the majority gauge);
candidates whose grades are identical stay tied. A grade left empty counts as Reject.

That sequence of majority grades (the majority value) is as long as there are judges; majority_key orders
candidates exactly as their majority values do, in a time that depends on the six grades only, not on the judges.
"""

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import accumulate

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


def majority_key(histogram: Histogram) -> tuple[tuple[int, ...], ...]:
    """A key that sorts like majority_value among histograms with the same number of judges, built from runs.

    The majority value visits the grades sorted best first from the middle outwards, one side then the other, so
    read two by two it is a sequence of pairs (a, b) that changes only where a side crosses into another grade:
    a few runs. A run is written (a, b, 1, -length) when the pair after it is worse, and (a, b, 0, length) when it
    is better or there is none: two values that agree up to a run of the same pair but of different lengths then
    compare as their first different grades do.
    """
    runs = _pair_runs(histogram)
    key = []
    for index, (pair, length) in enumerate(runs):
        worse_next = index + 1 < len(runs) and runs[index + 1][0] > pair
        key.append((*pair, 1, -length) if worse_next else (*pair, 0, length))
    return tuple(key)


def _pair_runs(histogram: Histogram) -> list[tuple[tuple[int, int], int]]:
    """The majority value as runs of (grade, grade) pairs; an odd last grade is paired with -1."""
    judges = sum(histogram)
    ends = list(accumulate(histogram))  # sorted best first, grade g fills the positions [ends[g-1], ends[g])
    middle = judges // 2
    if judges % 2 == 0:  # positions middle, middle-1, middle+1, middle-2, … : pair j is (middle+j, middle-1-j)
        pairs, first, second = judges // 2, (lambda j: middle + j), (lambda j: middle - 1 - j)
    else:  # positions middle, middle+1, middle-1, middle+2, … : pair j is (middle-j, middle+1+j), then position 0
        pairs, first, second = (judges - 1) // 2, (lambda j: middle - j), (lambda j: middle + 1 + j)
    changes = {0} | {j for end in ends for j in (end - first(0), first(0) - end + 1, end - second(0),
                                                 second(0) - end + 1) if 0 < j < pairs}
    runs: list[tuple[tuple[int, int], int]] = []
    starts = sorted(changes) + [pairs]
    for start, stop in zip(starts, starts[1:], strict=False):
        pair = (bisect_right(ends, first(start)), bisect_right(ends, second(start)))
        if runs and runs[-1][0] == pair:
            runs[-1] = (pair, runs[-1][1] + stop - start)
        else:
            runs.append((pair, stop - start))
    if judges % 2:
        runs.append(((bisect_right(ends, 0), -1), 1))
    return runs if pairs or judges % 2 else []


def majority_judgment(histograms: Mapping[C, Histogram], seats: int = 1, blank: int = 0) -> MajorityJudgmentOutcome[C]:
    """Rank candidates by majority value and elect the first `seats`; histograms must all have the same total."""
    check_seats(seats)
    check_count("blank", blank)
    judges = _common_total(histograms)
    keys = {candidate: majority_key(histogram) for candidate, histogram in histograms.items()}
    ranking = tiers_by_key(keys, keys.__getitem__)
    elected, tied = fill_seats(ranking, seats)
    grades = {candidate: majority_grade(histogram) if judges else None for candidate, histogram in histograms.items()}
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
