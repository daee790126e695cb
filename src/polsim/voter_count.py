"""Reading a voter count (``200k``, ``10m``) without loading the output stack."""

from __future__ import annotations

import numpy as np

from polsim.errors import UserInputError

__all__ = ["parse_voter_count"]


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
        value = float(number)
    except ValueError:
        value = float("nan")
    count = value * factor
    if not np.isfinite(count) or count != int(count) or count < 1:
        raise UserInputError(
            f"--voters must be a positive whole number such as 200000, 200k or 10m; got {text!r}"
        )
    return int(count)
