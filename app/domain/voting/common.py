"""Shared election result type and helpers: checking counts, ranking into tiers, filling seats."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

C = TypeVar("C", bound=Hashable)
OutcomeT = TypeVar("OutcomeT", bound="ElectionOutcome[Any]")
Tiers = tuple[tuple[C, ...], ...]


@dataclass(frozen=True)
class ElectionOutcome(Generic[C]):
    """Who is elected, the full ranking as tiers (best first) and any tie left for the teacher.

    Each candidate of a tier ranks above each candidate of a later tier; a tier holds equals, except under Schulze,
    whose tiers may also hold candidates it orders. When the rule cannot say who of some candidates takes the last
    seats, none of them is elected: they are listed in tied_for_last_seat and `open_seats` says how many seats
    they share.
    """

    elected: tuple[C, ...]
    ranking: Tiers[C]
    tied_for_last_seat: tuple[C, ...]
    seats: int
    blank: int

    @property
    def open_seats(self) -> int:
        """Seats still to fill after a tie (zero when there is no tie)."""
        return self.seats - len(self.elected) if self.tied_for_last_seat else 0


def check_count(name: str, value: object) -> int:
    """Return value if it is a non-negative integer, else raise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value})")
    return value


def check_counts(counts: Mapping[C, int]) -> None:
    """Check every count of a per-candidate mapping."""
    for candidate, count in counts.items():
        check_count(f"count of {candidate!r}", count)


def check_seats(seats: int) -> None:
    """Seats must be a positive integer."""
    if check_count("seats", seats) == 0:
        raise ValueError("at least one seat must be filled")


def tiers_by_key(candidates: Iterable[C], key: Callable[[C], Any]) -> Tiers[C]:
    """Group candidates into tiers of equal key, smallest key first; input order is kept inside a tier."""
    tiers: dict[Any, list[C]] = {}
    for candidate in candidates:
        tiers.setdefault(key(candidate), []).append(candidate)
    return tuple(tuple(tiers[value]) for value in sorted(tiers))


def tiers_by_score(scores: Mapping[C, int]) -> Tiers[C]:
    """Tiers of candidates with equal score, highest score first."""
    return tiers_by_key(scores, lambda candidate: -scores[candidate])


def fill_seats(ranking: Tiers[C], seats: int) -> tuple[tuple[C, ...], tuple[C, ...]]:
    """Elect whole tiers while they fit; return (elected, tied) where tied is the tier that does not fit."""
    elected: list[C] = []
    for tier in ranking:
        room = seats - len(elected)
        if room == 0:
            break
        if len(tier) > room:
            return tuple(elected), tier
        elected.extend(tier)
    return tuple(elected), ()


def score_outcome(scores: Mapping[C, int], seats: int, blank: int) -> ElectionOutcome[C]:
    """Check a per-candidate score table and elect the highest scores."""
    check_counts(scores)
    check_seats(seats)
    check_count("blank", blank)
    ranking = tiers_by_score(scores)
    elected, tied = fill_seats(ranking, seats)
    return ElectionOutcome(elected, ranking, tied, seats, blank)


def with_details(outcome: ElectionOutcome[C], kind: type[OutcomeT], **details: Any) -> OutcomeT:
    """Copy an outcome into a subclass that carries rule-specific details."""
    return kind(**{field.name: getattr(outcome, field.name) for field in fields(outcome)}, **details)
