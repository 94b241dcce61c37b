"""Work split among forked processes: the parts cover the list in order, results come back in order, errors too."""

import os
import signal
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.forked_work import forked_blocks, map_forked, split


@given(st.lists(st.integers()), st.integers(1, 9))
def test_the_parts_cover_the_items_in_order_with_lengths_one_apart(items, parts):
    pieces = split(items, parts)
    assert len(pieces) == parts
    assert [item for piece in pieces for item in piece] == items
    assert max(map(len, pieces)) - min(map(len, pieces)) <= 1


def test_each_part_is_worked_on_in_its_own_process_and_the_results_come_back_in_order():
    results = map_forked(lambda part: (os.getpid(), sum(part)), [[1, 2], [3], [4, 5, 6]])
    assert [total for _, total in results] == [3, 3, 15]
    assert len({pid for pid, _ in results} | {os.getpid()}) == 4


def test_what_to_do_while_waiting_runs_here_while_the_processes_work():
    waited = []
    assert map_forked(len, [[1], [2, 3]], lambda: waited.append(os.getpid())) == [1, 2]
    assert waited == [os.getpid()]


def test_an_error_raised_in_a_process_is_raised_again_here():
    def work(part):
        if part == ["bad"]:
            raise ValueError("bad part")
        return part

    with pytest.raises(ValueError, match="bad part"):
        map_forked(work, [["good"], ["bad"]])


def test_a_process_that_dies_without_an_answer_is_an_error():
    with pytest.raises(RuntimeError, match="without an answer"):
        map_forked(lambda part: os.kill(os.getpid(), signal.SIGKILL), [[1]])


def test_an_error_while_waiting_stops_the_processes():
    def fail():
        raise OSError("the database went away")

    with pytest.raises(OSError, match="went away"):
        map_forked(lambda part: time.sleep(60), [[1], [2]], fail)


def test_blocks_taken_in_turn_by_the_processes_come_back_in_order_as_they_are_ready():
    blocks = [[index] for index in range(7)]
    with forked_blocks(lambda block: (os.getpid(), block[0] * 10), blocks, 3) as results:
        first = next(results)
        rest = list(results)
    assert [value for _, value in [first, *rest]] == [0, 10, 20, 30, 40, 50, 60]
    pids = [pid for pid, _ in [first, *rest]]
    assert pids[0] == pids[3] == pids[6] and len(set(pids)) == 3 and os.getpid() not in pids


def test_leaving_before_every_block_is_read_stops_the_processes():
    started = time.monotonic()
    with forked_blocks(lambda block: time.sleep(block[0]), [[0], [60], [60]], 2) as results:
        next(results)
    assert time.monotonic() - started < 30


def test_fewer_blocks_than_processes_start_one_process_a_block():
    with forked_blocks(len, [[1, 2]], 4) as results:
        assert list(results) == [2]
