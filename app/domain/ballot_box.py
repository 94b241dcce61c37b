"""Secret ballots: validating, padding, sealing, shuffling, opening and counting them, with no web or database code."""

import functools
import json
import multiprocessing
import os
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any, TypeVar

from nacl.bindings import crypto_box_SEALBYTES
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

MOTION = "motion"
SINGLE = "single"
APPROVAL = "approval"
GRADES = "grades"
RANKING = "ranking"
KINDS = (MOTION, SINGLE, APPROVAL, GRADES, RANKING)

BLANK = "blank"
MOTION_OPTIONS = ("for", "against", "abstain", BLANK)
EXCELLENT = 0
REJECT = 5
GRADE_COUNT = REJECT + 1

BALLOT_SIZE = 512
LENGTH_PREFIX = 2
SEAL_OVERHEAD = crypto_box_SEALBYTES  # the ephemeral public key and the authentication tag

Choice = str | list[str] | dict[str, int] | list[list[str]]
Aggregates = dict[str, Any]
T = TypeVar("T")

_SYSTEM_RANDOM = secrets.SystemRandom()


class BallotError(ValueError):
    """Base class of every ballot problem."""


class BallotTooLarge(BallotError):
    """The encoded choice does not fit in the fixed ballot size."""


class InvalidBallot(BallotError):
    """The choice does not match the poll's kind or options."""


class UnreadableBallot(BallotError):
    """The sealed ballot cannot be decrypted or decoded."""


