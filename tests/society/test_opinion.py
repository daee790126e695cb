"""Deffuant et al. (2000): the number of opinion clusters is about 1/(2d)."""

import numpy as np
import pytest

from polsim.society.opinion import count_opinion_clusters, deffuant_round


def _settle(d: float, seed: int, n: int = 1000, rounds: int = 400) -> int:
    rng = np.random.default_rng(seed)
    opinions = rng.random(n)
    bounds = np.array([0, n])
    for _ in range(rounds):
        deffuant_round(opinions, bounds, confidence=d, convergence=0.5, rng=rng)
    return count_opinion_clusters(opinions, gap=d / 2, min_share=0.02)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_confidence_gives_four_or_five_clusters(seed):
    """d = 0.1 on uniform opinions in [0, 1] settles into 1/(2d) ≈ 4-5 major clusters."""
    assert 4 <= _settle(0.1, seed) <= 5


@pytest.mark.parametrize("d", [0.3, 0.4])
def test_large_confidence_gives_consensus(d):
    """d ≥ 0.3 settles into a single cluster."""
    assert _settle(d, seed=4) == 1


def test_pairs_never_cross_groups_and_conserve_the_mean():
    """Each group's mean opinion is conserved (symmetric moves) and groups do not mix."""
    rng = np.random.default_rng(0)
    opinions = np.r_[np.zeros(50), np.ones(51)]
    bounds = np.array([0, 50, 101])
    deffuant_round(opinions, bounds, confidence=2.0, convergence=0.5, rng=rng)
    assert np.all(opinions[:50] == 0.0) and np.all(opinions[50:] == 1.0)
    x = rng.random((101, 2))
    means = x[:50].mean(axis=0), x[50:].mean(axis=0)
    deffuant_round(x, bounds, confidence=0.5, convergence=0.3, rng=rng)
    assert np.allclose(x[:50].mean(axis=0), means[0])
    assert np.allclose(x[50:].mean(axis=0), means[1])
