"""Keeping a poll's private key: wrapped under the server secret, or under three key cards of which any two open it.

Either way the wrapping also takes the poll's key-store key (kek), which lives outside the database and is destroyed
once the poll is counted or cancelled: from then on no secret, card or copy of the database opens the wrapped key.
An empty kek is how polls opened before the key store existed were wrapped.
"""

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

import nacl.utils
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.secret import SecretBox

PRIVATE_KEY_SIZE = 32
CARD_COUNT = 3
CARD_SECRET_SIZE = 16
CARD_INDICES = tuple(range(1, CARD_COUNT + 1))
PAIRS: tuple[tuple[int, int], ...] = tuple(combinations(CARD_INDICES, 2))

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
ALIASES = {"O": "0", "I": "1", "L": "1"}
IGNORED = " -_\t\n"
SYMBOL_BITS = 5
INDEX_BITS = 2
DATA_SYMBOLS = (8 * CARD_SECRET_SIZE + INDEX_BITS) // SYMBOL_BITS
CODE_SYMBOLS = DATA_SYMBOLS + 2
GROUP = 4

WrappedCopies = dict[tuple[int, int], bytes]


class CustodyError(ValueError):
    """Base class of every key custody problem."""


class WrongKey(CustodyError):
    """The secret, poll or cards given do not open this wrapped key."""


class InvalidCard(CustodyError):
    """The text typed is not a valid key card code."""


KEK_SIZES = (0, 32)


def wrap_private_key(private_key: bytes, server_secret: bytes, poll_uid: str, kek: bytes = b"") -> bytes:
    """Encrypt the key under one derived from the server secret, the poll and its key-store key."""
    _check_private_key(private_key)
    return bytes(SecretBox(_server_key(server_secret, poll_uid, kek)).encrypt(private_key))


def unwrap_private_key(wrapped: bytes, server_secret: bytes, poll_uid: str, kek: bytes = b"") -> bytes:
    return _decrypt(_server_key(server_secret, poll_uid, kek), wrapped)


def _server_key(server_secret: bytes, poll_uid: str, kek: bytes) -> bytes:
    if not server_secret:
        raise ValueError("the server secret is empty")
    _check_kek(kek)
    # BLAKE2b keys are at most 64 bytes, so the secret, of any length, is first condensed.
    root = blake2b(server_secret, digest_size=32, person=b"agora:secret", encoder=RawEncoder)
    material = poll_uid.encode("utf-8") + kek  # the kek has a fixed size, so the two parts cannot be confused
    return blake2b(material, digest_size=32, key=root, person=b"agora:poll-key", encoder=RawEncoder)


def _check_kek(kek: bytes) -> None:
    if len(kek) not in KEK_SIZES:
        raise ValueError("a key-store key has 32 bytes")


def _decrypt(key: bytes, wrapped: bytes) -> bytes:
    try:
        private_key = SecretBox(key).decrypt(wrapped)
    except CryptoError as error:
        raise WrongKey("this key does not open the poll's box") from error
    _check_private_key(private_key)
    return private_key


def _check_private_key(private_key: bytes) -> None:
    if len(private_key) != PRIVATE_KEY_SIZE:
        raise ValueError(f"a poll private key has {PRIVATE_KEY_SIZE} bytes")


@dataclass(frozen=True)
class KeyCard:
    """One of the three cards; its code is what the holder types."""

    index: int
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if self.index not in CARD_INDICES or len(self.secret) != CARD_SECRET_SIZE:
            raise InvalidCard("a key card has an index from 1 to 3 and a 16-byte secret")

    @property
    def code(self) -> str:
        return format_card_code(self)