def encode_choice(choice: Choice) -> bytes:
    return json.dumps(choice, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_choice(data: bytes) -> Choice:
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        raise UnreadableBallot("the ballot is not valid JSON") from error


def pad(data: bytes, size: int = BALLOT_SIZE) -> bytes:
    """Frame data as a 2-byte big-endian length, the data, then zero bytes up to exactly `size` bytes.

    Fixed-size plaintexts give fixed-size ciphertexts, so a ballot's length never hints at the choice.
    The filler is zeros rather than random bytes because it is encrypted anyway, and a canonical
    filler lets unpad() refuse any plaintext that was not produced by pad().
    """
    capacity = size - LENGTH_PREFIX
    if not 0 <= capacity < 1 << (8 * LENGTH_PREFIX):
        raise ValueError(f"a ballot size must lie between {LENGTH_PREFIX} and {LENGTH_PREFIX + 0xFFFF} bytes")
    if len(data) > capacity:
        raise BallotTooLarge(f"the ballot takes {len(data)} bytes, at most {capacity} fit")
    return len(data).to_bytes(LENGTH_PREFIX, "big") + data + bytes(capacity - len(data))


def unpad(padded: bytes) -> bytes:
    length = int.from_bytes(padded[:LENGTH_PREFIX], "big")
    end = LENGTH_PREFIX + length
    if len(padded) < end or any(padded[end:]):
        raise UnreadableBallot("the ballot padding is malformed")
    return padded[LENGTH_PREFIX:end]


def make_poll_keypair() -> tuple[bytes, bytes]:
    """Return (public key, private key) as 32 raw bytes each."""
    private_key = PrivateKey.generate()
    return bytes(private_key.public_key), bytes(private_key)


def seal(public_key: bytes, choice: Choice, size: int = BALLOT_SIZE) -> bytes:
    """Encrypt the padded choice for the poll's private key alone; the result always has size + SEAL_OVERHEAD bytes."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(pad(encode_choice(choice), size)))


def open_ballots(private_key: bytes, sealed_ballots: Iterable[bytes]) -> Iterator[Choice]:
    """Each ballot's choice. The key is loaded once: loading it derives its public half, which costs more than
    opening a ballot."""
    return _opened(SealedBox(PrivateKey(private_key)), sealed_ballots)


def _opened(box: SealedBox | SecretBox, items: Iterable[bytes]) -> Iterator[Choice]:
    for item in items:
        try:
            padded = box.decrypt(item)
        except CryptoError as error:
            raise UnreadableBallot("the ballot does not open with this key") from error
        yield decode_choice(unpad(padded))


def open_ballot(private_key: bytes, sealed: bytes) -> Choice:
    return next(open_ballots(private_key, [sealed]))


def ballot_size(kind: str, candidate_ids: Sequence[str]) -> int:
    """The padded size that fits the longest valid choice of a poll: BALLOT_SIZE, or a multiple of it.

    It depends only on the poll's kind and candidates, so every ballot of the poll still has one length.
    """
    ids = _checked_candidates(candidate_ids)
    needed = LENGTH_PREFIX + len(encode_choice(_largest_choice(kind, ids)))
    return max(1, -(-needed // BALLOT_SIZE)) * BALLOT_SIZE


def _largest_choice(kind: str, ids: tuple[str, ...]) -> Choice:
    _check_kind(kind)
    if kind in (MOTION, SINGLE):
        options = MOTION_OPTIONS if kind == MOTION else (*ids, BLANK)
        return max(options, key=lambda option: len(encode_choice(option)))
    if kind == APPROVAL:
        return list(ids)
    if kind == GRADES:
        return dict.fromkeys(ids, REJECT)
    return [[candidate] for candidate in ids]


def shuffled(items: Iterable[T], rng: random.Random = _SYSTEM_RANDOM) -> list[T]:
    """A new list in uniformly random order (Fisher–Yates), drawn from the system CSPRNG unless rng is given."""
    result = list(items)
    for last in range(len(result) - 1, 0, -1):
        other = rng.randrange(last + 1)
        result[last], result[other] = result[other], result[last]
    return result


def validate_choice(kind: str, choice: object, candidate_ids: Sequence[str]) -> Choice:
    """Return the canonical form of a choice, or raise InvalidBallot if it does not fit the poll.

    Canonical forms: approvals and ranking tiers follow the candidates' order, so the order in which a
    pupil tapped cannot mark a ballot; "blank" approval becomes []; an empty ranking becomes "blank";
    a candidate left without a grade counts as Reject (5).
    """
    _check_kind(kind)
    return _VALIDATORS[kind](choice, _checked_candidates(candidate_ids))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown poll kind {kind!r}")


def _checked_candidates(candidate_ids: Sequence[str]) -> tuple[str, ...]:
    ids = tuple(candidate_ids)
    if not all(isinstance(candidate, str) for candidate in ids) or BLANK in ids or len(set(ids)) != len(ids):
        raise ValueError(f"candidate ids must be distinct strings other than {BLANK!r}")
    return ids


def _valid_motion(choice: object, ids: tuple[str, ...]) -> Choice:
    if isinstance(choice, str) and choice in MOTION_OPTIONS:
        return choice
    raise InvalidBallot(f"a motion ballot is one of {', '.join(MOTION_OPTIONS)}")


def _valid_single(choice: object, ids: tuple[str, ...]) -> Choice:
    if isinstance(choice, str) and (choice == BLANK or choice in ids):
        return choice
    raise InvalidBallot("a single-choice ballot names one candidate or is blank")


def _valid_approval(choice: object, ids: tuple[str, ...]) -> Choice:
    if choice == BLANK:
        return []
    if not isinstance(choice, list):
        raise InvalidBallot("an approval ballot is a list of candidates")
    chosen = _known_and_distinct(choice, ids)
    return [candidate for candidate in ids if candidate in chosen]


def _valid_grades(choice: object, ids: tuple[str, ...]) -> Choice:
    if choice == BLANK:
        return BLANK
    if not isinstance(choice, dict):
        raise InvalidBallot("a grades ballot maps candidates to grades")
    _known_and_distinct(list(choice), ids)
    if not all(_is_grade(grade) for grade in choice.values()):
        raise InvalidBallot(f"a grade is a whole number from {EXCELLENT} to {REJECT}")
    return {candidate: choice.get(candidate, REJECT) for candidate in ids}


def _is_grade(grade: object) -> bool:
    return type(grade) is int and EXCELLENT <= grade <= REJECT


def _valid_ranking(choice: object, ids: tuple[str, ...]) -> Choice:
    if choice == BLANK or choice == []:
        return BLANK
    if not isinstance(choice, list) or not all(isinstance(tier, list) and tier for tier in choice):
        raise InvalidBallot("a ranking ballot is a list of non-empty tiers of candidates")
    _known_and_distinct([candidate for tier in choice for candidate in tier], ids)
    order = _positions(ids)
    return [sorted(tier, key=order.__getitem__) if len(tier) > 1 else tier for tier in choice]


@lru_cache(maxsize=16)
def _positions(ids: tuple[str, ...]) -> dict[str, int]:
    """Each candidate's place in the poll's order (a count validates every ballot against the same ids)."""
    return {candidate: position for position, candidate in enumerate(ids)}


def _known_and_distinct(items: list[object], ids: tuple[str, ...]) -> set[str]:
    known = _positions(ids)
    if not all(isinstance(item, str) and item in known for item in items):
        raise InvalidBallot("the ballot names an unknown candidate")
    if len(set(items)) != len(items):
        raise InvalidBallot("the ballot names a candidate twice")
    return set(items)


_VALIDATORS: dict[str, Callable[[object, tuple[str, ...]], Choice]] = {
    MOTION: _valid_motion,
    SINGLE: _valid_single,
    APPROVAL: _valid_approval,
    GRADES: _valid_grades,
    RANKING: _valid_ranking,
}


def tally(kind: str, choices: Iterable[object], candidate_ids: Sequence[str]) -> Aggregates:
    """Count choices into plain dicts of integers, every candidate present even at zero.

    Each choice is validated again: a ballot that does not fit the poll raises InvalidBallot rather
    than being dropped silently.
    """
    _check_kind(kind)
    ids = _checked_candidates(candidate_ids)
    normalized = [_VALIDATORS[kind](choice, ids) for choice in choices]
    return _COUNTERS[kind](normalized, ids)


def add_aggregates(first: Any, second: Any) -> Any:
    """Two tallies of the same poll added up, as if their ballots had been counted together."""
    if isinstance(first, dict):
        return {key: add_aggregates(value, second[key]) for key, value in first.items()}
    if isinstance(first, list):
        return [add_aggregates(a, b) for a, b in zip(first, second, strict=True)]
    return first + second


def _count_motion(choices: list[Choice], ids: tuple[str, ...]) -> Aggregates:
    counts = dict.fromkeys(MOTION_OPTIONS, 0)
    for choice in choices:
        counts[choice] += 1
    return counts


def _count_single(choices: list[Choice], ids: tuple[str, ...]) -> Aggregates:
    counts = dict.fromkeys(ids, 0)
    for choice in choices:
        if choice != BLANK:
            counts[choice] += 1
    return {"counts": counts, "blank": choices.count(BLANK)}


def _count_approval(choices: list[Choice], ids: tuple[str, ...]) -> Aggregates:
    approvals = dict.fromkeys(ids, 0)
    for choice in choices:
        for candidate in choice:
            approvals[candidate] += 1
    return {"approvals": approvals, "ballots": len(choices), "blank": choices.count([])}


def _count_grades(choices: list[Choice], ids: tuple[str, ...]) -> Aggregates:
    histograms = {candidate: [0] * GRADE_COUNT for candidate in ids}
    for choice in choices:
        if choice != BLANK:
            for candidate, grade in choice.items():
                histograms[candidate][grade] += 1
    return {"histograms": histograms, "blank": choices.count(BLANK)}


def _count_ranking(choices: list[Choice], ids: tuple[str, ...]) -> Aggregates:
    # Each ballot as the level of every candidate; identical ballots are counted once with their number.
    levels = Counter(_levels(choice, ids) for choice in choices if choice != BLANK)
    wins = [[0] * len(ids) for _ in ids]
    pairs = [(a, b) for a in range(len(ids)) for b in range(a + 1, len(ids))]
    for level, ballots in levels.items():
        for a, b in pairs:
            if level[a] < level[b]:
                wins[a][b] += ballots
            elif level[b] < level[a]:
                wins[b][a] += ballots
    pairwise = {a: {b: wins[i][j] for j, b in enumerate(ids) if j != i} for i, a in enumerate(ids)}
    return {"pairwise": pairwise, "blank": choices.count(BLANK)}


def _levels(tiers: list[list[str]], ids: tuple[str, ...]) -> tuple[int, ...]:
    """Each candidate's tier, best first; unranked candidates share one tier below every ranked one."""
    level = dict.fromkeys(ids, len(tiers))
    for position, tier in enumerate(tiers):
        level.update(dict.fromkeys(tier, position))
    return tuple(level[candidate] for candidate in ids)


_COUNTERS: dict[str, Callable[[list[Choice], tuple[str, ...]], Aggregates]] = {
    MOTION: _count_motion,
    SINGLE: _count_single,
    APPROVAL: _count_approval,
    GRADES: _count_grades,
    RANKING: _count_ranking,
}


PARALLEL_FROM = 20_000  # below this a box opens in well under a second on one core


def _by_shares(work: Callable[..., T], sealed: list[bytes], processes: int | None, *args) -> list[T]:
    """work(*args, share) on each share of the box. Opening costs one key exchange per ballot, so a large box is
    opened by several processes at once (forked: the keys never leave this machine's memory)."""
    processes = processes or os.cpu_count() or 1
    if len(sealed) < PARALLEL_FROM or processes < 2:
        return [work(*args, sealed)]
    shares = [sealed[start::processes] for start in range(processes)]
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(work, *([arg] * processes for arg in args), shares))


