"""Schulze method: pupils rank the candidates, and candidates are compared through their strongest chains of duels.

For each pair, d[a][b] counts the pupils who ranked a above b (unranked candidates come after all ranked
ones). a defeats b directly when d[a][b] > d[b][a], with strength d[a][b] ("winning votes"). A path's
strength is its weakest defeat; a beats b when the strongest path from a to b is stronger than the one back.

That relation is transitive, but it may leave pairs unordered, and being unordered is not transitive: a may beat b
while c is unordered with both. So a seat goes to whoever wins it in every order of the candidates that keeps the
relation, and the candidates who win it in some of those orders only are reported tied for the last seats.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.voting.common import (
    C,
    ElectionOutcome,
    Tiers,
    check_count,
    check_seats,
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
    """Rank the candidates by Schulze and fill the seats; candidates it cannot separate at the last seats are tied."""
    _check(pairwise, candidates, seats, blank)
    strengths = strongest_paths(pairwise, candidates)
    ranking = ranking_tiers(strengths, candidates)
    best_first = [candidate for tier in ranking for candidate in tier]
    elected, tied = fill_seats_in_every_order(strengths, best_first, seats)
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


def ranking_tiers(strengths: Pairwise[C], candidates: Sequence[C]) -> Tiers[C]:
    """The candidates in tiers, best first, cut wherever the Schulze relation allows it and nowhere else.

    Every candidate of a tier beats every candidate of each later tier, and no tier splits into a first and a
    second part where each of the first beats each of the second. Candidates in one tier are therefore not all
    equal: if a beats b and c is unordered with both, they form the single tier (a, b, c). Input order is kept
    inside a tier.
    """
    wins = _wins(strengths, candidates)
    # Whoever beats b also beats everyone b beats, so has more wins: this order never puts b before a winner over b.
    order = sorted(candidates, key=lambda candidate: -wins[candidate])
    tiers, start = [], 0
    for end in range(1, len(order) + 1):
        if all(beats(strengths, a, b) for a in order[start:end] for b in order[end:]):
            tier = set(order[start:end])
            tiers.append(tuple(candidate for candidate in candidates if candidate in tier))
            start = end
    return tuple(tiers)


def fill_seats_in_every_order(
    strengths: Pairwise[C], candidates: Sequence[C], seats: int
) -> tuple[tuple[C, ...], tuple[C, ...]]:
    """(elected, tied) over the orders of all candidates that keep the Schulze relation: a candidate is elected
    when within the first `seats` places in every such order, and tied when within them in some orders only.

    Nobody who is not elected beats an elected candidate; when no tie is reported, every elected candidate beats
    every other one. Both keep the order of `candidates`.
    """
    wins, losses = _wins(strengths, candidates), _losses(strengths, candidates)
    # Such an order can put a candidate right after those who beat them, or right before those they beat.
    best_place = {candidate: 1 + losses[candidate] for candidate in candidates}
    worst_place = {candidate: len(candidates) - wins[candidate] for candidate in candidates}
    elected = tuple(candidate for candidate in candidates if worst_place[candidate] <= seats)
    tied = tuple(candidate for candidate in candidates if best_place[candidate] <= seats < worst_place[candidate])
    return elected, tied


def _wins(strengths: Pairwise[C], candidates: Sequence[C]) -> dict[C, int]:
    return {a: sum(beats(strengths, a, b) for b in candidates if b != a) for a in candidates}


def _losses(strengths: Pairwise[C], candidates: Sequence[C]) -> dict[C, int]:
    return {a: sum(beats(strengths, b, a) for b in candidates if b != a) for a in candidates}


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