def make_key_cards(private_key: bytes, kek: bytes = b"") -> tuple[list[KeyCard], WrappedCopies]:
    """Three fresh cards, and one copy of the key wrapped for each pair of them (and the key-store key).

    Any two cards open the box and no single card does, without secret-sharing arithmetic.
    """
    _check_private_key(private_key)
    cards = [KeyCard(index, nacl.utils.random(CARD_SECRET_SIZE)) for index in CARD_INDICES]
    wrapped = {
        (a.index, b.index): bytes(SecretBox(_pair_key(a, b, kek)).encrypt(private_key))
        for a, b in combinations(cards, 2)
    }
    return cards, wrapped


def open_with_cards(card_a: KeyCard, card_b: KeyCard, wrapped_by_pair: Mapping[tuple[int, int], bytes],
                    kek: bytes = b"") -> bytes:
    pair = tuple(sorted((card_a.index, card_b.index)))
    if pair not in wrapped_by_pair:
        raise WrongKey("two different cards are needed")
    return _decrypt(_pair_key(card_a, card_b, kek), wrapped_by_pair[pair])


def _pair_key(card_a: KeyCard, card_b: KeyCard, kek: bytes) -> bytes:
    _check_kek(kek)
    first, second = sorted((card_a, card_b), key=lambda card: card.index)
    material = bytes((first.index, second.index)) + first.secret + second.secret
    return blake2b(material, digest_size=32, key=kek, person=b"agora:card-pair", encoder=RawEncoder)


def dump_wrapped_copies(wrapped_by_pair: Mapping[tuple[int, int], bytes]) -> dict[str, str]:
    """A JSON-safe form: {"1-2": base64, ...}."""
    return {f"{a}-{b}": base64.b64encode(wrapped).decode("ascii") for (a, b), wrapped in wrapped_by_pair.items()}


def load_wrapped_copies(data: Mapping[str, str]) -> WrappedCopies:
    try:
        loaded = {_parse_pair(name): base64.b64decode(text, validate=True) for name, text in data.items()}
    except (binascii.Error, ValueError) as error:
        raise ValueError("malformed wrapped key copies") from error
    if set(loaded) != set(PAIRS):
        raise ValueError("malformed wrapped key copies")
    return loaded


def _parse_pair(name: str) -> tuple[int, int]:
    a, b = name.split("-")
    return int(a), int(b)


def format_card_code(card: KeyCard) -> str:
    """28 Crockford base32 symbols in groups of four: the index and secret (26), then two check symbols.

    The check symbols make the symbols in even places, and those in odd places, each add up to a
    multiple of 32: any single mistyped symbol, or two neighbours swapped, breaks one of the sums.
    """
    value = (card.index << (8 * CARD_SECRET_SIZE)) | int.from_bytes(card.secret, "big")
    symbols = [(value >> (SYMBOL_BITS * shift)) & 31 for shift in reversed(range(DATA_SYMBOLS))]
    symbols += [-sum(symbols[0::2]) % 32, -sum(symbols[1::2]) % 32]
    text = "".join(ALPHABET[symbol] for symbol in symbols)
    return "-".join(text[start : start + GROUP] for start in range(0, len(text), GROUP))


def parse_card_code(text: str) -> KeyCard:
    """Read a typed card code, forgiving case, spaces, dashes and the look-alikes O, I and L."""
    symbols = _symbols(text)
    if len(symbols) != CODE_SYMBOLS or sum(symbols[0::2]) % 32 or sum(symbols[1::2]) % 32:
        raise InvalidCard("this is not a valid key card code")
    value = 0
    for symbol in symbols[:DATA_SYMBOLS]:
        value = (value << SYMBOL_BITS) | symbol
    secret_bits = 8 * CARD_SECRET_SIZE
    return KeyCard(value >> secret_bits, (value & ((1 << secret_bits) - 1)).to_bytes(CARD_SECRET_SIZE, "big"))


def _symbols(text: str) -> list[int]:
    cleaned = "".join(ALIASES.get(char, char) for char in text.upper() if char not in IGNORED)
    if not all(char in ALPHABET for char in cleaned):
        raise InvalidCard("this is not a valid key card code")
    return [ALPHABET.index(char) for char in cleaned]
