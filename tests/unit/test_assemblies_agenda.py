"""The agenda in the council's order: follow-up first, always; proposals by support; moves and insertions."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assemblies import (
    SECTIONS,
    RuleBroken,
    WaitingMessage,
    build_agenda,
    insertion_index,
    move,
    next_position,
    proposals_by_support,
    vote_order,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def message(ident: int, kind: str, supports: int = 0, minutes: int = 0) -> WaitingMessage:
    return WaitingMessage(ident, kind, supports, START + timedelta(minutes=minutes))


def test_a_new_agenda_follows_the_council_order():
    messages = [message(1, "propose"), message(2, "criticise"), message(3, "congratulate"), message(4, "wish")]
    sections = [item.section for item in build_agenda(["Garden: watering rota"], messages)]
    assert sections == ["follow_up", "news", "congratulations", "criticisms", "wishes", "proposals", "elections",
                        "treasury", "closing"]


def test_without_decisions_the_agenda_starts_with_the_news_and_ends_with_the_closing():
    agenda = build_agenda([], [])
    assert [item.section for item in agenda] == ["news", "elections", "treasury", "closing"]


def test_proposals_come_by_support_then_by_age():
    messages = [message(1, "propose", 1, 0), message(2, "propose", 3, 5), message(3, "propose", 1, -5)]
    assert [item.message_id for item in build_agenda([], messages) if item.section == "proposals"] == [2, 3, 1]


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(-100, 100)), max_size=12))
def test_support_never_decreases_along_the_proposals(rows):
    ordered = proposals_by_support([message(index, "propose", supports, minutes)
                                    for index, (supports, minutes) in enumerate(rows)])
    assert [entry.supports for entry in ordered] == sorted((entry.supports for entry in ordered), reverse=True)


messages_strategy = st.lists(st.builds(message, st.integers(1, 10_000), st.sampled_from(
    ["congratulate", "criticise", "wish", "propose"]), st.integers(0, 9), st.integers(0, 300)),
    unique_by=lambda entry: entry.id, max_size=15)


@given(st.lists(st.text(min_size=1, max_size=10), max_size=4), messages_strategy)
def test_sections_never_go_backwards_and_follow_up_comes_first(follow_ups, messages):
    agenda = build_agenda(follow_ups, messages)
    ranks = [SECTIONS.index(item.section) for item in agenda]
    assert ranks == sorted(ranks)
    assert len(agenda) == len(follow_ups) + len(messages) + 4


def test_moving_swaps_two_neighbours():
    assert move(["news", "proposals", "closing"], 1, -1) == [1, 0, 2]
    assert move(["news", "proposals", "closing"], 1, 1) == [0, 2, 1]


def test_nothing_moves_above_the_follow_up_nor_past_either_end():
    with pytest.raises(RuleBroken, match="follow_up_first"):
        move(["follow_up", "news"], 1, -1)
    with pytest.raises(RuleBroken, match="cannot_move"):
        move(["news", "closing"], 0, -1)
    with pytest.raises(RuleBroken, match="cannot_move"):
        move(["news", "closing"], 1, 1)


@given(st.lists(st.sampled_from(SECTIONS[1:]), max_size=8), st.integers(0, 3), st.data())
def test_follow_up_stays_first_whatever_moves_are_made(rest, follow_ups, data):
    sections = ["follow_up"] * follow_ups + rest
    for _ in range(10):
        if len(sections) < 2:
            break
        index = data.draw(st.integers(0, len(sections) - 1))
        try:
            order = move(sections, index, data.draw(st.sampled_from([-1, 1])))
        except RuleBroken:
            continue
        sections = [sections[position] for position in order]
    assert sections[:follow_ups] == ["follow_up"] * follow_ups


def test_a_new_item_goes_at_the_end_of_its_section():
    sections = ["news", "congratulations", "proposals", "proposals", "elections", "closing"]
    assert insertion_index(sections, "proposals") == 4
    assert insertion_index(sections, "criticisms") == 2
    assert insertion_index(sections, "free") == 5
    assert insertion_index([], "proposals") == 0


def test_amendments_are_voted_on_before_the_proposal():
    assert vote_order("proposal", ["first change", "second change"]) == ["first change", "second change", "proposal"]


def test_moving_through_the_items_stops_at_both_ends():
    assert next_position(None, 3, 1) == 0
    assert next_position(1, 3, -1) == 0
    with pytest.raises(RuleBroken, match="no_more_items"):
        next_position(2, 3, 1)
    with pytest.raises(RuleBroken, match="no_previous_item"):
        next_position(0, 3, -1)
