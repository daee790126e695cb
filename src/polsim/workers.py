"""Worker processes that end when the process that started them ends.

A coordinator killed with SIGKILL runs no clean-up, so its pool workers would live on,
re-parented to PID 1, each holding hundreds of MB (and the multiprocessing resource
tracker with them, which exits only once every holder of its pipe has gone).
:func:`exit_with_parent` is a pool ``initializer``: on Linux it asks the kernel for
SIGKILL when the parent goes (``prctl(PR_SET_PDEATHSIG)``), and everywhere it starts a
daemon thread that polls ``os.getppid()`` and exits once the parent has changed.

The kernel signal follows the *thread* that started the worker, not its process; pass
``kernel_signal=False`` where workers are started from threads that may end first (the
dashboard's request threads), and only the poll applies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["POLL_SECONDS", "exit_with_parent"]

#: How often a worker checks that its parent is alive (an orphan lives at most this long).
POLL_SECONDS = 0.5

_PR_SET_PDEATHSIG = 1


def exit_with_parent(parent_pid: int, kernel_signal: bool = True) -> None:
    """Pool initializer: end this worker when the process ``parent_pid`` ends."""
    if kernel_signal and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: the poll still applies
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="polsim-parent-watch", daemon=True
    ).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)  # no clean-up: the coordinator that wanted the results is gone
