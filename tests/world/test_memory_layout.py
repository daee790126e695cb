"""Memory: what a voter costs, held and at synthesis (performance target 4).

Allocation sizes are deterministic, so these are exact checks, not timings: a change
that adds a column or a voter-sized temporary fails here before it shows in
``make bench``.
"""

from __future__ import annotations

import platform
import tracemalloc

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.run.simulation import Simulation
from polsim.society.synthesis import synthesise_voters

#: Bytes per voter held by the voter columns (docs/model.md §1.1).
VOTER_COLUMN_BYTES = 35
#: Plus the party system's per-voter choice (int16) and misery (float32).
PARTY_SYSTEM_BYTES = 6


def test_bytes_held_per_voter(kazakhstan):
    sim = Simulation(kazakhstan, 0, 20_000, Month(1989, 2))
    sim.run()
    voters, table = sim.world.voters, sim.world.organisations
    assert voters.nbytes == VOTER_COLUMN_BYTES * len(voters) + 4  # + the shared weight
    assert voters.weight.strides == (0,)  # one shared weight
    assert table.choice.nbytes + table.misery.nbytes == PARTY_SYSTEM_BYTES * len(voters)


def test_synthesis_peak_is_close_to_what_it_returns(kazakhstan):
    """Synthesis of 2M voters peaks at most 6 bytes per voter above the columns it
    returns (draws come a chunk at a time, each oblast is sorted in place: 4.5 B/voter
    now; sorting through one voter-sized index, as before, took 8.2)."""
    n = 2_000_000
    synthesise_voters(kazakhstan, 1_000, np.random.default_rng(0))  # caches, imports
    tracemalloc.start()
    try:
        voters = synthesise_voters(kazakhstan, n, np.random.default_rng(0))
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held >= voters.nbytes
    assert peak - voters.nbytes <= 6 * n, (peak - voters.nbytes) / n


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_large_arrays_are_mapped_on_glibc():
    """A simulation fixes glibc's mapping threshold, so peak memory does not creep."""
    from polsim.engine.memory import map_large_arrays

    assert map_large_arrays() is True
