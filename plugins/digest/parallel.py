"""Work spread over every core by forked workers, which inherit the work instead of receiving it.

A page's context or a post's reader holds most of the build's objects: pickling them to a worker
would cost more than the work. Forked workers start with them in memory; only each item's
position goes to a worker, and only its result comes back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

PIECES_PER_WORKER = 16  # enough to even out the cores' loads

_work: tuple[Callable, Sequence] | None = None  # what the forked workers inherit


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def collect_own_garbage() -> None:
    """In a forked process: what it inherits is put out of the cycle collector's sight, and the
    collector runs even if the parent had paused it (see build.py). Its collections then go
    through only what it makes: not the parent's objects (the detection tables, the articles),
    whose pages they would also copy (reading seeds took 3-4 % less CPU a seed)."""
    gc.freeze()
    gc.enable()


def map_forked(function: Callable, items: Sequence, min_per_worker: int = 64) -> list:
    """[function(item) for item in items], on every core when there are enough items to pay
    for starting the workers. Without fork (not POSIX) it stays on one core."""
    global _work
    workers = min(available_cores(), len(items) // min_per_worker)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    step = max(1, len(items) // (workers * PIECES_PER_WORKER))
    _work = (function, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=collect_own_garbage) as pool:
            pieces = pool.map(_run_piece, [(start, start + step) for start in range(0, len(items), step)])
            return [result for piece in pieces for result in piece]
    finally:
        _work = None


def _run_piece(bounds: tuple[int, int]) -> list:
    function, items = _work
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def in_background(function: Callable[[], None]) -> Callable[[], None]:
    """Start function() in a forked process, which inherits what it needs (nothing is pickled
    to it, and nothing comes back), while the caller goes on; the call returned waits for it to
    end. Without fork or a second core, it runs here, at once."""
    if available_cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        function()
        return lambda: None
    process = multiprocessing.get_context("fork").Process(target=_run_in_child, args=(function,))
    process.start()
    return process.join


def _run_in_child(function: Callable[[], None]) -> None:
    collect_own_garbage()
    function()


def start_forked(function: Callable, *args, background: bool = True) -> Callable[[], object]:
    """Start function(*args) in a forked process, which inherits its arguments (nothing is
    pickled to it; only its result or error comes back), while the caller goes on; the call
    returned waits for it and gives its result or raises its error. Without fork or a second
    core, or not in the `background` (too little work to pay for a process), it runs here, at once."""
    if not background or available_cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        try:
            outcome = (True, function(*args))
        except Exception as error:
            outcome = (False, error)
        return partial(_outcome, outcome)
    receiving, sending = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_send_outcome, args=(sending, function, args))
    process.start()
    sending.close()

    def wait() -> object:
        try:
            outcome = receiving.recv()
        except EOFError:
            outcome = None
        finally:
            process.join()  # its exit code is known once it has been waited for
            receiving.close()
        if outcome is None:
            outcome = (False, RuntimeError(f"{function.__name__} ended without a result (exit code {process.exitcode})"))
        return _outcome(outcome)

    return wait


def _send_outcome(sending, function: Callable, args: tuple) -> None:
    collect_own_garbage()
    try:
        outcome = (True, function(*args))
    except Exception as error:
        outcome = (False, error)
    try:
        sending.send(outcome)
    except Exception:  # an error that cannot be pickled is sent as its words
        sending.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    sending.close()


def _outcome(outcome: tuple[bool, object]) -> object:
    succeeded, value = outcome
    if not succeeded:
        raise value
    return value
