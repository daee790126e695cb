"""Where runs execute: in-process, local processes, or a Dask cluster.

Every backend offers the same two calls, ``submit(function, task) -> future`` and
``wait_any(futures) -> (done, pending)``, so the coordinator submits a bounded number of
runs and handles each as it completes, whatever executes them:

- ``serial``: in the coordinating process (one worker, no --dask); no start-up cost.
- ``processes``: a :class:`concurrent.futures.ProcessPoolExecutor` (spawn context, so
  workers start clean), ``os.cpu_count()`` workers by default.
- ``dask local``: a :class:`distributed.LocalCluster` of ``workers`` single-threaded
  processes.
- ``dask tcp://HOST:PORT``: a running scheduler (e.g. on SLURM, see docs/cluster.md).

Local workers end when the coordinator dies, even by SIGKILL
(:func:`polsim.workers.exit_with_parent`; Dask's own worker processes watch their
nanny the same way).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from polsim.engine.limits import MAX_WORKERS, parse_dask_address
from polsim.errors import UserInputError
from polsim.voter_count import check_run_memory
from polsim.workers import exit_with_parent

__all__ = [
    "Backend",
    "check_local_memory",
    "check_workers",
    "open_backend",
    "parse_dask_address",
]

#: Seconds to wait for a Dask scheduler before giving up with one line.
CONNECT_SECONDS = 10


class Backend:
    """A place to run tasks: submit, wait for any, and a label for summaries."""

    def __init__(self, label: str, workers: int, executor: Any, dask: bool) -> None:
        self.label = label
        self.workers = workers
        self._executor = executor
        self._dask = dask

    @property
    def in_process(self) -> bool:
        """Whether tasks run in this process, one at a time (the serial backend)."""
        return self._executor is None

    def submit(self, function: Callable[[Any], Any], task: Any) -> Any:
        """Start ``function(task)``; return its future."""
        if self._dask:
            return self._executor.submit(function, task, pure=False)
        if self._executor is None:  # serial: run now, hand back a finished future
            future: cf.Future[Any] = cf.Future()
            try:
                future.set_result(function(task))
            except Exception as error:
                future.set_exception(error)
            return future
        return self._executor.submit(function, task)

    def wait_any(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        """Block until at least one future is done: ``(done, not_done)``."""
        if self._dask:
            from distributed import wait

            result = wait(list(futures), return_when="FIRST_COMPLETED")
            return set(result.done), set(result.not_done)
        done, pending = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return set(done), set(pending)

    @property
    def in_flight(self) -> int:
        """How many runs to keep submitted at once (memory stays flat beyond that)."""
        return 1 if self._executor is None else 2 * self.workers


def check_workers(workers: int | None) -> int:
    """The number of local workers: ``workers`` checked, or every core by default."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_WORKERS:
        raise UserInputError(
            f"--workers must be a whole number from 1 to {MAX_WORKERS}; got {count}"
        )
    return count


def check_local_memory(voters: int, dask: str | None, workers: int | None, runs: int) -> None:
    """Refuse, before any run, runs at once on this machine that would not fit its memory."""
    if parse_dask_address(dask) is None:  # local processes, or a local Dask cluster
        check_run_memory(voters, max(1, min(check_workers(workers), runs)))


@contextmanager
def open_backend(dask: str | None = None, workers: int | None = None) -> Iterator[Backend]:
    """Open the backend named by ``--dask`` and ``--workers``; close it on exit.

    Parameters
    ----------
    dask
        None (local processes), ``"local"`` (a Dask LocalCluster) or a scheduler address
        ``tcp://HOST:PORT``.
    workers
        Worker processes (default: every core); with a scheduler address it is ignored
        (the cluster has its own).
    """
    address = parse_dask_address(dask)
    count = check_workers(workers)
    if dask is None:
        if count == 1:
            yield Backend("serial (1 process)", 1, None, dask=False)
            return
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            yield Backend(f"local processes ({count} workers)", count, pool, dask=False)
        return
    if dask == "local":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield Backend(f"Dask LocalCluster ({count} workers)", count, client, dask=True)
        return
    assert address is not None
    client = _connect(dask, *address)
    try:
        cluster_workers = max(1, len(client.scheduler_info().get("workers", {})))
        yield Backend(f"Dask at {dask} ({cluster_workers} workers)", cluster_workers, client, True)
    finally:
        client.close()


def _connect(dask: str, host: str, port: int) -> Any:
    """A Dask client of the scheduler at ``dask``, or one line saying why not."""
    from distributed import Client

    try:  # fails at once when nothing listens there, rather than after the timeout
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
        return Client(dask, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError, ValueError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise UserInputError(f"--dask {dask}: cannot reach the scheduler ({reason})") from None
