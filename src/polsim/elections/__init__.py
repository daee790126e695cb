"""Elections: seat formulas and the electoral systems built from them.

The public API re-exported here is that of :mod:`polsim.elections.allocation` (seat
formulas) and :mod:`polsim.elections.systems` (two-round contests, referendums, mixed
systems).
"""

from __future__ import annotations

from polsim.elections.allocation import (
    METHOD_ALIASES,
    METHODS,
    Allocation,
    AllocationError,
    Tie,
    allocate,
    allocate_seats,
    block_vote,
    canonical_method,
    levelled_house_size,
    passes_threshold,
    plurality,
    state_list,
)
from polsim.elections.systems import (
    MixedResult,
    ReferendumResult,
    TwoRoundResult,
    decide_runoff,
    mixed_parallel,
    mmp,
    presidential_two_round,
    referendum,
    two_round_majority,
)

__all__ = [
    "METHODS",
    "METHOD_ALIASES",
    "Allocation",
    "AllocationError",
    "MixedResult",
    "ReferendumResult",
    "Tie",
    "TwoRoundResult",
    "allocate",
    "allocate_seats",
    "block_vote",
    "canonical_method",
    "decide_runoff",
    "levelled_house_size",
    "mixed_parallel",
    "mmp",
    "passes_threshold",
    "plurality",
    "presidential_two_round",
    "referendum",
    "state_list",
    "two_round_majority",
]
