"""Drawing the elite pool from the electorate (docs/model.md §2.1).

Elites are a weighted sample of the synthetic voters: each elite takes a sampled
voter's ethnicity, zhuz and ideal point, so the pool mirrors society's make-up and
opinions. Ambition, loyalty and resources are drawn from the scenario's truncated
normals (``elites.ambition``, ``elites.loyalty``, ``elites.resources``).

Departure, marked: the science behind docs/model.md does not say how elites relate to voters;
sampling them from the electorate is polsim's choice (elites over-represented in the apparat, such
as the president's zhuz, are the state issue's to add through ``office``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polsim.scenario.schema import Scenario
from polsim.society.synthesis import draw
from polsim.world.counting import pairwise_sum
from polsim.world.elites import NO_OFFICE, Elites
from polsim.world.voters import Voters

__all__ = ["draw_elites", "weighted_sample"]


def weighted_sample(weight: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` voter rows drawn with replacement in proportion to ``weight``, ascending.

    The rows, and the stream's state after, are those of
    ``np.sort(rng.choice(len(weight), size, p=w / w.sum()))`` with ``w`` the weights as
    float64, without its three float64 arrays of the voters' size (a test checks).
    """
    # Generator.choice draws one uniform per pick and finds it in the normalised
    # cumulative sum of p; the kernel redoes that sum voter by voter.
    uniform = np.sort(rng.random(size))
    rows = np.empty(size, dtype=np.int64)
    if size:
        _sample_rows(weight, pairwise_sum(weight), uniform, rows)
    return rows


@njit(cache=True, nogil=True)
def _sample_rows(weight, total, uniform, rows):  # pragma: no cover
    """rows[k] = first voter whose normalised cumulative weight exceeds uniform[k]
    (``uniform`` ascending): ``searchsorted(cdf, u, side="right")``."""
    n = weight.shape[0]
    cumulative = 0.0
    for i in range(n):
        cumulative += np.float64(weight[i]) / total
    last = cumulative
    cumulative = 0.0
    k = 0
    for i in range(n):
        cumulative += np.float64(weight[i]) / total
        share = cumulative / last
        while k < uniform.shape[0] and uniform[k] < share:
            rows[k] = i
            k += 1
        if k == uniform.shape[0]:
            return
    while k < uniform.shape[0]:  # never reached: the last share is 1 and u < 1
        rows[k] = n - 1
        k += 1


def draw_elites(scenario: Scenario, voters: Voters, rng: np.random.Generator) -> Elites:
    """A pool of ``scenario.elites.size`` elites sampled from the voters by weight."""
    params = scenario.elites
    size = params.size if len(voters) else 0
    if size == 0:
        return Elites.empty()
    rows = weighted_sample(voters.weight, size, rng)
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
