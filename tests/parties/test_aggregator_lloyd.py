"""Aggregator-only competition with fixed voters is Lloyd's algorithm (docs/model.md §2.4).

For a standard bivariate normal electorate the k-means optimum puts k parties at the
centroids of k equal sectors of angle θ = 2π/k. A sector's centroid lies at distance
E[r]·sin(θ/2)/(θ/2) from the origin, with E[r] = √(π/2) for the Rayleigh radius:
k = 2 → √(π/2)·(2/π) = √(2/π) = 0.798; k = 3 → √(π/2)·(3√3/2)/π = 1.036
(Laver 2005, fig. 2; Lloyd 1982).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.parties.adaptation import adapt_positions
from polsim.parties.common import found_organisation
from polsim.parties.support import update_support

from .conftest import make_world, normal_voters

AGGREGATOR_ONLY = {"rules": {"aggregator": {"weight": 1.0, "speed": 1.0}}}


def _eccentricity_after_lloyd(k: int, n_voters: int, rounds: int, seed: int) -> float:
    world = make_world(normal_voters(n_voters, seed), AGGREGATOR_ONLY, elites=50, seed=seed)
    rng = np.random.default_rng(seed)
    date = Month(1990, 1)
    for _ in range(k):
        found_organisation(
            world,
            date,
            leader=-1,
            position=rng.uniform(-1.0, 1.0, 2),
            ethnic_base=0,
            kind="party",
            rule="aggregator",
            recruits=0,
        )
    for _ in range(rounds):
        update_support(world, world.scenario.parties, rng, date)
        adapt_positions(world, world.scenario.parties, rng, date)
    positions = np.array([o.position for o in world.organisations.alive()])
    return float(np.hypot(positions[:, 0], positions[:, 1]).mean())


@pytest.mark.parametrize(
    ("k", "expected"),
    [(2, math.sqrt(2 / math.pi)), (3, math.sqrt(math.pi / 2) * 3 * math.sqrt(3) / (2 * math.pi))],
)
def test_aggregators_reach_lloyd_eccentricity(k, expected):
    """Two (three) Aggregators on 200k standard-normal voters end at 0.798 (1.036) SD."""
    assert abs(expected - (0.798 if k == 2 else 1.036)) < 5e-4  # the published figures
    assert _eccentricity_after_lloyd(k, 200_000, rounds=150, seed=7) == pytest.approx(
        expected, abs=0.01
    )
