"""Designs: the number and placement of points match their definitions."""

from __future__ import annotations

import numpy as np
import pytest

from polsim.errors import UserInputError
from polsim.experiments.designs import design_points
from polsim.experiments.parameters import Parameter

TWO = [Parameter("a", 0.0, 1.0, 3), Parameter("b", 10.0, 20.0, 2)]


def test_factorial_is_every_combination():
    """3 x 2 levels give 6 points, the levels evenly spaced including the ends."""
    points = design_points(TWO, "factorial")
    assert points.shape == (6, 2)
    assert sorted(set(points[:, 0])) == [0.0, 0.5, 1.0]
    assert sorted(set(points[:, 1])) == [10.0, 20.0]


def test_latin_hypercube_puts_one_point_in_each_stratum():
    """McKay et al. (1979): each of n equal strata of each axis holds exactly one point."""
    points = design_points(TWO, "lhs", samples=8, seed=3)
    for column, (low, span) in enumerate([(0.0, 1.0), (10.0, 10.0)]):
        strata = np.floor((points[:, column] - low) / span * 8).astype(int)
        assert sorted(strata) == list(range(8))


def test_sobol_and_morris_sizes():
    """Saltelli's scheme gives N(D+2) points; Morris gives r(D+1)."""
    assert design_points(TWO, "sobol", samples=16).shape == (16 * 4, 2)
    assert design_points(TWO, "morris", samples=5).shape == (5 * 3, 2)


def test_same_seed_same_points():
    """Designs depend only on their inputs, so a resumed experiment finds the same points."""
    for design in ("lhs", "sobol", "morris"):
        first = design_points(TWO, design, samples=8, seed=1)
        assert np.array_equal(first, design_points(TWO, design, samples=8, seed=1))


@pytest.mark.parametrize(
    ("design", "samples", "needle"),
    [("grid", None, "unknown design"), ("sobol", 10, "power of two"), ("lhs", 0, "positive")],
)
def test_bad_designs(design, samples, needle):
    """An unknown design or an impossible sample count is a one-line user error."""
    with pytest.raises(UserInputError, match=needle):
        design_points(TWO, design, samples=samples)
