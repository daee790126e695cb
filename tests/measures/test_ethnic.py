"""Ethnic fractionalisation and polarisation, worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.measures import ethnic_fractionalization, ethnic_polarization


def test_fractionalization_hand_worked() -> None:
    """1 - sum p^2: one group 0; two equal 0.5; 60/30/10 -> 1 - 0.46 = 0.54."""
    assert ethnic_fractionalization([1]) == pytest.approx(0.0)
    assert ethnic_fractionalization([50, 50]) == pytest.approx(0.5)
    assert ethnic_fractionalization({"Kazakh": 60, "Russian": 30, "Other": 10}) == pytest.approx(
        0.54
    )


def test_polarization_two_equal_groups_is_one() -> None:
    """Two equal groups are the most polarised society: RQ = 4 (0.25 * 0.5 * 2) = 1."""
    assert ethnic_polarization([0.5, 0.5]) == pytest.approx(1.0)
    assert ethnic_polarization({"A": 1_000, "B": 1_000}) == pytest.approx(1.0)


def test_polarization_hand_worked() -> None:
    """RQ = 4 sum p^2 (1 - p): homogeneous 0; 60/30/10 -> 4 (0.144 + 0.063 + 0.009) = 0.864."""
    assert ethnic_polarization([1]) == pytest.approx(0.0)
    assert ethnic_polarization([60, 30, 10]) == pytest.approx(0.864)
    # Four equal groups: 4 * 4 * (1/16) * (3/4) = 0.75; ten: 4 * 10 * 0.01 * 0.9 = 0.36.
    assert ethnic_polarization([1] * 4) == pytest.approx(0.75)
    assert ethnic_polarization([1] * 10) == pytest.approx(0.36)


def test_polarization_and_fractionalization_diverge() -> None:
    """Many small groups: fractionalisation rises toward 1 while polarisation falls."""
    assert ethnic_fractionalization([1] * 10) > ethnic_fractionalization([1] * 2)
    assert ethnic_polarization([1] * 10) < ethnic_polarization([1] * 2)


def test_paper_formula_equals_short_form() -> None:
    """1 - sum ((0.5 - p) / 0.5)^2 p equals 4 sum p^2 (1 - p)."""
    shares = [0.42, 0.37, 0.13, 0.08]
    paper = 1 - sum(((0.5 - p) / 0.5) ** 2 * p for p in shares)
    assert ethnic_polarization(shares) == pytest.approx(paper)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(lambda g: sum(g) > 0))
def test_indices_lie_in_unit_interval(groups) -> None:
    """Both indices lie in [0, 1] for any group sizes."""
    assert -1e-12 <= ethnic_fractionalization(groups) <= 1
    assert -1e-12 <= ethnic_polarization(groups) <= 1 + 1e-12


@pytest.mark.parametrize(
    ("shares", "message"),
    [([0.5, -0.5], "non-negative"), ([float("inf")], "finite"), ([0, 0], "not all be zero")],
)
def test_bad_shares_raise(shares, message) -> None:
    """Invalid group sizes raise a ValueError naming the problem."""
    with pytest.raises(ValueError, match=message):
        ethnic_polarization(shares)
    with pytest.raises(ValueError, match=message):
        ethnic_fractionalization(shares)
