"""Differential test: our seat formulas against the `apportionment` package.

`apportionment` (a test-only dependency) implements D'Hondt, Sainte-Laguë, modified
Sainte-Laguë and Hare largest remainder (its "largest_remainder"); it has no Droop quota.
Its `compute` zeroes parties below `threshold * total` and, with `tiesallowed=False`,
raises `TiesException` when a lot would be needed; such cases are skipped. With
`fractions=True` it compares exact fractions for D'Hondt, Sainte-Laguë and largest
remainder (modified Sainte-Laguë stays in floats there, so near-ties may differ; those are
skipped too via our own exact tie report).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from polsim.elections import allocate_seats

apportionment_methods = pytest.importorskip("apportionment.methods")

CASES_PER_METHOD = 2000

# our name -> the reference's name
SHARED_METHODS = {
    "dhondt": "dhondt",
    "sainte-lague": "saintelague",
    "modified-sainte-lague": "modified_saintelague",
    "hare": "largest_remainder",
}


def _random_election(rng: np.random.Generator) -> tuple[list[int], int, float | None]:
    """A random election whose vote counts are large enough that ties are rare."""
    parties = int(rng.integers(2, 10))
    # Lognormal sizes give a realistic mix of large and small parties.
    votes = [int(v) for v in rng.lognormal(mean=10, sigma=1.5, size=parties).round()]
    seats = int(rng.integers(1, 60))
    threshold = [None, 0.03, 0.05][int(rng.integers(0, 3))]
    return votes, seats, threshold


def _on_threshold_boundary(votes: list[int], threshold: float | None) -> bool:
    """Whether a party sits exactly on the threshold, where float rounding could differ."""
    if threshold is None:
        return False
    bar = Fraction(str(threshold)) * sum(votes)
    return any(v == bar for v in votes)


@pytest.mark.parametrize("method", sorted(SHARED_METHODS))
def test_agrees_with_apportionment_package(method: str) -> None:
    """On thousands of random elections without ties, both implementations give the same seats."""
    rng = np.random.default_rng(20240229)
    compared = 0
    for _ in range(CASES_PER_METHOD):
        votes, seats, threshold = _random_election(rng)
        if _on_threshold_boundary(votes, threshold) or sum(votes) == 0:
            continue
        try:
            expected = apportionment_methods.compute(
                SHARED_METHODS[method],
                votes,
                seats,
                fractions=True,
                threshold=threshold,
                tiesallowed=False,
            )
        except apportionment_methods.TiesException:
            continue
        ours = allocate_seats(votes, seats, method, threshold or 0.0)
        if ours.ties:
            continue
        assert list(ours.seats) == [int(s) for s in expected], (votes, seats, threshold)
        compared += 1
    # Ties are rare with these vote counts: nearly every case must have been compared.
    assert compared >= 0.95 * CASES_PER_METHOD
