"""Threshold cascades on networks (Watts 2002), the engine of resignation cascades.

Each node adopts (a deputy resigns, a soviet dissolves) once the share of its
neighbours that have adopted reaches its threshold φ_i. Adoption is never undone, so
synchronous rounds converge in at most n rounds to the cascade's final extent.

References
----------
Watts, D. J. (2002). A simple model of global cascades on random networks. *PNAS* 99(9),
5766–5771.
"""

from __future__ import annotations

import numpy as np

__all__ = ["adopted_neighbour_share", "erdos_renyi_edges", "threshold_cascade"]


def erdos_renyi_edges(n: int, mean_degree: float, rng: np.random.Generator) -> np.ndarray:
    """Undirected edges of a random graph with ``n`` nodes and the given mean degree.

    The number of edges is Binomial(n(n−1)/2, p) with p = z/(n−1), as in G(n, p); the
    edges are then drawn uniformly without self-loops or repeats. Returns an (m, 2)
    int64 array, each edge once with the smaller node first.
    """
    if n < 2 or mean_degree <= 0:
        return np.zeros((0, 2), np.int64)
    pairs = n * (n - 1) // 2
    wanted = int(rng.binomial(pairs, min(1.0, mean_degree / (n - 1))))
    edges = np.zeros((0, 2), np.int64)
    while len(edges) < wanted:
        draw = rng.integers(0, n, size=(2 * (wanted - len(edges)) + 16, 2))
        draw = draw[draw[:, 0] != draw[:, 1]]
        draw.sort(axis=1)
        edges = np.unique(np.concatenate([edges, draw]), axis=0)
    # Keep a uniformly chosen subset of the distinct edges drawn.
    keep = rng.permutation(len(edges))[:wanted]
    return edges[np.sort(keep)]


def adopted_neighbour_share(edges: np.ndarray, adopted: np.ndarray) -> np.ndarray:
    """For each node, the share of its neighbours that have adopted (0 if it has none)."""
    n = len(adopted)
    a, b = edges[:, 0], edges[:, 1]
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    count = np.bincount(a, weights=adopted[b], minlength=n) + np.bincount(
        b, weights=adopted[a], minlength=n
    )
    return np.divide(count, degree, out=np.zeros(n), where=degree > 0)


def threshold_cascade(
    edges: np.ndarray,
    thresholds: np.ndarray,
    adopted: np.ndarray,
    eligible: np.ndarray | None = None,
    max_rounds: int | None = None,
) -> np.ndarray:
    """Run the cascade to its end and return who has adopted.

    Parameters
    ----------
    edges
        (m, 2) undirected edges.
    thresholds
        φ_i: the neighbour share at which node i adopts.
    adopted
        Who has adopted at the start (the seeds); not modified.
    eligible
        Nodes that may adopt at all (default: every node). Watts's model has every node
        eligible; polsim's deputies must also find their body illegitimate.
    max_rounds
        Stop after this many synchronous rounds (default: until nothing changes).

    Examples
    --------
    A path 0–1–2 with thresholds 0.5: seeding node 0 tips node 1 (half its neighbours),
    which tips node 2 (its only neighbour).

    >>> edges = np.array([[0, 1], [1, 2]])
    >>> threshold_cascade(edges, np.full(3, 0.5), np.array([True, False, False]))
    array([ True,  True,  True])
    """
    state = np.array(adopted, dtype=bool)
    can = np.ones(len(state), bool) if eligible is None else np.asarray(eligible, bool)
    rounds = len(state) if max_rounds is None else max_rounds
    for _ in range(rounds):
        share = adopted_neighbour_share(edges, state.astype(np.float64))
        new = can & ~state & (share >= thresholds) & (share > 0)
        if not new.any():
            break
        state |= new
    return state
