"""Plurality: one round, each pupil names one candidate (or votes blank) and the most-voted candidates win.

Blank votes are reported but never change who wins. If candidates tie for the last seat(s), nobody of
that tie is elected: the tie is reported so the class can settle it (a new vote, or the agreed rule).
"""

from collections.abc import Mapping

from app.domain.voting.common import C, ElectionOutcome, score_outcome


def plurality(counts: Mapping[C, int], seats: int = 1, blank: int = 0) -> ElectionOutcome[C]:
    """Elect the `seats` candidates with the most votes; counts[c] is c's number of votes."""
    return score_outcome(counts, seats, blank)
