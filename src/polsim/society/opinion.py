"""Opinion dynamics: Deffuant bounded confidence within oblasts (docs/model.md §1.6; optional).

Each round pairs the voters of every oblast at random. A pair whose ideal points lie
closer than the confidence bound ``d`` moves each partner a fraction ``μ`` toward the
other; farther pairs ignore each other (Deffuant, Neau, Amblard & Weisbuch 2000).

Departure from the paper, marked here: Deffuant et al. draw one random pair at a time.
polsim draws a random *matching* of each oblast per round, so that every voter meets
at most one other and all pairs update at once, vectorised. Since the pairs in a round
are disjoint, each update is exactly the paper's; only the order of meetings differs.
One round is N/2 of the paper's single encounters.

References
----------
Deffuant, G., Neau, D., Amblard, F. & Weisbuch, G. (2000). Mixing beliefs among
interacting agents. *Advances in Complex Systems* 3, 87–98.
"""

from __future__ import annotations

import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.events import Event
from polsim.engine.mechanisms import register_mechanism
from polsim.scenario.schema import OpinionParameters
from polsim.world.polity import World

__all__ = ["count_opinion_clusters", "deffuant_round", "exchange_opinions"]


def deffuant_round(
    opinions: np.ndarray,
    bounds: np.ndarray,
    confidence: float,
    convergence: float,
    rng: np.random.Generator,
) -> int:
    """One round of random pairing within each group; updates ``opinions`` in place.

    Parameters
    ----------
    opinions
        Shape (n,) or (n, k): one opinion (or point) per agent.
    bounds
        Start offsets of the groups (agents of group g are rows
        ``bounds[g]:bounds[g + 1]``); pairs never cross groups.
    confidence
        d: pairs closer than this (Euclidean distance) interact.
    convergence
        μ in (0, 0.5]: each partner moves this fraction of the gap.

    Returns
    -------
    int
        The number of pairs that interacted.
    """
    pairs = []
    for g in range(len(bounds) - 1):
        start, stop = int(bounds[g]), int(bounds[g + 1])
        size = stop - start
        if size < 2:
            continue
        order = rng.permutation(size) + start
        pairs.append(order[: 2 * (size // 2)].reshape(-1, 2))
    if not pairs:
        return 0
    matched = np.concatenate(pairs)
    a, b = matched[:, 0], matched[:, 1]
    gap = opinions[b] - opinions[a]
    distance = np.abs(gap) if gap.ndim == 1 else np.sqrt((gap * gap).sum(axis=1))
    talk = distance < confidence
    step = convergence * gap[talk]
    opinions[a[talk]] += step
    opinions[b[talk]] -= step
    return int(talk.sum())


def count_opinion_clusters(opinions: np.ndarray, gap: float = 0.01, min_share: float = 0.01) -> int:
    """Clusters of a 1-D opinion profile: runs separated by more than ``gap``.

    Clusters holding less than ``min_share`` of the agents (Deffuant's "minor
    clusters" of extremists) are not counted.

    Examples
    --------
    >>> count_opinion_clusters(np.array([0.1, 0.1, 0.5, 0.5, 0.9]), min_share=0.3)
    2
    """
    ordered = np.sort(np.asarray(opinions, dtype=np.float64))
    breaks = np.flatnonzero(np.diff(ordered) > gap)
    sizes = np.diff(np.concatenate(([0], breaks + 1, [len(ordered)])))
    return int((sizes >= min_share * len(ordered)).sum())


@register_mechanism("society.opinion", phase="society", order=30, reads="society.opinion")
def exchange_opinions(
    world: World, params: OpinionParameters, rng: np.random.Generator, date: Month
) -> list[Event]:
    """Voters of each oblast exchange opinions, if the scenario switches it on."""
    if not params.enabled:
        return []
    voters = world.voters
    for _ in range(params.encounters_per_month):
        deffuant_round(
            voters.position, voters.oblast_bounds, params.confidence, params.convergence, rng
        )
    np.clip(voters.position, -1.0, 1.0, out=voters.position)
    return []
