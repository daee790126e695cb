"""Tension: ethnic polarisation of the vote, grievance gaps, and the guarantor."""

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.state.civil_peace import ethnic_vote_polarisation, keep_the_peace


class _Org:
    def __init__(self, id_, base):
        self.id, self.ethnic_base = id_, base


def test_polarisation_two_equal_ethnic_blocs_is_one(kz_world):
    """Half back a Kazakh party and half a Russian one: polarisation 1 in every oblast."""
    world = kz_world
    voters = world.voters
    world.organisations.records = [_Org(0, 1 << 0), _Org(1, 1 << 1)]
    choice = np.zeros(len(voters), np.int32)
    for o in range(voters.n_oblasts):
        rows = np.arange(*voters.oblast_slice(o).indices(len(voters)))
        choice[rows[::2]] = 1
    world.organisations.choice = choice
    assert ethnic_vote_polarisation(world) == pytest.approx(1.0, abs=0.02)


def test_polarisation_civic_parties_is_zero(kz_world):
    """Everyone backs an inter-ethnic organisation: no ethnic polarisation."""
    world = kz_world
    world.organisations.records = [_Org(0, (1 << 0) | (1 << 1))]
    world.organisations.choice = np.zeros(len(world.voters), np.int32)
    assert np.all(ethnic_vote_polarisation(world) == 0.0)


def test_guarantor_absorbs_tension(kz_world):
    """Removing the guarantor multiplies tension by 1/(1 − d)."""
    world = kz_world
    keep_the_peace(
        world, world.scenario.state.civil_peace, np.random.default_rng(0), Month(1994, 1)
    )
    with_guarantor = world.peace.tension.copy()
    world.regime.guarantor_present = False
    keep_the_peace(
        world, world.scenario.state.civil_peace, np.random.default_rng(0), Month(1994, 1)
    )
    d = world.scenario.state.civil_peace.guarantor_damping
    assert world.peace.tension == pytest.approx(with_guarantor / (1 - d))


def test_episodes_follow_the_hazard(kz_world):
    """At tension far above zero and no capacity, episodes break out; totals accumulate."""
    world = kz_world
    world.regime.legitimacy = 0.0
    world.regime.guarantor_present = False
    world.regime.efficiency = 0.0
    events = []
    for month in range(12):
        events += keep_the_peace(
            world,
            world.scenario.state.civil_peace,
            np.random.default_rng(month),
            Month(1994, 1) + month,
        )
    assert len(events) == int(world.peace.episodes_total.sum()) > 0
    assert all(e.kind == "ViolentEpisode" for e in events)


def test_compiled_bloc_table_matches_numpy_reference():
    from polsim.state.civil_peace import _bloc_table, _bloc_table_numpy

    rng = np.random.default_rng(5)
    n, n_orgs, n_oblasts, n_cols = 50_000, 7, 5, 4
    choice = rng.integers(-1, n_orgs, n).astype(np.int32)
    oblast = np.sort(rng.integers(0, n_oblasts, n)).astype(np.int8)
    weight = (rng.random(n) * 2).astype(np.float32)
    bloc = rng.integers(0, n_cols, n_orgs).astype(np.int64)
    bounds = np.searchsorted(oblast, np.arange(n_oblasts + 1))  # voters sorted by oblast
    expected = _bloc_table_numpy(choice, oblast, weight, bloc, n_cols, n_oblasts * n_cols)
    table = np.zeros(n_oblasts * n_cols)
    _bloc_table(choice, bounds, weight, bloc, n_cols, table, 0, n_oblasts)
    assert np.array_equal(table, expected)
    # Runs of oblasts, in any order (as threads take them), fill the same table.
    table = np.zeros(n_oblasts * n_cols)
    for first, end in ((3, 5), (0, 1), (1, 3)):
        _bloc_table(choice, bounds, weight, bloc, n_cols, table, first, end)
    assert np.array_equal(table, expected)
