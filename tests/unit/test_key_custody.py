"""Key custody alone: the server-wrapped key and the three key cards."""

import json
from itertools import permutations

import pytest

from app.domain.ballot_box import make_poll_keypair
from app.domain.key_custody import (
    ALPHABET,
    InvalidCard,
    KeyCard,
    WrongKey,
    dump_wrapped_copies,
    load_wrapped_copies,
    make_key_cards,
    open_with_cards,
    parse_card_code,
    unwrap_private_key,
    wrap_private_key,
)

SECRET = b"a server secret that is long enough"
_, PRIVATE_KEY = make_poll_keypair()
CARDS, WRAPPED = make_key_cards(PRIVATE_KEY)


# Default mode: the server secret


def test_wrapped_key_unwraps_with_the_same_secret_and_poll():
    wrapped = wrap_private_key(PRIVATE_KEY, SECRET, "poll-1")
    assert PRIVATE_KEY not in wrapped
    assert unwrap_private_key(wrapped, SECRET, "poll-1") == PRIVATE_KEY


KEK = bytes(range(32))


def test_a_key_wrapped_with_the_key_store_key_needs_it():
    wrapped = wrap_private_key(PRIVATE_KEY, SECRET, "poll-1", KEK)
    assert unwrap_private_key(wrapped, SECRET, "poll-1", KEK) == PRIVATE_KEY
    for kek in (b"", bytes(32), KEK[::-1]):
        with pytest.raises(WrongKey):
            unwrap_private_key(wrapped, SECRET, "poll-1", kek)


def test_key_cards_made_with_the_key_store_key_open_nothing_without_it():
    cards, wrapped = make_key_cards(PRIVATE_KEY, KEK)
    assert open_with_cards(cards[0], cards[2], wrapped, KEK) == PRIVATE_KEY
    for kek in (b"", bytes(32)):
        with pytest.raises(WrongKey):
            open_with_cards(cards[0], cards[2], wrapped, kek)


def test_a_key_store_key_of_another_size_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        wrap_private_key(PRIVATE_KEY, SECRET, "poll-1", bytes(16))


def test_wrapping_twice_gives_different_bytes():
    assert wrap_private_key(PRIVATE_KEY, SECRET, "poll-1") != wrap_private_key(PRIVATE_KEY, SECRET, "poll-1")


@pytest.mark.parametrize(("secret", "poll_uid"), [(b"another secret", "poll-1"), (SECRET, "poll-2")])
def test_another_secret_or_poll_cannot_unwrap(secret, poll_uid):
    wrapped = wrap_private_key(PRIVATE_KEY, SECRET, "poll-1")
    with pytest.raises(WrongKey):
        unwrap_private_key(wrapped, secret, poll_uid)


def test_a_tampered_wrapped_key_cannot_unwrap():
    wrapped = bytearray(wrap_private_key(PRIVATE_KEY, SECRET, "poll-1"))
    wrapped[-1] ^= 1
    with pytest.raises(WrongKey):
        unwrap_private_key(bytes(wrapped), SECRET, "poll-1")


def test_a_secret_longer_than_a_blake2b_key_works():
    long_secret = b"s" * 200
    wrapped = wrap_private_key(PRIVATE_KEY, long_secret, "poll-1")
    assert unwrap_private_key(wrapped, long_secret, "poll-1") == PRIVATE_KEY
    with pytest.raises(WrongKey):
        unwrap_private_key(wrapped, b"s" * 199, "poll-1")


def test_an_empty_secret_is_refused():
    with pytest.raises(ValueError):
        wrap_private_key(PRIVATE_KEY, b"", "poll-1")


# Ceremony mode: any two of three cards


def test_three_cards_numbered_one_to_three():
    assert [card.index for card in CARDS] == [1, 2, 3]
    assert len({card.secret for card in CARDS}) == 3
    assert set(WRAPPED) == {(1, 2), (1, 3), (2, 3)}


