"""Granovetter (1978) threshold model, reproduced from the paper's worked examples."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from polsim.society.mobilisation import granovetter_equilibrium, threshold_equilibrium


def test_uniform_crowd_all_riot():
    """Thresholds 0, 1, ..., 99 (people, of 100): every one of the 100 acts."""
    thresholds = np.arange(100) / 100
    assert granovetter_equilibrium(thresholds) * 100 == pytest.approx(100)


def test_moving_one_person_stops_the_riot():
    """Move the threshold-1 person to 2: only the instigator acts (Granovetter 1978)."""
    thresholds = np.arange(100) / 100
    thresholds[1] = 0.02
    assert granovetter_equilibrium(thresholds) * 100 == pytest.approx(1)


def _normal_crowd(sd: float, size: int = 100_000) -> np.ndarray:
    # Granovetter's N = 100 crowd as a continuum: thresholds at the normal's quantiles,
    # in people out of 100, i.e. r(t+1) = 100·F(r(t)).
    return (25 + sd * norm.ppf((np.arange(size) + 0.5) / size)) / 100


def test_normal_thresholds_below_the_critical_spread():
    """Mean 25, σ just below 12.2: the riot stalls at about 6 people of 100."""
    acting = granovetter_equilibrium(_normal_crowd(12.2)) * 100
    assert 4 <= acting <= 7


def test_normal_thresholds_above_the_critical_spread():
    """Mean 25, σ just above the critical value: nearly all 100 act."""
    assert granovetter_equilibrium(_normal_crowd(12.4)) * 100 >= 99


def test_small_spread_keeps_crowd_quiet():
    """Mean 25, σ = 1: nobody has a threshold near 0, so nobody acts."""
    assert granovetter_equilibrium(_normal_crowd(1.0)) == 0.0


def test_hysteresis_from_a_high_start():
    """Started from a full crowd, a self-sustaining crowd stays out (Kuran 1991)."""
    thresholds = np.sort(np.r_[np.full(50, 0.4), np.full(50, 0.9)])
    assert threshold_equilibrium(thresholds, np.ones(100), start=0.0) == 0.0
    # From 60% active, the 50 with threshold 0.4 sustain each other at 50%.
    assert threshold_equilibrium(thresholds, np.ones(100), start=0.6) == pytest.approx(0.5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.floats(0, 1),
)
def test_equilibrium_is_a_fixed_point(thresholds, willing, start):
    """The share returned is a fixed point a = F(a) of the crowd's response."""
    b = np.sort(np.array(thresholds))
    w = np.array(willing[: len(b)], dtype=float)
    a = threshold_equilibrium(b, w, start=start, total=len(b))
    response = w[b <= a].sum() / len(b)
    assert response == pytest.approx(a, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60))
def test_equilibrium_from_zero_matches_naive_iteration(thresholds):
    """The closed form equals iterating a ← F(a) from zero until it stops."""
    b = np.sort(np.array(thresholds))
    a = 0.0
    for _ in range(len(b) + 2):
        a = (b <= a).sum() / len(b)
    assert granovetter_equilibrium(b) == pytest.approx(a)
