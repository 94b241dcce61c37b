"""Secret ballots: validating, padding, sealing, shuffling, opening and counting them, with no web or database code."""

import functools
import json
import os
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import nacl.utils
from nacl.bindings import crypto_box_SEALBYTES, crypto_secretbox
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from app.domain.forked_work import forked_blocks, map_forked, split

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
    if len(padded) < end or padded.count(0, end) != len(padded) - end:
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
        yield decode_choice(unpad(_opened_plaintext(box, item)))


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


def shuffled(items: Iterable[T], rng: random.Random | None = None) -> list[T]:
    """A new list in uniformly random order: Fisher–Yates with rng when one is given, else random_order()."""
    result = list(items)
    if rng is None:
        return [result[index] for index in random_order(len(result))]
    for last in range(len(result) - 1, 0, -1):
        other = rng.randrange(last + 1)
        result[last], result[other] = result[other], result[last]
    return result


def random_order(count: int, random_bytes: Callable[[int], bytes] = os.urandom) -> list[int]:
    """A uniformly random permutation of range(count): the positions sorted by random 64-bit keys drawn at once
    from the system CSPRNG (a hundred thousand draws one by one cost twice as much). Two equal keys would keep
    their input order, so the keys are drawn again in that unlikely case."""
    while True:
        keys = memoryview(random_bytes(8 * count)).cast("Q")
        if len(set(keys)) == count:
            return sorted(range(count), key=keys.__getitem__)


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
    if not choice.keys() <= _positions(ids).keys():  # the keys of a dict are distinct
        raise InvalidBallot("the ballot names an unknown candidate")
    if not _are_grades(choice.values()):
        raise InvalidBallot(f"a grade is a whole number from {EXCELLENT} to {REJECT}")
    return {candidate: choice.get(candidate, REJECT) for candidate in ids}


_GRADES = frozenset(range(EXCELLENT, REJECT + 1))


def _are_grades(values: Iterable[object]) -> bool:
    # Types first: True and 1.0 equal 1 but are no grade.
    return set(map(type, values)) <= {int} and set(values) <= _GRADES


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
    return _COUNTERS[kind]([(_VALIDATORS[kind](choice, ids), 1) for choice in choices], ids)


def add_aggregates(first: Any, second: Any) -> Any:
    """Two tallies of the same poll added up, as if their ballots had been counted together."""
    if isinstance(first, dict):
        return {key: add_aggregates(value, second[key]) for key, value in first.items()}
    if isinstance(first, list):
        return [add_aggregates(a, b) for a, b in zip(first, second, strict=True)]
    return first + second


# The counters take each valid choice with its number of ballots: a count decodes each distinct ballot once.
Counted = list[tuple[Choice, int]]


def _count_motion(ballots: Counted, ids: tuple[str, ...]) -> Aggregates:
    counts = dict.fromkeys(MOTION_OPTIONS, 0)
    for choice, number in ballots:
        counts[choice] += number
    return counts


def _count_single(ballots: Counted, ids: tuple[str, ...]) -> Aggregates:
    counts = dict.fromkeys(ids, 0)
    for choice, number in ballots:
        if choice != BLANK:
            counts[choice] += number
    return {"counts": counts, "blank": _number_of(ballots, BLANK)}


def _count_approval(ballots: Counted, ids: tuple[str, ...]) -> Aggregates:
    approvals = dict.fromkeys(ids, 0)
    for choice, number in ballots:
        for candidate in choice:
            approvals[candidate] += number
    return {"approvals": approvals, "ballots": sum(number for _, number in ballots), "blank": _number_of(ballots, [])}


def _count_grades(ballots: Counted, ids: tuple[str, ...]) -> Aggregates:
    histograms = {candidate: [0] * GRADE_COUNT for candidate in ids}
    for choice, number in ballots:
        if choice != BLANK:
            for candidate, grade in choice.items():
                histograms[candidate][grade] += number
    return {"histograms": histograms, "blank": _number_of(ballots, BLANK)}


def _count_ranking(ballots: Counted, ids: tuple[str, ...]) -> Aggregates:
    """How many ballots put each candidate above each other one; unranked candidates share a tier below every ranked
    one. Each candidate's wins are one integer holding a field per opponent, wide enough for every ballot, so that a
    ballot adds to all of a candidate's fields at once: the fields of everyone in a lower tier."""
    width = max(1, sum(number for _, number in ballots)).bit_length()
    fields = {candidate: 1 << (width * index) for index, candidate in enumerate(ids)}
    wins = dict.fromkeys(ids, 0)
    for choice, number in ballots:
        if choice != BLANK:
            _add_wins(wins, choice, fields, number)
    mask = (1 << width) - 1
    pairwise = {a: {b: wins[a] >> (width * j) & mask for j, b in enumerate(ids) if b != a} for a in ids}
    return {"pairwise": pairwise, "blank": _number_of(ballots, BLANK)}


def _add_wins(wins: dict[str, int], tiers: list[list[str]], fields: dict[str, int], number: int) -> None:
    below = sum(fields.values())
    for tier in tiers:
        for candidate in tier:
            below -= fields[candidate]
        for candidate in tier:
            wins[candidate] += below * number


def _number_of(ballots: Counted, wanted: Choice) -> int:
    return sum(number for choice, number in ballots if choice == wanted)


_COUNTERS: dict[str, Callable[[Counted, tuple[str, ...]], Aggregates]] = {
    MOTION: _count_motion,
    SINGLE: _count_single,
    APPROVAL: _count_approval,
    GRADES: _count_grades,
    RANKING: _count_ranking,
}


PARALLEL_FROM = 20_000  # below this a box opens in well under a second on one core


