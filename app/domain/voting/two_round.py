"""Two-round election of one officer: an absolute majority wins in round one, else the two first go to a run-off.

Round one: a candidate with more than half of the votes expressed (blank votes not counted) is elected;
otherwise the two candidates with the most votes go through, and a tie for a finalist place is reported.
Round two: the most votes wins. On a tie the youngest wins (when birth years are known); if they were born
the same year, or a year is unknown, the tie-break order declared before the vote decides.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Generic

from app.domain.voting.common import C, Tiers, check_count, check_counts, fill_seats, tiers_by_score

FINALISTS = 2


class TieBreak(Enum):
    NONE = "none"
    YOUNGEST = "youngest"
    DECLARED_ORDER = "declared_order"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class FirstRoundOutcome(Generic[C]):
    """Either `elected` is set, or `finalists` (plus `tied_for_finalist` when a tie leaves places open) go on."""

    elected: C | None
    finalists: tuple[C, ...]
    tied_for_finalist: tuple[C, ...]
    ranking: Tiers[C]
    expressed: int
    blank: int


@dataclass(frozen=True)
class SecondRoundOutcome(Generic[C]):
    """The winner; `tied` lists who shared the most votes and `tie_break` says how the tie was settled."""

    elected: C | None
    tied: tuple[C, ...]
    tie_break: TieBreak
    ranking: Tiers[C]
    expressed: int
    blank: int


def first_round(counts: Mapping[C, int], blank: int = 0) -> FirstRoundOutcome[C]:
    """Elect on an absolute majority of votes expressed, or name the finalists of the run-off."""
    expressed, ranking = _count(counts, blank)
    winner = next((candidate for candidate, votes in counts.items() if 2 * votes > expressed), None)
    if winner is not None:
        return FirstRoundOutcome(winner, (), (), ranking, expressed, blank)
    finalists, tied = fill_seats(ranking, FINALISTS)
    return FirstRoundOutcome(None, finalists, tied, ranking, expressed, blank)


def second_round(
    counts: Mapping[C, int],
    blank: int = 0,
    *,
    birth_years: Mapping[C, int] | None = None,
    declared_order: Sequence[C] | None = None,
) -> SecondRoundOutcome[C]:
    """Elect the candidate with the most votes, breaking a tie by age, then by the declared order."""
    expressed, ranking = _count(counts, blank)
    top = ranking[0]
    if len(top) == 1:
        return SecondRoundOutcome(top[0], (), TieBreak.NONE, ranking, expressed, blank)
    winner, tie_break = break_tie(top, birth_years, declared_order)
    return SecondRoundOutcome(winner, top, tie_break, ranking, expressed, blank)


def break_tie(
    tied: tuple[C, ...], birth_years: Mapping[C, int] | None, declared_order: Sequence[C] | None
) -> tuple[C | None, TieBreak]:
    """The youngest of the tied candidates, or else the first of them in the declared order."""
    youngest = _youngest(tied, birth_years)
    if len(youngest) == 1:
        return youngest[0], TieBreak.YOUNGEST
    if declared_order is None:
        return None, TieBreak.UNRESOLVED
    return _first_declared(youngest, declared_order), TieBreak.DECLARED_ORDER


def _count(counts: Mapping[C, int], blank: int) -> tuple[int, Tiers[C]]:
    if not counts:
        raise ValueError("an election needs at least one candidate")
    check_counts(counts)
    check_count("blank", blank)
    return sum(counts.values()), tiers_by_score(counts)


def _youngest(tied: tuple[C, ...], birth_years: Mapping[C, int] | None) -> tuple[C, ...]:
    if birth_years is None or any(candidate not in birth_years for candidate in tied):
        return tied
    latest = max(birth_years[candidate] for candidate in tied)
    return tuple(candidate for candidate in tied if birth_years[candidate] == latest)


def _first_declared(candidates: tuple[C, ...], declared_order: Sequence[C]) -> C:
    position = {candidate: index for index, candidate in enumerate(declared_order)}
    missing = [candidate for candidate in candidates if candidate not in position]
    if missing:
        raise ValueError(f"the declared tie-break order does not list {missing!r}")
    return min(candidates, key=position.__getitem__)
