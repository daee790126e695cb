"""Reading a voter count (``200k``, ``10m``) without loading the output stack.

A count is refused before anything is allocated when it is above :data:`MAX_VOTERS`, or
when the memory a run of that size needs (:func:`run_memory_bytes`) exceeds what this
machine has available.
"""

from __future__ import annotations

import math
import os

from polsim.engine.limits import MAX_VOTERS
from polsim.errors import UserInputError

__all__ = [
    "MAX_VOTERS",
    "available_memory_bytes",
    "check_run_memory",
    "parse_voter_count",
    "run_memory_bytes",
]

#: The measured footprint of a run (docs/validation.md, the 10M run peaks at ~664 MB):
#: bytes per voter, plus what a process holds whatever the size (libraries, tables).
BYTES_PER_VOTER = 38
BYTES_BASE = 300 * 2**20


def parse_voter_count(text: str | int) -> int:
    """Read a voter count such as ``200000``, ``200k``, ``1.5m`` or ``10m``.

    Examples
    --------
    >>> parse_voter_count("200k"), parse_voter_count("10m"), parse_voter_count(5000)
    (200000, 10000000, 5000)
    """
    raw = str(text).strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(raw[-1:], 1)
    number = raw[:-1] if factor > 1 else raw
    try:
        value = float(number) if len(number) <= 32 else math.nan
    except ValueError:
        value = math.nan
    count = value * factor
    if not math.isfinite(count) or count != int(count) or count < 1:
        raise UserInputError(
            f"--voters must be a positive whole number such as 200000, 200k or 10m; got {text!r}"
        )
    if count > MAX_VOTERS:
        raise UserInputError(f"--voters must be at most {MAX_VOTERS:,} (100m); got {text!r}")
    voters = int(count)
    check_run_memory(voters)
    return voters


def run_memory_bytes(voters: int, processes: int = 1) -> int:
    """Estimated peak memory of ``processes`` runs of ``voters`` voters at once."""
    return processes * (BYTES_PER_VOTER * voters + BYTES_BASE)


def available_memory_bytes() -> int | None:
    """Memory available to new allocations here (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_run_memory(voters: int, processes: int = 1) -> None:
    """Refuse, before allocating, runs whose estimated memory exceeds what is available."""
    available = available_memory_bytes()
    needed = run_memory_bytes(voters, processes)
    if available is not None and needed > available:
        what = f"{processes} runs at once of {voters:,} voters" if processes > 1 else "the run"
        raise UserInputError(
            f"--voters {voters:,}: {what} would need about {needed / 2**30:.1f} GiB "
            f"({BYTES_PER_VOTER} B/voter + {BYTES_BASE // 2**20} MB a run), but this machine "
            f"has {available / 2**30:.1f} GiB available; use fewer voters"
            + (" or fewer --workers" if processes > 1 else "")
        )
