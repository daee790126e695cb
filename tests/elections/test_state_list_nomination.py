"""The state list's nominees: drawn by rank in one compiled pass, the same nominees as
:func:`_regime_pick` over an index array of every voter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.elections.candidates import (
    NO_CODE,
    Nominee,
    _kazakh_code,
    _regime_pick,
    _regime_position,
    nominate_state_list,
)
from polsim.engine.calendar import Month
from polsim.run.simulation import Simulation


def _with_index_arrays(world, count, params, rng):
    """The nomination as it was written first: index arrays of voters' size."""
    voters = world.voters
    everyone = np.arange(len(voters))
    kazakh = _kazakh_code(world)
    titular = np.flatnonzero(voters.ethnicity == kazakh) if kazakh != NO_CODE else everyone[:0]
    pick = [_regime_pick(world, everyone, params, rng, titular) for _ in range(count)]
    return [
        Nominee(
            -1,
            f"state-list:{k + 1}",
            NO_CODE,
            "",
            int(voters.ethnicity[v]),
            int(voters.zhuz[v]),
            _regime_position(params, rng),
            True,
            "president",
        )
        for k, v in enumerate(pick)
    ]


@pytest.mark.parametrize("preference", [0.0, 0.6, 1.0])
def test_rank_draw_equals_index_arrays(kazakhstan, preference):
    world = Simulation(kazakhstan, 4, 6_000, Month(1989, 2)).world
    params = kazakhstan.elections_behaviour.model_copy(update={"titular_preference": preference})
    for seed in range(5):
        got = nominate_state_list(world, 65, params, np.random.default_rng(seed))
        want = _with_index_arrays(world, 65, params, np.random.default_rng(seed))
        assert got == want


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 60), min_size=1, max_size=6),
    per_oblast=st.integers(1, 4),
    crossing=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_district_rows_are_the_districts_voters(sizes, per_oblast, crossing, seed):
    """Rows by district, sorted an oblast at a time (or whole when codes cross oblasts),
    are ``np.flatnonzero(district == d)`` for every district, asked in any order."""
    from polsim.elections.candidates import _DistrictRows

    rng = np.random.default_rng(seed)
    bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    n_districts = per_oblast * len(sizes)
    if crossing:
        district = rng.integers(0, n_districts, bounds[-1]).astype(np.int16)
    else:  # each oblast's districts: its own consecutive codes, in any voter order
        district = np.concatenate(
            [o * per_oblast + rng.integers(0, per_oblast, m) for o, m in enumerate(sizes)]
        ).astype(np.int16)
    rows_of = _DistrictRows(district, bounds, n_districts)
    for d in list(range(n_districts)) + list(rng.permutation(n_districts)):
        assert np.array_equal(rows_of(int(d)), np.flatnonzero(district == d))