@pytest.mark.parametrize(("first", "second"), list(permutations(range(3), 2)))
def test_any_two_cards_open_the_box(first, second):
    assert open_with_cards(CARDS[first], CARDS[second], WRAPPED) == PRIVATE_KEY


@pytest.mark.parametrize("card", range(3))
def test_the_same_card_twice_does_not_open(card):
    with pytest.raises(WrongKey):
        open_with_cards(CARDS[card], CARDS[card], WRAPPED)


def test_a_card_from_another_poll_does_not_open():
    other_cards, _ = make_key_cards(make_poll_keypair()[1])
    with pytest.raises(WrongKey):
        open_with_cards(CARDS[0], other_cards[1], WRAPPED)
    with pytest.raises(WrongKey):
        open_with_cards(other_cards[0], other_cards[1], WRAPPED)


def test_no_card_secret_appears_in_the_stored_copies():
    stored = json.dumps(dump_wrapped_copies(WRAPPED)).encode()
    assert PRIVATE_KEY not in b"".join(WRAPPED.values())
    assert not any(card.secret in b"".join(WRAPPED.values()) or card.code.encode() in stored for card in CARDS)


def test_stored_copies_survive_a_json_round_trip():
    loaded = load_wrapped_copies(json.loads(json.dumps(dump_wrapped_copies(WRAPPED))))
    assert loaded == WRAPPED
    assert open_with_cards(CARDS[2], CARDS[0], loaded) == PRIVATE_KEY


@pytest.mark.parametrize(
    "data",
    [{}, {"1-2": "AAAA", "1-3": "AAAA"}, {"1-2": "AAAA", "1-3": "AAAA", "2-3": "not base64!"}, {"12": "AAAA"}],
)
def test_malformed_stored_copies_are_refused(data):
    with pytest.raises(ValueError):
        load_wrapped_copies(data)


# Card codes


def test_a_card_code_reads_back_as_the_same_card():
    for card in CARDS:
        assert parse_card_code(card.code) == card


def test_card_code_format():
    groups = CARDS[0].code.split("-")
    assert [len(group) for group in groups] == [4] * 7
    assert all(char in ALPHABET for char in "".join(groups))


def test_card_codes_forgive_case_spaces_dashes_and_look_alikes():
    card = KeyCard(2, bytes(range(16)))
    code = card.code
    assert parse_card_code(code.lower()) == card
    assert parse_card_code(code.replace("-", " ")) == card
    assert parse_card_code(code.replace("-", "")) == card
    assert parse_card_code(f"  {code.replace('-', ' - ')} ") == card
    assert parse_card_code(code.replace("0", "o").replace("1", "l")) == card


def test_every_single_typo_is_caught():
    code = CARDS[1].code.replace("-", "")
    for position, original in enumerate(code):
        for typo in ALPHABET.replace(original, ""):
            with pytest.raises(InvalidCard):
                parse_card_code(code[:position] + typo + code[position + 1 :])


def test_every_swap_of_neighbours_is_caught():
    code = CARDS[2].code.replace("-", "")
    for position in range(len(code) - 1):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code:
            with pytest.raises(InvalidCard):
                parse_card_code(swapped)


FIXED_CARD = KeyCard(2, bytes(range(16)))  # parameters must not change between collections (parallel runs)


@pytest.mark.parametrize("text", ["", "hello", "U" * 28, "0" * 28, FIXED_CARD.code[:-1], FIXED_CARD.code + "0"])
def test_text_that_is_not_a_card_is_refused(text):
    with pytest.raises(InvalidCard):
        parse_card_code(text)


def test_a_card_index_outside_one_to_three_is_refused():
    with pytest.raises(InvalidCard):
        KeyCard(4, bytes(16))
    with pytest.raises(InvalidCard):
        KeyCard(1, bytes(15))


def test_a_card_does_not_show_its_secret_in_logs():
    assert CARDS[0].secret.hex() not in repr(CARDS[0])
    assert str(CARDS[0].secret) not in repr(CARDS[0])
