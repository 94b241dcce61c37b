"""The speakers queue: those who have spoken least over the school year first, then least in this assembly, then
whoever asked first."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.assemblies import Waiting, next_speaker, participation, queue_order

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def waiting(pupil_id: int, spoken: int, seconds: int) -> Waiting:
    return Waiting(pupil_id, spoken, START + timedelta(seconds=seconds))


queues = st.lists(st.builds(waiting, st.integers(1, 40), st.integers(0, 6), st.integers(0, 600)),
                  unique_by=lambda entry: entry.pupil_id)
year_queues = st.lists(st.builds(Waiting, st.integers(1, 40), st.integers(0, 6),
                                 st.builds(lambda seconds: START + timedelta(seconds=seconds), st.integers(0, 600)),
                                 st.integers(0, 30)),
                       unique_by=lambda entry: entry.pupil_id)


def test_a_pupil_who_has_not_spoken_goes_before_one_who_asked_earlier():
    order = queue_order([waiting(1, 2, 0), waiting(2, 0, 30), waiting(3, 1, 10)])
    assert [entry.pupil_id for entry in order] == [2, 3, 1]


def test_between_equals_the_first_to_ask_speaks_first():
    order = queue_order([waiting(5, 1, 20), waiting(6, 1, 5)])
    assert [entry.pupil_id for entry in order] == [6, 5]


def test_an_empty_queue_has_no_next_speaker():
    assert next_speaker([]) is None


@given(queues | year_queues)
def test_the_queue_keeps_everyone_once(entries):
    assert sorted(queue_order(entries), key=lambda entry: entry.pupil_id) == sorted(
        entries, key=lambda entry: entry.pupil_id)


@given(queues)
def test_nobody_waits_behind_someone_who_spoke_more(entries):
    order = queue_order(entries)
    for before, after in zip(order, order[1:], strict=False):
        assert before.spoken <= after.spoken
        if before.spoken == after.spoken:
            assert before.asked_at <= after.asked_at


@given(queues | year_queues, st.randoms())
def test_the_order_does_not_depend_on_how_the_rows_came_back(entries, random):
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert queue_order(shuffled) == queue_order(entries)


@given(queues)
def test_the_next_speaker_has_spoken_least(entries):
    chosen = next_speaker(entries)
    assert chosen is None or all(chosen.spoken <= entry.spoken for entry in entries)


def test_a_pupil_who_spoke_little_this_year_goes_before_one_who_spoke_less_today():
    often = Waiting(1, 0, START, spoken_earlier=9)
    seldom = Waiting(2, 1, START + timedelta(seconds=60), spoken_earlier=2)
    assert [entry.pupil_id for entry in queue_order([often, seldom])] == [2, 1]


def test_between_equals_over_the_year_the_one_who_spoke_less_today_goes_first():
    today_once = Waiting(1, 1, START, spoken_earlier=3)
    today_twice = Waiting(2, 2, START, spoken_earlier=2)
    new_this_year = Waiting(3, 3, START + timedelta(seconds=60))
    assert [entry.pupil_id for entry in queue_order([today_twice, new_this_year, today_once])] == [3, 1, 2]


@given(year_queues)
def test_nobody_waits_behind_someone_who_spoke_less_over_the_year(entries):
    order = queue_order(entries)
    for before, after in zip(order, order[1:], strict=False):
        assert before.spoken_this_year <= after.spoken_this_year
        if before.spoken_this_year == after.spoken_this_year:
            assert (before.spoken, before.asked_at) <= (after.spoken, after.asked_at)


@given(year_queues)
def test_without_earlier_councils_the_order_is_the_one_of_this_assembly(entries):
    first_council = [Waiting(entry.pupil_id, entry.spoken, entry.asked_at) for entry in entries]
    order = queue_order(first_council)
    assert order == sorted(first_council, key=lambda entry: (entry.spoken, entry.asked_at, entry.pupil_id))


@given(st.dictionaries(st.integers(1, 30), st.integers(0, 5)))
def test_participation_counts_different_pupils_and_turns(spoken):
    different, turns = participation(spoken)
    assert different == len([count for count in spoken.values() if count])
    assert turns == sum(spoken.values()) and different <= turns
