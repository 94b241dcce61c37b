"""The ballot box alone: padding, sealing, validating, shuffling and counting, without Flask."""

import os
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.public import PublicKey, SealedBox
from nacl.secret import SecretBox

from app.domain.ballot_box import (
    APPROVAL,
    BALLOT_SIZE,
    BLANK,
    GRADES,
    KINDS,
    MOTION,
    MOTION_OPTIONS,
    RANKING,
    RECOUNT_KEY_SIZE,
    REJECT,
    SEAL_OVERHEAD,
    SINGLE,
    BallotTooLarge,
    InvalidBallot,
    UnreadableBallot,
    add_aggregates,
    ballot_size,
    count_and_reseal,
    decode_choice,
    encode_choice,
    make_poll_keypair,
    open_all,
    open_and_tally,
    open_ballot,
    open_resealed,
    pad,
    random_order,
    reseal,
    seal,
    shuffled,
    tally,
    unpad,
    validate_choice,
)

PUBLIC_KEY, PRIVATE_KEY = make_poll_keypair()
RECOUNT_KEY = bytes(range(RECOUNT_KEY_SIZE))
IDS = ["ann", "bob", "cat"]

candidate_ids = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyzé0123456789", min_size=1, max_size=12).filter(lambda text: text != BLANK),
    min_size=1,
    max_size=8,
    unique=True,
)


@st.composite
def tiers(draw, ids: list[str]) -> list[list[str]]:
    order = draw(st.permutations(ids))
    ranked = order[: draw(st.integers(1, len(order)))]
    cuts = sorted(draw(st.sets(st.integers(1, len(ranked) - 1)))) if len(ranked) > 1 else []
    bounds = [0, *cuts, len(ranked)]
    return [list(ranked[start:end]) for start, end in zip(bounds, bounds[1:], strict=False)]


def choices_for(kind: str, ids: list[str]) -> st.SearchStrategy:
    candidate = st.sampled_from(ids)
    return {
        MOTION: st.sampled_from(MOTION_OPTIONS),
        SINGLE: st.sampled_from([*ids, BLANK]),
        APPROVAL: st.lists(candidate, unique=True),
        GRADES: st.just(BLANK) | st.dictionaries(candidate, st.integers(0, REJECT)),
        RANKING: st.just(BLANK) | tiers(ids),
    }[kind]


@st.composite
def polls(draw, max_ballots: int = 12) -> tuple[str, list[str], list]:
    kind = draw(st.sampled_from(KINDS))
    ids = draw(candidate_ids)
    return kind, ids, draw(st.lists(choices_for(kind, ids), max_size=max_ballots))


# Encoding and padding


@given(polls())
def test_encoding_round_trips(poll):
    for choice in poll[2]:
        assert decode_choice(encode_choice(choice)) == choice


def test_encoding_is_canonical():
    assert encode_choice({"bob": 1, "ann": 0}) == b'{"ann":0,"bob":1}'
    assert encode_choice(["é"]) == '["é"]'.encode()


def test_decoding_garbage_is_unreadable():
    with pytest.raises(UnreadableBallot):
        decode_choice(b"\xff{not json")


@given(st.binary(max_size=BALLOT_SIZE - 2))
def test_padding_round_trips_to_a_fixed_size(data):
    padded = pad(data)
    assert len(padded) == BALLOT_SIZE
    assert unpad(padded) == data


def test_padding_what_does_not_fit_raises():
    pad(b"x" * (BALLOT_SIZE - 2))
    with pytest.raises(BallotTooLarge) as caught:
        pad(b"x" * (BALLOT_SIZE - 1))
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("padded", [b"", b"\x00", b"\x00\x05abc", b"\x00\x01a\x00\x01"])
def test_unpad_refuses_malformed_padding(padded):
    with pytest.raises(UnreadableBallot):
        unpad(padded)


# Sealing and opening


@settings(max_examples=40)
@given(polls(max_ballots=4))
def test_seal_then_open_returns_the_choice(poll):
    for choice in poll[2]:
        assert open_ballot(PRIVATE_KEY, seal(PUBLIC_KEY, choice)) == choice


@settings(max_examples=40)
@given(polls(max_ballots=6))
def test_every_sealed_ballot_of_a_poll_has_the_same_length(poll):
    lengths = {len(seal(PUBLIC_KEY, choice)) for choice in [BLANK, *poll[2]]}
    assert lengths == {BALLOT_SIZE + SEAL_OVERHEAD}


