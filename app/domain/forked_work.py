"""Work on the parts of a large list in forked processes, one per part, so that every CPU works at once.

Each part reaches its process through the fork itself: nothing is pickled on the way in, and keys never leave this
machine's memory. Each result comes back pickled through a pipe; an error raised in a process is raised here.
"""

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
_FORK = multiprocessing.get_context("fork")


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`parts` slices in order, covering the items, whose lengths differ by one at most."""
    return [items[len(items) * index // parts:len(items) * (index + 1) // parts] for index in range(parts)]


def map_forked(work: Callable[[Sequence[T]], object], parts: list[Sequence[T]],
               while_waiting: Callable[[], None] | None = None) -> list:
    """work(part) for each part, each in a forked process; while_waiting() runs here meanwhile."""
    started = [_start(work, part) for part in parts]
    try:
        if while_waiting is not None:
            while_waiting()
        return [_result(process, receiver) for process, receiver in started]
    finally:
        for process, receiver in started:
            receiver.close()
            if process.is_alive():  # an error here or in another process: its work is no longer wanted
                process.terminate()
            process.join()


def _start(work: Callable, part: Sequence) -> tuple:
    receiver, sender = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_run, args=(work, part, sender), daemon=True)
    process.start()
    sender.close()
    return process, receiver


def _run(work: Callable, part: Sequence, sender) -> None:
    gc.disable()  # the collector would walk through, and so copy, memory shared with the parent; the process is brief
    try:
        outcome = (True, work(part))
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it again
        outcome = (False, error)
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
