"""Worlds for the organisation tests: synthetic electorates whose answers are known."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from polsim.engine.calendar import Month
from polsim.parties.elite_pool import draw_elites
from polsim.scenario import load_scenario
from polsim.scenario.schema import ElitesParameters, PartyParameters
from polsim.world.organisations import Organisations
from polsim.world.polity import RegimeState, SocietyState, World
from polsim.world.voters import Voters


def make_voters(
    positions: np.ndarray,
    ethnicity: np.ndarray | None = None,
    zhuz: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> Voters:
    """Voters at the given ideal points, one oblast, equal weights unless given."""
    n = len(positions)
    f32 = lambda: np.zeros(n, dtype=np.float32)  # noqa: E731
    return Voters(
        weight=np.ones(n, np.float32) if weight is None else weight.astype(np.float32),
        ethnicity=np.zeros(n, np.int8) if ethnicity is None else ethnicity.astype(np.int8),
        zhuz=np.full(n, -1, np.int8) if zhuz is None else zhuz.astype(np.int8),
        urban=np.zeros(n, bool),
        position=np.ascontiguousarray(positions, dtype=np.float32),
        base_hardship=f32(),
        shock_sensitivity=f32(),
        risk_aversion=f32(),
        activation_threshold=f32(),
        bandwagon_threshold=f32(),
        active=np.zeros(n, bool),
        backs_coopted=np.zeros(n, bool),
        attachment=np.full(n, -1, np.int32),
        oblast_bounds=np.array([0, n]),
    )


def make_world(
    voters: Voters, parties: dict[str, Any] | None = None, elites: int = 500, seed: int = 0
) -> World:
    """A world on the toy scenario's frame with the given voters and party parameters."""
    toy = load_scenario("toy-polity")
    scenario = toy.model_copy(
        update={
            "parties": PartyParameters(**(parties or {})),
            "elites": ElitesParameters(size=elites),
            "organisations": [],
        }
    )
    world = World(
        scenario=scenario,
        date=Month(1990, 1),
        voters=voters,
        regime=RegimeState(legitimacy=0.6, repression=0.3, efficiency=0.5, president_zhuz=-1),
        society=SocietyState(),
        institutions={},
        ethnic_groups=("Titular", "Minority"),
        oblasts=("Only",),
    )
    world.elites = draw_elites(scenario, voters, np.random.default_rng(seed))
    world.organisations = Organisations(len(voters))
    return world


def normal_voters(n: int, seed: int, sd: float = 1.0) -> Voters:
    """n voters from a bivariate normal with mean 0 and standard deviation ``sd``."""
    rng = np.random.default_rng(seed)
    return make_voters(rng.normal(0.0, sd, size=(n, 2)))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