def test_short_and_long_choices_seal_to_the_same_length():
    many = [f"candidate-{number}" for number in range(20)]
    assert len(seal(PUBLIC_KEY, BLANK)) == len(seal(PUBLIC_KEY, many))


def test_sealing_twice_gives_different_bytes():
    assert seal(PUBLIC_KEY, "for") != seal(PUBLIC_KEY, "for")


def test_another_polls_key_cannot_open():
    _, other_private_key = make_poll_keypair()
    with pytest.raises(UnreadableBallot):
        open_ballot(other_private_key, seal(PUBLIC_KEY, "for"))


def test_a_tampered_ballot_cannot_open():
    sealed = bytearray(seal(PUBLIC_KEY, "for"))
    sealed[-1] ^= 1
    with pytest.raises(UnreadableBallot):
        open_ballot(PRIVATE_KEY, bytes(sealed))


long_candidate_ids = st.lists(
    st.text("abcdé€🦊", min_size=1, max_size=40).filter(lambda text: text != BLANK),
    min_size=1,
    max_size=40,
    unique=True,
)


@given(st.data())
def test_any_valid_choice_fits_the_poll_ballot_size(data):
    kind = data.draw(st.sampled_from(KINDS))
    ids = data.draw(long_candidate_ids)
    choice = validate_choice(kind, data.draw(choices_for(kind, ids)), ids)
    size = ballot_size(kind, ids)
    assert size % BALLOT_SIZE == 0
    assert len(pad(encode_choice(choice), size)) == size


