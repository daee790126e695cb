"""Threads for the voter passes: how many a run may use, and the pool that runs them.

A pass that uses threads gives the same bits with any number of them. Threads only
compute what belongs to one voter (a choice, a distance, a draw) over disjoint runs of
voters, or what belongs to one oblast over disjoint runs of oblasts; every sum that
runs across them is then taken on one thread, in voter order, as a serial pass would.
So the thread count is a matter of speed, never of results, and it is not part of a
run's identity.

How many threads a run uses, first match wins:

1. :func:`using_threads` around the call (the ensemble runner sets 1 in its workers,
   which are already one process per core);
2. the environment variable ``POLSIM_THREADS`` (a positive integer);
3. ``min(2, cores available to this process)``. Two, because the passes threads help
   have a serial part (the sums) that bounds them: a third thread gains little.

Passes below :data:`THREADED_MIN_VOTERS` voters keep to one thread: handing work to a
thread and back costs about 0.1 ms on a virtual machine. :func:`voter_parts` says how
many parts a pass over ``n`` voters splits into, :func:`voter_ranges` and
:func:`even_cuts` where to cut, and :func:`run_together` runs the parts at once
(:func:`run_split` does all three for a kernel over runs of oblasts or chunks).
:func:`run_pipelined` runs a pass whose sums must follow the voter order: helpers
prepare the end of each part while this thread sums.

The setting is a :class:`contextvars.ContextVar`, so two runs in two threads of one
process (the dashboard) each keep their own. The helper threads are one
:class:`concurrent.futures.ThreadPoolExecutor` per process, made on first use, and
dropped in a child after ``fork`` (its threads do not survive the fork).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import pairwise
from typing import Any

import numpy as np

from polsim.engine.limits import MAX_THREADS
from polsim.errors import UserInputError

__all__ = [
    "MAX_THREADS",
    "THREADED_MIN_VOTERS",
    "THREADS_VARIABLE",
    "even_cuts",
    "helper_pool",
    "parse_threads",
    "run_pipelined",
    "run_split",
    "run_threads",
    "run_together",
    "using_threads",
    "voter_parts",
    "voter_ranges",
]

#: Below this many voters a pass keeps to one thread.
THREADED_MIN_VOTERS = 1 << 16

#: The environment variable that sets the default number of threads.
THREADS_VARIABLE = "POLSIM_THREADS"

_chosen: ContextVar[int | None] = ContextVar("polsim_threads", default=None)
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def parse_threads(value: object, origin: str) -> int:
    """A thread count from user input; ``origin`` names where it came from."""
    try:
        count = int(str(value).strip())
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_THREADS:
        raise UserInputError(
            f"{origin} must be a whole number of threads from 1 to {MAX_THREADS}; got {value!r}"
        )
    return count


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_threads() -> int:
    """The number of threads a voter pass may use here (at least 1)."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    value = os.environ.get(THREADS_VARIABLE)
    if value not in (None, ""):
        return parse_threads(value, THREADS_VARIABLE)
    return min(2, _cores())


@contextmanager
def using_threads(count: int) -> Iterator[None]:
    """Within the block, voter passes use ``count`` threads (this context only)."""
    token = _chosen.set(parse_threads(count, "the number of threads"))
    try:
        yield
    finally:
        _chosen.reset(token)


