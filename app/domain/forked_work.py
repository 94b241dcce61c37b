"""Work on the blocks of a large list in forked processes, so that every CPU works at once.

The blocks reach the processes through the fork itself: nothing is pickled on the way in, and keys never leave this
machine's memory. Each block's result comes back pickled through a pipe, in the order of the blocks, while the
processes go on with the next ones; an error raised in a process is raised here.
"""

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_FORK = multiprocessing.get_context("fork")


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`parts` slices in order, covering the items, whose lengths differ by one at most."""
    return [items[len(items) * index // parts:len(items) * (index + 1) // parts] for index in range(parts)]


def map_forked(work: Callable[[Sequence[T]], R], parts: list[Sequence[T]],
               while_waiting: Callable[[], None] | None = None) -> list[R]:
    """work(part) for each part, each in a forked process; while_waiting() runs here meanwhile."""
    with forked_blocks(work, parts, len(parts)) as results:
        if while_waiting is not None:
            while_waiting()
        return list(results)


@contextmanager
def forked_blocks(work: Callable[[Sequence[T]], R], blocks: list[Sequence[T]],
                  processes: int) -> Iterator[Iterator[R]]:
    """work(block) for each block, the processes taking the blocks in turn; the results, in the order of the blocks,
    can be read as soon as each is ready. Leaving the block stops whatever work is left."""
    started = [_start(work, blocks[first::processes]) for first in range(min(processes, len(blocks)))]
    try:
        yield (_result(*started[index % len(started)]) for index in range(len(blocks)))
    finally:
        for process, receiver in started:
            receiver.close()
            if process.is_alive():  # an error here or in another process: its work is no longer wanted
                process.terminate()
            process.join()


def _start(work: Callable, blocks: list[Sequence]) -> tuple:
    receiver, sender = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_run, args=(work, blocks, sender), daemon=True)
    process.start()
    sender.close()
    return process, receiver


def _run(work: Callable, blocks: list[Sequence], sender) -> None:
    gc.disable()  # the collector would walk through, and so copy, memory shared with the parent; the process is brief
    for block in blocks:
        try:
            outcome = (True, work(block))
        except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it again
            sender.send((False, error))
            return
        sender.send(outcome)


def _result(process, receiver):
    try:
        succeeded, value = receiver.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"a forked process ended without an answer (exit code {process.exitcode})") from None
    if not succeeded:
        raise value
    return value
