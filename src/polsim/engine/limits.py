"""The bounds every user-given number (and address) is checked against, declared once.

The command line declares them on its options (so a value out of range fails before
any work, with one line naming the flag, the rule and the value); the library
functions check the same numbers for callers from Python.
"""

from __future__ import annotations

import ipaddress
import re

from polsim.errors import UserInputError

__all__ = [
    "MAX_GENERATIONS",
    "MAX_LEVELS",
    "MAX_PARTICLES",
    "MAX_PARTIES",
    "MAX_POINTS",
    "MAX_RUNS",
    "MAX_SEATS",
    "MAX_SEED",
    "MAX_THREADS",
    "MAX_VOTERS",
    "MAX_VOTES",
    "MAX_WORKERS",
    "is_host",
    "parse_dask_address",
]

#: Voters of one run: ten times the largest validated run (10M, docs/validation.md),
#: about 4 GB at the measured footprint, far below what a 32-bit voter index addresses.
MAX_VOTERS = 100_000_000

#: Seeds are stored as signed 64-bit integers: ``0 <= seed <= MAX_SEED``.
MAX_SEED = 2**63 - 1

#: Threads of one run's voter passes (far above any gain: the passes' sums are serial).
MAX_THREADS = 256

#: Local worker processes (each holds a whole run: ~300 MB at least).
MAX_WORKERS = 256

#: Points of one design, and runs (points × replications) of one experiment: at a
#: second a tiny run, about a day on one core.
MAX_POINTS = 100_000
MAX_RUNS = 100_000

#: Factorial levels of one ``--param NAME=LO:HI:K``.
MAX_LEVELS = 1_000

#: The largest ABC-SMC population, and the most generations after the prior.
MAX_PARTICLES = 10_000
MAX_GENERATIONS = 100

#: Seats of one calculation (the largest assembly, China's NPC, has ~3,000); the
#: divisor methods' work grows with the seats, so a billion would not finish.
MAX_SEATS = 10_000

#: Votes of one party: above the world's population, so any real count fits, while a
#: 400-digit number is refused before exact arithmetic on it.
MAX_VOTES = 10**12

#: Parties of one seat calculation.
MAX_PARTIES = 1_000

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def is_host(text: str) -> bool:
    """Whether ``text`` is an IP address literal or a valid host name (RFC 1123)."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        pass
    name = text[:-1] if text.endswith(".") else text
    return 0 < len(name) <= 253 and all(_HOST_LABEL.fullmatch(p) for p in name.split("."))


def parse_dask_address(dask: str | None) -> tuple[str, int] | None:
    """Check ``--dask``: None or ``local`` give None; ``tcp://HOST:PORT`` gives (host, port)."""
    if dask is None or dask == "local":
        return None
    scheme, sep, rest = dask.partition("://")
    host, colon, port = rest.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or scheme not in ("tcp", "tls") or not colon:
        raise UserInputError(f"--dask {dask!r}: expected 'local' or an address tcp://HOST:PORT")
    if not is_host(host):
        raise UserInputError(f"--dask {dask!r}: {host!r} is not a host name or IP address")
    if not (port.isascii() and port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535):
        raise UserInputError(f"--dask {dask!r}: the port must be a number from 1 to 65535")
    return host, int(port)