WORST_CASES = {
    MOTION: lambda ids: "abstain",
    SINGLE: lambda ids: ids[-1],
    APPROVAL: lambda ids: ids,
    GRADES: lambda ids: dict.fromkeys(ids, REJECT),
    RANKING: lambda ids: [[candidate] for candidate in ids],
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_longest_choice_fits_the_poll_ballot_size(kind):
    ids = [f"🦊 candidate number {number}" for number in range(60)]
    choice = validate_choice(kind, WORST_CASES[kind](ids), ids)
    pad(encode_choice(choice), ballot_size(kind, ids))


def test_ballot_size_grows_for_long_candidate_lists():
    ids = [f"candidate-number-{number}" for number in range(40)]
    assert ballot_size(MOTION, ids) == BALLOT_SIZE
    assert ballot_size(RANKING, ids) > BALLOT_SIZE
    sealed = seal(PUBLIC_KEY, [[candidate] for candidate in ids], ballot_size(RANKING, ids))
    assert len(sealed) == ballot_size(RANKING, ids) + SEAL_OVERHEAD
    with pytest.raises(BallotTooLarge):
        seal(PUBLIC_KEY, [[candidate] for candidate in ids])


# Validation


@given(polls())
def test_valid_choices_validate_to_a_stable_canonical_form(poll):
    kind, ids, choices = poll
    for choice in choices:
        normalized = validate_choice(kind, choice, ids)
        assert validate_choice(kind, normalized, ids) == normalized


@pytest.mark.parametrize(
    ("kind", "choice"),
    [
        (MOTION, "yes"),
        (MOTION, 1),
        (MOTION, None),
        (MOTION, ["for"]),
        (SINGLE, "zed"),
        (SINGLE, 3),
        (SINGLE, ["ann"]),
        (SINGLE, None),
        (APPROVAL, "ann"),
        (APPROVAL, ["ann", "ann"]),
        (APPROVAL, ["zed"]),
        (APPROVAL, [1]),
        (APPROVAL, {"ann": 1}),
        (GRADES, {"zed": 0}),
        (GRADES, {"ann": 6}),
        (GRADES, {"ann": -1}),
        (GRADES, {"ann": True}),
        (GRADES, {"ann": "0"}),
        (GRADES, {"ann": 1.0}),
        (GRADES, ["ann"]),
        (GRADES, "excellent"),
        (RANKING, [["ann"], ["ann"]]),
        (RANKING, [["ann", "ann"]]),
        (RANKING, [["zed"]]),
        (RANKING, [[]]),
        (RANKING, ["ann"]),
        (RANKING, [["ann"], "bob"]),
        (RANKING, {"ann": 1}),
        (RANKING, "first"),
    ],
)
def test_a_choice_that_does_not_fit_the_poll_is_invalid(kind, choice):
    with pytest.raises(InvalidBallot):
        validate_choice(kind, choice, IDS)


def test_a_missing_grade_counts_as_reject():
    assert validate_choice(GRADES, {"bob": 0}, IDS) == {"ann": REJECT, "bob": 0, "cat": REJECT}


def test_the_order_of_taps_cannot_mark_a_ballot():
    assert validate_choice(APPROVAL, ["cat", "ann"], IDS) == ["ann", "cat"]
    assert validate_choice(RANKING, [["cat", "ann"], ["bob"]], IDS) == [["ann", "cat"], ["bob"]]


def test_blank_forms_are_normalized():
    assert validate_choice(APPROVAL, BLANK, IDS) == []
    assert validate_choice(RANKING, [], IDS) == BLANK
    assert validate_choice(GRADES, BLANK, IDS) == BLANK


@pytest.mark.parametrize("ids", [["ann", "ann"], ["ann", BLANK], ["ann", 3]])
def test_bad_candidate_lists_are_refused(ids):
    with pytest.raises(ValueError):
        validate_choice(SINGLE, "ann", ids)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        validate_choice("lottery", "ann", IDS)


# Counting


def test_tally_motion():
    assert tally(MOTION, ["for", "for", "blank", "against"], []) == {
        "for": 2,
        "against": 1,
        "abstain": 0,
        "blank": 1,
    }


def test_tally_single_lists_every_candidate():
    assert tally(SINGLE, ["bob", "bob", BLANK], IDS) == {"counts": {"ann": 0, "bob": 2, "cat": 0}, "blank": 1}


def test_tally_approval():
    result = tally(APPROVAL, [["ann", "bob"], ["bob"], [], BLANK], IDS)
    assert result == {"approvals": {"ann": 1, "bob": 2, "cat": 0}, "ballots": 4, "blank": 2}


def test_tally_grades():
    result = tally(GRADES, [{"ann": 0, "bob": 2}, {"ann": 0, "bob": 5, "cat": 1}, BLANK], IDS)
    assert result == {
        "histograms": {"ann": [2, 0, 0, 0, 0, 0], "bob": [0, 0, 1, 0, 0, 1], "cat": [0, 1, 0, 0, 0, 1]},
        "blank": 1,
    }


def test_tally_ranking_puts_unranked_candidates_last_and_ties_count_for_nobody():
    result = tally(RANKING, [[["ann"], ["bob"]], [["cat", "bob"]], BLANK], IDS)
    assert result == {
        "pairwise": {
            "ann": {"bob": 1, "cat": 1},
            "bob": {"ann": 1, "cat": 1},  # first ballot: bob ranked, cat not
            "cat": {"ann": 1, "bob": 0},
        },
        "blank": 1,
    }


def test_tally_refuses_a_ballot_that_does_not_fit_the_poll():
    with pytest.raises(InvalidBallot):
        tally(SINGLE, ["ann", "zed"], IDS)


@given(polls(), st.randoms(use_true_random=False))
def test_tally_does_not_depend_on_the_order_of_ballots(poll, rng):
    kind, ids, choices = poll
    assert tally(kind, shuffled(choices, rng), ids) == tally(kind, choices, ids)


@given(polls())
def test_ranking_pairs_never_exceed_the_ballots(poll):
    kind, ids, choices = poll
    if kind != RANKING:
        return
    result = tally(kind, choices, ids)
    voters = len(choices) - result["blank"]
    for a in ids:
        for b in ids:
            if a != b:
                assert result["pairwise"][a][b] + result["pairwise"][b][a] <= voters


@given(candidate_ids.flatmap(lambda ids: st.tuples(st.just(ids), st.lists(st.just(BLANK) | tiers(ids), max_size=12))))
def test_ranking_pairs_are_the_ballots_that_put_one_candidate_above_the_other(poll):
    ids, rankings = poll

    def level(ranking, candidate):
        return next((index for index, tier in enumerate(ranking) if candidate in tier), len(ranking))

    ranked = [ranking for ranking in rankings if ranking != BLANK]
    expected = {a: {b: sum(level(ranking, a) < level(ranking, b) for ranking in ranked) for b in ids if b != a}
                for a in ids}
    assert tally(RANKING, rankings, ids)["pairwise"] == expected


def test_open_and_tally_counts_the_sealed_ballots():
    choices = ["ann", "bob", "ann", BLANK]
    sealed = shuffled(seal(PUBLIC_KEY, choice) for choice in choices)
    assert open_and_tally(PRIVATE_KEY, sealed, SINGLE, IDS) == tally(SINGLE, choices, IDS)


# Re-sealing after the count


@given(polls())
@settings(max_examples=40, deadline=None)
def test_resealed_ballots_open_to_the_same_choices_and_equal_nothing_cast(poll):
    kind, ids, choices = poll
    canonical = [validate_choice(kind, choice, ids) for choice in choices]
    size = ballot_size(kind, ids)
    cast = [seal(PUBLIC_KEY, choice, size) for choice in canonical]
    resealed = reseal(RECOUNT_KEY, open_all(PRIVATE_KEY, cast), size)
    assert Counter(map(encode_choice, open_resealed(RECOUNT_KEY, resealed))) == Counter(map(encode_choice, canonical))
    assert not set(resealed) & set(cast)
    assert len(set(resealed)) == len(resealed)
    assert len({len(item) for item in resealed}) <= 1


def test_resealed_ballots_need_the_recount_key():
    resealed = reseal(RECOUNT_KEY, ["for"])
    with pytest.raises(UnreadableBallot):
        list(open_resealed(bytes(RECOUNT_KEY_SIZE), resealed))
    with pytest.raises(UnreadableBallot):
        open_ballot(PRIVATE_KEY, resealed[0])


def test_resealing_shuffles_the_order():
    choices = [f"{index:03d}" for index in range(200)]
    opened = [choice for choice in open_resealed(RECOUNT_KEY, reseal(RECOUNT_KEY, choices))]
    assert sorted(opened) == choices and opened != choices


# Shuffling


@given(st.lists(st.integers()), st.randoms(use_true_random=False))
def test_shuffled_is_a_permutation_and_leaves_the_input_alone(items, rng):
    original = list(items)
    assert Counter(shuffled(items, rng)) == Counter(original)
    assert items == original


def test_shuffled_uses_the_system_random_by_default():
    items = list(range(64))
    assert sorted(shuffled(items)) == items
    assert shuffled(items) != items  # 1 chance in 64! of failing


def test_every_element_lands_anywhere_equally_often():
    rng = random.Random(20240501)
    size, rounds = 8, 8000
    positions = Counter()
    for _ in range(rounds):
        for position, item in enumerate(shuffled(range(size), rng)):
            positions[item, position] += 1
    expected = rounds / size
    # A fixed seed makes this deterministic; the 20 % margin is over 6 standard deviations.
    assert all(
        abs(positions[item, position] - expected) < 0.2 * expected for item in range(size) for position in range(size)
    )


def test_every_order_is_equally_likely():
    rng = random.Random(7)
    orders = Counter(tuple(shuffled("abc", rng)) for _ in range(30000))
    assert len(orders) == 6
    # The naive "swap with any position" shuffle would give 4444 or 5556 for some orders.
    assert all(4750 < count < 5250 for count in orders.values())


def test_stored_order_is_not_correlated_with_cast_order():
    rng = random.Random(99)
    size, rounds = 30, 2000
    total = 0.0
    for _ in range(rounds):
        order = shuffled(range(size), rng)
        total += _spearman(order)
    assert abs(total / rounds) < 0.02


@given(st.integers(0, 300))
def test_random_order_is_a_permutation(count):
    assert sorted(random_order(count)) == list(range(count))


def test_random_order_uses_the_system_random_by_default():
    assert random_order(64) != list(range(64))  # 1 chance in 64! of failing


def test_every_random_order_is_equally_likely():
    draw = random.Random(7).randbytes
    orders = Counter(tuple(random_order(3, draw)) for _ in range(30000))
    assert len(orders) == 6
    assert all(4750 < count < 5250 for count in orders.values())


def test_random_order_draws_again_when_two_keys_are_equal():
    draws = iter([bytes(24), (3).to_bytes(8, "little") + (1).to_bytes(8, "little") + (2).to_bytes(8, "little")])
    assert random_order(3, lambda size: next(draws)) == [1, 2, 0]


def _spearman(order: list[int]) -> float:
    size = len(order)
    squared = sum((position - item) ** 2 for position, item in enumerate(order))
    return 1 - 6 * squared / (size * (size * size - 1))


def test_a_large_box_opened_by_several_processes_counts_the_same(monkeypatch):
    monkeypatch.setattr("app.domain.ballot_box.PARALLEL_FROM", 10)
    choices = ["ann", "bob", "bob", BLANK, "cat", "bob", "ann", "bob", "cat", "bob", "ann", "bob"]
    sealed = [seal(PUBLIC_KEY, choice) for choice in choices]
    in_parallel = open_and_tally(PRIVATE_KEY, sealed, SINGLE, IDS, processes=3)
    assert in_parallel == open_and_tally(PRIVATE_KEY, sealed, SINGLE, IDS, processes=1) == tally(SINGLE, choices, IDS)


def test_a_large_box_counted_and_resealed_by_several_processes_keeps_every_choice(monkeypatch):
    monkeypatch.setattr("app.domain.ballot_box.PARALLEL_FROM", 10)
    choices = ["ann", "bob", "bob", BLANK, "cat", "bob", "ann", "bob", "cat", "bob", "ann", "bob"] * 3
    sealed = [seal(PUBLIC_KEY, choice) for choice in choices]
    counted, resealed = count_and_reseal(PRIVATE_KEY, sealed, SINGLE, IDS, RECOUNT_KEY, processes=3)
    assert counted == tally(SINGLE, choices, IDS)
    assert sorted(open_resealed(RECOUNT_KEY, resealed)) == sorted(choices)
    assert not set(resealed) & set(sealed)


def test_a_box_counted_and_resealed_comes_back_in_a_new_order(monkeypatch):
    monkeypatch.setattr("app.domain.ballot_box.PARALLEL_FROM", 10)
    ids = [f"c{index:03d}" for index in range(200)]
    sealed = [seal(PUBLIC_KEY, candidate) for candidate in ids]
    for processes in (1, 2):
        counted, resealed = count_and_reseal(PRIVATE_KEY, sealed, SINGLE, ids, RECOUNT_KEY, processes=processes)
        opened = list(open_resealed(RECOUNT_KEY, resealed))
        assert sorted(opened) == ids and opened != ids
        assert counted == tally(SINGLE, ids, ids)


@given(polls())
@settings(max_examples=30, deadline=None)
def test_counting_and_resealing_a_box_gives_the_tally_of_its_choices(poll):
    kind, ids, choices = poll
    size = ballot_size(kind, ids)
    sealed = [seal(PUBLIC_KEY, validate_choice(kind, choice, ids), size) for choice in choices * 2]
    counted, resealed = count_and_reseal(PRIVATE_KEY, sealed, kind, ids, RECOUNT_KEY, size)
    assert counted == tally(kind, choices * 2, ids)
    assert len(resealed) == len(sealed)


def test_a_ballot_cast_at_another_size_is_resealed_at_the_polls_size():
    sealed = bytes(SealedBox(PublicKey(PUBLIC_KEY)).encrypt(pad(encode_choice({"ann": 0, "bob": 1}), 2 * BALLOT_SIZE)))
    counted, resealed = count_and_reseal(PRIVATE_KEY, [sealed, sealed], GRADES, ["ann", "bob"], RECOUNT_KEY)
    assert counted["histograms"] == {"ann": [2, 0, 0, 0, 0, 0], "bob": [0, 2, 0, 0, 0, 0]}
    assert list(open_resealed(RECOUNT_KEY, resealed)) == [{"ann": 0, "bob": 1}] * 2
    assert {len(item) for item in resealed} == {BALLOT_SIZE + SecretBox.NONCE_SIZE + SecretBox.MACBYTES}
    assert resealed[0] != resealed[1]


def test_a_count_refuses_a_ballot_that_does_not_fit_the_poll():
    sealed = [seal(PUBLIC_KEY, "for"), seal(PUBLIC_KEY, "dave")]
    with pytest.raises(InvalidBallot):
        count_and_reseal(PRIVATE_KEY, sealed, MOTION, [], RECOUNT_KEY)


@pytest.mark.parametrize("processes", [1, 3])
def test_what_to_do_while_opening_runs_once_however_the_box_is_opened(monkeypatch, processes):
    monkeypatch.setattr("app.domain.ballot_box.PARALLEL_FROM", 10)
    calls = []
    count_and_reseal(PRIVATE_KEY, [seal(PUBLIC_KEY, "for")] * 12, MOTION, [], RECOUNT_KEY, processes=processes,
                     while_opening=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]


@given(polls(max_ballots=20), st.integers(0, 20))
def test_tallies_of_two_parts_add_up_to_the_tally_of_the_whole(poll, cut):
    kind, ids, choices = poll
    parts = add_aggregates(tally(kind, choices[:cut], ids), tally(kind, choices[cut:], ids))
    assert parts == tally(kind, choices, ids)
