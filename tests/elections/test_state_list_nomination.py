"""The state list's nominees: drawn by rank in one compiled pass, the same nominees as
:func:`_regime_pick` over an index array of every voter."""

from __future__ import annotations

import numpy as np
import pytest

from polsim.elections.candidates import (
    NO_CODE,
    Nominee,
    _kazakh_code,
    _regime_pick,
    _regime_position,
    nominate_state_list,
)
from polsim.engine.calendar import Month
from polsim.engine.simulation import Simulation


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
