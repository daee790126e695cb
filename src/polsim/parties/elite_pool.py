"""Drawing the elite pool from the electorate (MODEL.md §2, §3).

Elites are a weighted sample of the synthetic voters: each elite takes a sampled
voter's ethnicity, zhuz and ideal point, so the pool mirrors society's make-up and
opinions. Ambition, loyalty and resources are drawn from the scenario's truncated
normals (``elites.ambition``, ``elites.loyalty``, ``elites.resources``).

Departure, marked: MODEL.md does not say how elites relate to voters; sampling them
from the electorate is polsim's choice (elites over-represented in the apparat, such
as the president's zhuz, are the state issue's to add through ``office``).
"""

from __future__ import annotations

import numpy as np

from polsim.scenario.schema import Scenario
from polsim.society.synthesis import draw
from polsim.world.elites import NO_OFFICE, Elites
from polsim.world.voters import Voters

__all__ = ["draw_elites"]


def draw_elites(scenario: Scenario, voters: Voters, rng: np.random.Generator) -> Elites:
    """A pool of ``scenario.elites.size`` elites sampled from the voters by weight."""
    params = scenario.elites
    size = params.size if len(voters) else 0
    if size == 0:
        return Elites.empty()
    weight = voters.weight.astype(np.float64)
    rows = rng.choice(len(voters), size=size, replace=True, p=weight / weight.sum())
    rows.sort()  # voters are sorted by oblast; keep the pool in the same order
    return Elites(
        ethnicity=voters.ethnicity[rows].copy(),
        zhuz=voters.zhuz[rows].copy(),
        position=voters.position[rows].copy(),
        ambition=draw(params.ambition, size, rng),
        loyalty=draw(params.loyalty, size, rng),
        resources=draw(params.resources, size, rng),
        experience=np.zeros(size, dtype=np.float32),
        organisation=np.full(size, -1, dtype=np.int32),
        office=np.full(size, NO_OFFICE, dtype=np.int16),
    )