def open_all(private_key: bytes, sealed_ballots: Iterable[bytes], processes: int | None = None) -> list[Choice]:
    """Every ballot's choice; the order of the result is not kept."""
    shares = _by_shares(_open_share, list(sealed_ballots), processes, private_key)
    return [choice for share in shares for choice in share]


def _open_share(private_key: bytes, sealed: list[bytes]) -> list[Choice]:
    return list(open_ballots(private_key, sealed))


def count_and_reseal(private_key: bytes, sealed_ballots: Iterable[bytes], kind: str, candidate_ids: Sequence[str],
                     recount_key: bytes, size: int = BALLOT_SIZE,
                     processes: int | None = None) -> tuple[Aggregates, list[bytes]]:
    """The box's tally, and its choices re-sealed under the recount key in a new random order (see reseal).

    Each process opens, counts and re-seals its own share; only the shares' tallies and re-sealed ballots come back.
    """
    shares = _by_shares(_count_and_reseal_share, list(sealed_ballots), processes, private_key, kind,
                        tuple(candidate_ids), recount_key, size)
    aggregates = functools.reduce(add_aggregates, (counted for counted, _ in shares))
    return aggregates, shuffled(item for _, resealed in shares for item in resealed)


def _count_and_reseal_share(private_key: bytes, kind: str, candidate_ids: tuple[str, ...], recount_key: bytes,
                            size: int, sealed: list[bytes]) -> tuple[Aggregates, list[bytes]]:
    opened = list(open_ballots(private_key, sealed))
    return tally(kind, opened, candidate_ids), reseal(recount_key, opened, size)


def open_and_tally(
    private_key: bytes, sealed_ballots: Iterable[bytes], kind: str, candidate_ids: Sequence[str],
    processes: int | None = None,
) -> Aggregates:
    """Open every ballot and count; the count does not depend on order."""
    return tally(kind, open_all(private_key, sealed_ballots, processes), candidate_ids)


RECOUNT_KEY_SIZE = SecretBox.KEY_SIZE


def reseal(recount_key: bytes, choices: Iterable[Choice], size: int = BALLOT_SIZE) -> list[bytes]:
    """The opened choices sealed again under a fresh symmetric key, in a new random order.

    Each gets a random nonce, so nothing re-sealed is byte-equal to a cast ballot or to another re-sealed one: a
    link taken to a cast ballot while the poll was open says nothing about these (docs/ballot-secrecy.md).
    """
    box = SecretBox(recount_key)
    return [bytes(box.encrypt(pad(encode_choice(choice), size))) for choice in shuffled(choices)]


def open_resealed(recount_key: bytes, resealed: Iterable[bytes]) -> Iterator[Choice]:
    return _opened(SecretBox(recount_key), resealed)
