"""The tamper-evident register chain alone."""

import hashlib
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.register_chain import (
    CONTENT_CHANGED,
    END_MISSING,
    GENESIS,
    LINK_BROKEN,
    ChainLink,
    entry_hash,
    verify_chain,
)

ENTRIES = [
    {"kind": "decision", "text": "Buy a football", "amount": 12},
    {"kind": "income", "text": "Cake sale", "amount": 40},
    {"kind": "expense", "text": "Football", "amount": -12, "note": None},
    {"kind": "decision", "text": "Visite au musée", "amount": 0},
]


def build_chain(entries: list[dict]) -> list[ChainLink]:
    links, previous = [], GENESIS
    for number, fields in enumerate(entries, start=1):
        stored = entry_hash(previous, fields)
        links.append(ChainLink(number, previous, stored, fields))
        previous = stored
    return links


def test_entry_hash_is_sha256_of_canonical_json():
    expected = hashlib.sha256(f'{{"amount":3,"previous":"{GENESIS}","title":"Café"}}'.encode()).hexdigest()
    assert entry_hash(GENESIS, {"title": "Café", "amount": 3}) == expected


def test_entry_hash_depends_on_the_previous_hash_and_every_field():
    base = entry_hash(GENESIS, {"text": "a", "amount": 1})
    assert entry_hash("1" * 64, {"text": "a", "amount": 1}) != base
    assert entry_hash(GENESIS, {"text": "a", "amount": 2}) != base
    assert entry_hash(GENESIS, {"text": "a", "amount": 1, "note": None}) != base
    assert entry_hash(GENESIS, {"amount": 1, "text": "a"}) == base


def test_previous_is_a_reserved_field():
    with pytest.raises(ValueError):
        entry_hash(GENESIS, {"previous": "x"})


def test_a_good_chain_verifies():
    report = verify_chain(build_chain(ENTRIES))
    assert report.ok
    assert report.first_broken_id is None and report.reason is None


def test_an_empty_register_verifies():
    assert verify_chain([]).ok


def test_a_correction_is_just_another_entry():
    chain = build_chain([*ENTRIES, {"kind": "expense", "text": "Football", "amount": -15, "corrects": 3}])
    assert verify_chain(chain).ok


def test_an_edited_field_is_named():
    chain = build_chain(ENTRIES)
    chain[1] = replace(chain[1], fields={**chain[1].fields, "amount": 400})
    report = verify_chain(chain)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 2, CONTENT_CHANGED)


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link():
    chain = build_chain(ENTRIES)
    fields = {**chain[1].fields, "amount": 400}
    chain[1] = replace(chain[1], fields=fields, stored_hash=entry_hash(chain[1].previous_hash, fields))
    report = verify_chain(chain)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, LINK_BROKEN)


def test_a_deleted_entry_is_noticed_at_the_next_one():
    chain = build_chain(ENTRIES)
    del chain[1]
    report = verify_chain(chain)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, LINK_BROKEN)


def test_a_deleted_first_entry_is_noticed():
    report = verify_chain(build_chain(ENTRIES)[1:])
    assert (report.ok, report.first_broken_id, report.reason) == (False, 2, LINK_BROKEN)


def test_reordered_entries_are_noticed():
    chain = build_chain(ENTRIES)
    chain[1], chain[2] = chain[2], chain[1]
    report = verify_chain(chain)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, LINK_BROKEN)


def test_deleted_last_entries_need_the_expected_head():
    chain = build_chain(ENTRIES)
    head = chain[-1].stored_hash
    assert verify_chain(chain, expected_head=head).ok
    assert verify_chain(chain[:-1]).ok
    report = verify_chain(chain[:-1], expected_head=head)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, END_MISSING)


field_values = st.one_of(st.none(), st.integers(-(10**6), 10**6), st.text(max_size=20))
entry_fields = st.dictionaries(st.sampled_from(["kind", "text", "amount", "corrects"]), field_values, min_size=1)


@given(st.lists(entry_fields, min_size=1, max_size=8), st.data())
def test_any_edit_is_caught_at_the_edited_entry(entries, data):
    chain = build_chain(entries)
    target = data.draw(st.integers(0, len(chain) - 1))
    fields = dict(chain[target].fields)
    name = data.draw(st.sampled_from(sorted(fields)))
    old = fields[name]
    fields[name] = data.draw(field_values.filter(lambda new: new != old or type(new) is not type(old)))
    chain[target] = replace(chain[target], fields=fields)
    report = verify_chain(chain)
    assert (report.ok, report.first_broken_id, report.reason) == (False, target + 1, CONTENT_CHANGED)