def _by_parts(work: Callable[[list[bytes]], T], sealed: list[bytes], processes: int | None) -> list[T]:
    """work(part) on each part of the box, in order. Opening costs one key exchange per ballot, so a large box is
    opened by one forked process per CPU."""
    processes = processes or os.cpu_count() or 1
    if len(sealed) < PARALLEL_FROM or processes < 2:
        return [work(sealed)]
    return map_forked(work, split(sealed, processes))


def open_all(private_key: bytes, sealed_ballots: Iterable[bytes], processes: int | None = None) -> list[Choice]:
    """Every ballot's choice; the order of the result is not kept."""
    parts = _by_parts(functools.partial(_open_part, private_key), list(sealed_ballots), processes)
    return [choice for part in parts for choice in part]


def _open_part(private_key: bytes, sealed: list[bytes]) -> list[Choice]:
    return list(open_ballots(private_key, sealed))


def count_and_reseal(private_key: bytes, sealed_ballots: Iterable[bytes], kind: str, candidate_ids: Sequence[str],
                     recount_key: bytes, size: int = BALLOT_SIZE, processes: int | None = None,
                     while_opening: Callable[[], None] | None = None) -> tuple[Aggregates, list[bytes]]:
    """The box's tally, and its choices re-sealed under the recount key in a new random order (see reseal)."""
    resealed: list[bytes] = []
    aggregates = count_resealing_into(resealed.extend, private_key, sealed_ballots, kind, candidate_ids, recount_key,
                                      size, processes, while_opening)
    return aggregates, resealed


RESEALED_BLOCK = 2_000  # ballots: small enough to store the first ones soon, large enough to cost little to send


def count_resealing_into(store: Callable[[list[bytes]], None], private_key: bytes, sealed_ballots: Iterable[bytes],
                         kind: str, candidate_ids: Sequence[str], recount_key: bytes, size: int = BALLOT_SIZE,
                         processes: int | None = None, while_opening: Callable[[], None] | None = None) -> Aggregates:
    """The box's tally; its choices, re-sealed under the recount key, go to store() block after block in a new
    random order while the rest of the box is still being opened.

    The box is shuffled first, then cut into blocks that the processes open, count and re-seal in turn; only each
    block's tally and re-sealed ballots come back. while_opening() runs before the first block is stored.
    """
    _check_kind(kind)
    work = functools.partial(_count_and_reseal_part, private_key, kind, _checked_candidates(candidate_ids),
                             recount_key, size)
    box, processes = shuffled(sealed_ballots), processes or os.cpu_count() or 1
    if len(box) < PARALLEL_FROM or processes < 2:
        return _counted_here(work, box, store, while_opening)
    blocks = [box[start:start + RESEALED_BLOCK] for start in range(0, len(box), RESEALED_BLOCK)]
    with forked_blocks(work, blocks, processes) as results:
        if while_opening is not None:
            while_opening()
        return functools.reduce(add_aggregates, (_stored(store, *result) for result in results))


def _counted_here(work: Callable[[list[bytes]], tuple[Aggregates, list[bytes]]], box: list[bytes],
                  store: Callable[[list[bytes]], None], while_opening: Callable[[], None] | None) -> Aggregates:
    if while_opening is not None:
        while_opening()
    return _stored(store, *work(box))


def _stored(store: Callable[[list[bytes]], None], aggregates: Aggregates, resealed: list[bytes]) -> Aggregates:
    store(resealed)
    return aggregates


def _count_and_reseal_part(private_key: bytes, kind: str, ids: tuple[str, ...], recount_key: bytes,
                           size: int, sealed: list[bytes]) -> tuple[Aggregates, list[bytes]]:
    """The part's tally and its ballots re-sealed in the same order. Identical plaintexts (a motion has four) are
    decoded, validated and encoded again in the one canonical form once: nothing but the choice itself passes from
    a cast ballot to its re-sealed one, not even a way of writing it."""
    box = SealedBox(PrivateKey(private_key))
    plaintexts = [_opened_plaintext(box, item) for item in sealed]
    choices = {padded: (_VALIDATORS[kind](decode_choice(unpad(padded)), ids), number)
               for padded, number in Counter(plaintexts).items()}
    canonical = {padded: pad(encode_choice(choice), size) for padded, (choice, _number) in choices.items()}
    return (_COUNTERS[kind](list(choices.values()), ids),
            _sealed_secretly(recount_key, [canonical[item] for item in plaintexts]))


def _opened_plaintext(box: SealedBox | SecretBox, item: bytes) -> bytes:
    try:
        return box.decrypt(item)
    except CryptoError as error:
        raise UnreadableBallot("the ballot does not open with this key") from error


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
    return _sealed_secretly(recount_key, [pad(encode_choice(choice), size) for choice in shuffled(choices)])


def _sealed_secretly(key: bytes, plaintexts: list[bytes]) -> list[bytes]:
    """Each plaintext encrypted under the key with a random nonce of its own, laid out as SecretBox.encrypt does
    (nonce, then ciphertext); the nonces are drawn at once, which costs less than drawing them one by one."""
    nonces = nacl.utils.random(SecretBox.NONCE_SIZE * len(plaintexts))
    at = range(0, len(nonces), SecretBox.NONCE_SIZE)
    return [nonce + crypto_secretbox(plaintext, nonce, key)
            for nonce, plaintext in zip((nonces[start:start + SecretBox.NONCE_SIZE] for start in at), plaintexts,
                                        strict=True)]


def open_resealed(recount_key: bytes, resealed: Iterable[bytes]) -> Iterator[Choice]:
    return _opened(SecretBox(recount_key), resealed)
