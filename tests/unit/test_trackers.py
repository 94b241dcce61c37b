"""Ballot trackers alone: word lists and the words derived from sealed ballots."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nacl.encoding import RawEncoder
from nacl.hash import blake2b

from app.domain.trackers import (
    ENGLISH_WORDS,
    FRENCH_WORDS,
    WORD_LISTS,
    sorted_trackers,
    tracker_indices,
    tracker_words,
    word_list,
)


@pytest.mark.parametrize("words", [ENGLISH_WORDS, FRENCH_WORDS], ids=["en", "fr"])
def test_each_word_list_has_256_distinct_simple_words(words):
    assert len(words) == 256
    assert len(set(words)) == 256
    assert all(word.isalpha() and word == word.lower() for word in words)


def test_no_word_is_unkind():
    unkind = set("dead death kill gun blood sad ugly stupid fat mort triste bête moche idiot".split())
    assert not unkind & (set(ENGLISH_WORDS) | set(FRENCH_WORDS))


@given(st.binary(min_size=1))
def test_a_tracker_is_three_indices_into_the_lists(sealed):
    indices = tracker_indices(sealed)
    assert len(indices) == 3
    assert all(0 <= index < 256 for index in indices)
    assert indices == tracker_indices(sealed)


def test_trackers_already_shown_keep_their_words():
    assert tracker_indices(b"a sealed ballot") == (45, 138, 39)
    assert tracker_indices(bytes(560)) == (60, 82, 50)


@given(st.binary(max_size=2000))
def test_a_tracker_is_libsodiums_personalised_blake2b(sealed):
    digest = blake2b(sealed, digest_size=3, person=b"agora:tracker", encoder=RawEncoder)
    assert tracker_indices(sealed) == tuple(digest)


def test_different_ballots_get_different_trackers():
    trackers = {tracker_indices(number.to_bytes(4, "big")) for number in range(2000)}
    assert len(trackers) > 1990  # 256³ possibilities: collisions are rare, not impossible


def test_tracker_words_in_english_and_french():
    assert tracker_words((0, 1, 255)) == f"{ENGLISH_WORDS[0]} · {ENGLISH_WORDS[1]} · {ENGLISH_WORDS[255]}"
    assert tracker_words((0, 1, 2), "fr", separator="-") == "-".join(FRENCH_WORDS[:3])


def test_locales_choose_their_language_and_unknown_ones_fall_back_to_english():
    assert word_list("fr_FR") is FRENCH_WORDS
    assert word_list("fr-CA") is FRENCH_WORDS
    assert word_list("de") is ENGLISH_WORDS
    assert set(WORD_LISTS) == {"en", "fr"}


@pytest.mark.parametrize("indices", [(1, 2), (1, 2, 3, 4), (0, 1, 256), (-1, 0, 0)])
def test_malformed_trackers_are_refused(indices):
    with pytest.raises(ValueError):
        tracker_words(indices)


def test_the_class_list_is_alphabetical_and_keeps_every_ballot():
    trackers = [tracker_indices(bytes([number])) for number in range(30)]
    listed = sorted_trackers([*trackers, trackers[0]], "en")
    assert len(listed) == 31
    assert listed == sorted(listed)
    assert tracker_words(trackers[5]) in listed


def test_accents_do_not_push_french_words_to_the_end():
    firsts = [FRENCH_WORDS.index(word) for word in ("zèbre", "éléphant", "abeille")]
    listed = sorted_trackers([(first, 0, 0) for first in firsts], "fr")
    assert [line.split(" · ")[0] for line in listed] == ["abeille", "éléphant", "zèbre"]