def helper_pool(helpers: int) -> ThreadPoolExecutor:
    """The process's pool of helper threads, with room for at least ``helpers``."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < helpers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=helpers, thread_name_prefix="polsim-voters")
            _pool_size = helpers
        return _pool


def voter_parts(n_voters: int) -> int:
    """How many threads a pass over ``n_voters`` voters uses here."""
    return run_threads() if n_voters >= THREADED_MIN_VOTERS else 1


def voter_ranges(n_voters: int) -> list[tuple[int, int]]:
    """``0..n_voters`` cut into :func:`voter_parts` runs of about equal length.

    >>> voter_ranges(10)
    [(0, 10)]
    """
    parts = voter_parts(n_voters)
    cuts = [n_voters * p // parts for p in range(parts + 1)]
    return list(pairwise(cuts))


def even_cuts(cumulative: Sequence[int] | np.ndarray, parts: int) -> list[int]:
    """Cut items into ``parts`` runs of consecutive items with about equal cost.

    ``cumulative[i]`` is the cost of the items before item ``i`` (so it starts at 0 and
    has one entry more than there are items), e.g. an oblast's first voter. Returns the
    ``parts + 1`` item indices where the runs start and end; a run may be empty.

    >>> even_cuts([0, 10, 20, 30, 40], 2)
    [0, 2, 4]
    """
    cost = np.asarray(cumulative)
    items = len(cost) - 1
    inner = [int(np.searchsorted(cost, cost[-1] * p / parts)) for p in range(1, parts)]
    return [0, *(min(max(c, 0), items) for c in inner), items]


def run_split(
    kernel: Callable[..., Any],
    arguments: tuple[Any, ...],
    cumulative: Sequence[int] | np.ndarray,
    n_voters: int,
) -> list[Any]:
    """``kernel(*arguments, first, end)`` for runs of items of about equal cost (cut by
    :func:`even_cuts` into :func:`voter_parts` runs), at once (:func:`run_together`).

    ``cumulative`` is as for :func:`even_cuts`: an oblast's first voter, say, so that
    the threads take runs of oblasts with about equal voters.
    """
    cuts = even_cuts(cumulative, voter_parts(n_voters))
    return run_together([(kernel, (*arguments, a, b)) for a, b in pairwise(cuts)])


def run_together(calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run every ``(function, args)`` at once: all but the last on helper threads, the last
    on this one. Returns their results in order.

    The functions must release the GIL (compiled ``nogil`` kernels) and write disjoint
    data; whatever they compute is then the same as one after the other.
    """
    if len(calls) == 1:
        function, args = calls[0]
        return [function(*args)]
    helpers = helper_pool(len(calls) - 1)
    jobs = [helpers.submit(function, *args) for function, args in calls[:-1]]
    function, args = calls[-1]
    last = function(*args)
    return [job.result() for job in jobs] + [last]


def run_pipelined(
    n: int,
    part: int,
    threads: int,
    costs: tuple[float, float],
    run_here: Callable[[int, int], object],
    prepare: Callable[[int, int, int, int], object],
    finish: Callable[[int, int, int], object],
) -> list[Any]:
    """A pass over ``0..n`` whose every sum must be taken in order, on ``threads`` threads.

    The items go in parts of ``part``. Helper threads *prepare* the end of each part
    (``prepare(a, b, at, slot)``: the per-item work of items ``a..b``, kept in buffer
    ``slot`` (0 or 1) at ``i − at``) while this thread *runs* the start of the part
    whole (``run_here(lo, split)``: per-item work and sums) and then *finishes* the end
    of the part before (``finish(split, hi, slot)``: its sums, from the buffer). So
    every sum is taken on this thread in item order, and the results do not depend on
    ``threads`` or ``part``. Returns what the ``prepare`` calls returned.

    ``costs`` are the per-item costs of preparing and of finishing (any unit): the
    helpers' share of a part balances their preparing against this thread's running
    (both costs) and finishing of the part before. Only speed depends on them.
    """
    helpers = helper_pool(threads - 1)
    parts = [(lo, min(n, lo + part)) for lo in range(0, n, part)]
    prepared: list[Any] = []
    make, add = costs

    def hand_over(index: int, overlapped: bool) -> tuple[int, list[Any]]:
        lo, hi = parts[index]
        lead = make + add - (add if overlapped else 0.0)
        share = min(1.0, (make + add) / (lead + make / (threads - 1)))
        split = min(hi - 1, max(lo + 1, hi - int((hi - lo) * share)))
        edges = [split + (hi - split) * h // (threads - 1) for h in range(threads)]
        jobs = [
            helpers.submit(prepare, a, b, split, index % 2) for a, b in pairwise(edges) if b > a
        ]
        return split, jobs

    split, jobs = hand_over(0, overlapped=False)
    for index, (lo, hi) in enumerate(parts):
        run_here(lo, split)
        prepared += [job.result() for job in jobs]
        helped = split
        if index + 1 < len(parts):
            split, jobs = hand_over(index + 1, overlapped=True)
        finish(helped, hi, index % 2)
    return prepared


def _forget_pool() -> None:
    global _pool, _pool_size, _pool_lock
    _pool, _pool_size, _pool_lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
