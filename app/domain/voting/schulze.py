"""Schulze method: pupils rank the candidates, and candidates are compared through their strongest chains of duels.

For each pair, d[a][b] counts the pupils who ranked a above b (unranked candidates come after all ranked
ones). a defeats b directly when d[a][b] > d[b][a], with strength d[a][b] ("winning votes"). A path's
strength is its weakest defeat; a beats b when the strongest path from a to b is stronger than the one back.
That relation is transitive, so the ranking is read off in tiers; equal candidates share a tier.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.voting.common import (
    C,
    ElectionOutcome,
    Tiers,
    check_count,
    check_seats,
    fill_seats,
    with_details,
)

Pairwise = Mapping[C, Mapping[C, int]]


@dataclass(frozen=True)
class SchulzeOutcome(ElectionOutcome[C]):
    """An election outcome with the strongest-path strengths p[a][b] (0 when no path of defeats leads from a to b)."""

    strengths: Mapping[C, Mapping[C, int]]


def empty_pairwise(candidates: Sequence[C]) -> dict[C, dict[C, int]]:
    """A pairwise matrix of zeros, without the diagonal."""
    return {a: {b: 0 for b in candidates if b != a} for a in candidates}


def add_ranking_to_pairwise(matrix: Pairwise[C], ranking: Sequence[Sequence[C]]) -> dict[C, dict[C, int]]:
    """A new matrix with one ballot added; the ballot is a list of tiers, best first, unranked candidates last."""
    level = _levels(matrix, ranking)
    return {a: {b: count + int(level[a] < level[b]) for b, count in row.items()} for a, row in matrix.items()}


def strongest_paths(pairwise: Pairwise[C], candidates: Sequence[C]) -> dict[C, dict[C, int]]:
    """p[a][b]: the strength of the strongest path of defeats from a to b (widest path, Floyd–Warshall)."""
    strength = {a: {b: _link(pairwise, a, b) for b in candidates if b != a} for a in candidates}
    for via in candidates:
        for a in candidates:
            if a != via:
                _widen_through(strength, a, via)
    return strength


def beats(strengths: Pairwise[C], a: C, b: C) -> bool:
    """Whether a ranks above b under Schulze."""
    return strengths[a][b] > strengths[b][a]


def schulze(pairwise: Pairwise[C], candidates: Sequence[C], seats: int = 1, blank: int = 0) -> SchulzeOutcome[C]:
    """Rank the candidates by Schulze and elect the first `seats`; ties at the last seat are reported."""
    _check(pairwise, candidates, seats, blank)
    strengths = strongest_paths(pairwise, candidates)
    ranking = _tiers(strengths, candidates)
    elected, tied = fill_seats(ranking, seats)
    outcome = ElectionOutcome(elected, ranking, tied, seats, blank)
    return with_details(outcome, SchulzeOutcome, strengths=strengths)


def _link(pairwise: Pairwise[C], a: C, b: C) -> int:
    # Winning votes: only a direct defeat is a link, weighted by the pupils who back it.
    forward, backward = pairwise[a][b], pairwise[b][a]
    return forward if forward > backward else 0


def _widen_through(strength: dict[C, dict[C, int]], a: C, via: C) -> None:
    to_via = strength[a][via]
    for b, current in strength[a].items():
        if b != via:
            strength[a][b] = max(current, min(to_via, strength[via][b]))


def _tiers(strengths: Pairwise[C], candidates: Sequence[C]) -> Tiers[C]:
    # The beat relation is transitive (Schulze's theorem), so some remaining candidate is always unbeaten.
    remaining = list(candidates)
    tiers = []
    while remaining:
        tier = tuple(a for a in remaining if not any(b != a and beats(strengths, b, a) for b in remaining))
        if not tier:
            raise RuntimeError("these strengths are not strongest paths: every remaining candidate is beaten")
        tiers.append(tier)
        remaining = [candidate for candidate in remaining if candidate not in tier]
    return tuple(tiers)


def _levels(matrix: Pairwise[C], ranking: Sequence[Sequence[C]]) -> dict[C, int]:
    level = dict.fromkeys(matrix, len(ranking))
    seen: set[Hashable] = set()
    for position, tier in enumerate(ranking):
        for candidate in tier:
            if candidate not in level or candidate in seen:
                raise ValueError(f"{candidate!r} is unknown or ranked twice")
            seen.add(candidate)
            level[candidate] = position
    return level


def _check(pairwise: Pairwise[C], candidates: Sequence[C], seats: int, blank: int) -> None:
    check_seats(seats)
    check_count("blank", blank)
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidates must be distinct")
    for a in candidates:
        for b in candidates:
            if a != b:
                check_count(f"pairwise count {a!r} over {b!r}", pairwise[a][b])
