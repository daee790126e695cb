"""Every built-in scenario validates and runs for a few months (a smoke test)."""

import numpy as np
import pytest

import polsim
from polsim.scenario import builtin_scenarios


@pytest.mark.parametrize("name", sorted(builtin_scenarios()))
def test_builtin_runs_a_few_months(name):
    """A few months at a few thousand voters give finite series and well-formed events."""
    scenario = polsim.load_scenario(name)
    until = scenario.start + 3
    run = polsim.simulate(name, seed=0, voters=3000, until=str(until))
    numeric = run.series.drop(columns="month").to_numpy()
    assert np.isfinite(numeric).all()
    assert len(run.series) == 4
    assert (run.events["date"] >= str(scenario.start)).all()
