"""A small world for state tests: the Kazakhstan scenario at a few thousand voters."""

from __future__ import annotations

import pytest

from polsim.run.simulation import Simulation
from polsim.scenario import load_scenario


@pytest.fixture
def kz_world():
    """A freshly built Kazakhstan world (not stepped), with aggregates filled in."""
    scenario = load_scenario("kazakhstan-1990s")
    sim = Simulation(scenario, 3, voters=4000)
    sim.step()  # one month so that society's aggregates exist
    return sim.world
