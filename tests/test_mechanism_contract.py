"""One contract for every monthly mechanism (in the manner of scikit-learn's
estimator checks): shapes kept, no NaN, same seed gives the same result, events
well-formed."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.run.schedule import MONTHLY_MECHANISMS
from polsim.run.simulation import Simulation


def _world_after_warmup(seed: int):
    from polsim.scenario import load_scenario

    scenario = load_scenario("kazakhstan-1990s")
    sim = Simulation(scenario, seed, voters=4000, until=scenario.start + 60)
    for _ in range(36):  # into the 1991-92 crisis, so that mechanisms have work to do
        sim.step()
    return sim


@pytest.fixture(scope="module")
def warmed():
    return _world_after_warmup(5)


@pytest.mark.parametrize("mechanism", MONTHLY_MECHANISMS, ids=lambda m: m.name)
def test_mechanism_contract(warmed, mechanism):
    """Shapes and dtypes of voter columns are kept, nothing becomes NaN, same rng gives
    the same world, and the events are dated this month."""
    date: Month = warmed.world.date
    first, second = copy.deepcopy(warmed.world), copy.deepcopy(warmed.world)
    before = {k: (v.shape, v.dtype) for k, v in first.voters.columns().items()}
    events = mechanism(first, np.random.default_rng(1), date)
    again = mechanism(second, np.random.default_rng(1), date)
    after = {k: (v.shape, v.dtype) for k, v in first.voters.columns().items()}
    assert before == after
    for name, column in first.voters.columns().items():
        if column.dtype.kind == "f":
            assert np.isfinite(column).all(), name
        assert np.array_equal(column, second.voters.columns()[name]), name
    assert [e.describe() for e in events] == [e.describe() for e in again]
    for event in events:
        assert isinstance(event, Event)
        assert event.date == date
        assert all(":" in actor for actor in event.actors)
