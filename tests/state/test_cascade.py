"""Watts (2002): the cascade window on Erdős–Rényi graphs for φ = 0.18."""

import numpy as np
import pytest

from polsim.state.cascade import erdos_renyi_edges, threshold_cascade

N = 10_000
PHI = 0.18


def _global_cascade_frequency(z: float, trials: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(trials):
        edges = erdos_renyi_edges(N, z, rng)
        seeds = np.zeros(N, bool)
        seeds[rng.integers(N)] = True
        final = threshold_cascade(edges, np.full(N, PHI), seeds)
        hits += final.mean() > 0.1  # Watts: a global cascade reaches a finite share
    return hits / trials


@pytest.mark.parametrize("z", [2.0, 4.0, 5.5])
def test_global_cascades_inside_the_window(z):
    """Inside the window (about 1 < z < 6) a single seed sometimes tips the whole graph."""
    assert _global_cascade_frequency(z, trials=40, seed=int(z * 10)) > 0.0


def test_no_global_cascade_beyond_the_window():
    """At z = 8 the graph is too well connected: no single seed starts a global cascade."""
    assert _global_cascade_frequency(8.0, trials=60, seed=8) == 0.0


def test_no_global_cascade_below_percolation():
    """At z = 0.6 there is no giant component to carry a cascade."""
    assert _global_cascade_frequency(0.6, trials=40, seed=6) == 0.0


def test_random_graph_has_the_mean_degree():
    """The drawn graph's mean degree is z within sampling error, with no self-loops."""
    edges = erdos_renyi_edges(N, 4.0, np.random.default_rng(0))
    assert 2 * len(edges) / N == pytest.approx(4.0, abs=0.1)
    assert np.all(edges[:, 0] < edges[:, 1])
    assert len(np.unique(edges, axis=0)) == len(edges)


def test_ineligible_nodes_block_the_cascade():
    """A node that may not adopt stops the cascade along a path."""
    edges = np.array([[0, 1], [1, 2]])
    eligible = np.array([True, False, True])
    final = threshold_cascade(edges, np.full(3, 0.5), np.array([True, False, False]), eligible)
    assert final.tolist() == [True, False, False]
