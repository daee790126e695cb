"""Districts drawn within oblasts and polling units nested in them."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.elections.districts import apportion_district_seats, draw_districts


def _draw(sizes, seats, weight=None, urban_share=0.4, seed=0):
    rng = np.random.default_rng(seed)
    n = int(sum(sizes))
    w = np.full(n, 7.5, np.float32) if weight is None else weight
    urban = rng.random(n) < urban_share
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    names = tuple(f"O{k}" for k in range(len(sizes)))
    return draw_districts(w, urban, bounds, seats, names, unit_people=60.0), w, bounds


def test_apportionment_by_hand():
    """One each, then the fourth seat by Hare on 450/300/250 (remainder .45 wins) → 2, 1, 1."""
    assert apportion_district_seats(np.array([450.0, 300.0, 250.0]), 4).tolist() == [2, 1, 1]


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(5, 400), min_size=1, max_size=6),
    seats=st.integers(1, 12),
)
def test_districting_invariants(sizes, seats):
    """Every voter in one district of its own oblast; seats sum; sizes differ by ≤ 1 voter."""
    total = len(sizes) + min(seats, min(sizes) - 1)
    d, w, _bounds = _draw(sizes, total)
    assert d.seats_by_oblast.sum() == total
    assert d.district.min() >= 0 and d.district.max() < d.n_districts
    oblast = np.repeat(np.arange(len(sizes)), sizes)
    assert np.array_equal(d.district_oblast[d.district], oblast)
    size = np.bincount(d.district, minlength=d.n_districts)
    for o in range(len(sizes)):
        in_o = size[d.district_oblast == o]
        if len(in_o):
            assert in_o.max() - in_o.min() <= 1
    # Units nest in districts and every unit holds voters.
    assert np.array_equal(d.unit_district[d.unit], d.district.astype(np.int64))
    assert np.all(np.bincount(d.unit, minlength=d.n_units) > 0)
    assert np.isclose(d.district_weight.sum(), w.sum(dtype=np.float64))


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(20, 300), min_size=1, max_size=4),
    seats=st.integers(1, 6),
    seed=st.integers(0, 1000),
)
def test_unequal_weights_within_one_voter(sizes, seats, seed):
    """With unequal weights each district is within one voter's weight of W/k."""
    rng = np.random.default_rng(seed)
    n = int(sum(sizes))
    weight = rng.uniform(0.5, 3.0, n).astype(np.float32)
    d, w, bounds = _draw(sizes, len(sizes) + min(seats, 10), weight=weight)
    for o in range(len(sizes)):
        k = d.seats_by_oblast[o]
        if k == 0:
            continue
        target = w[bounds[o] : bounds[o + 1]].sum(dtype=np.float64) / k
        dw = d.district_weight[d.district_oblast == o]
        assert np.all(np.abs(dw - target) <= w.max() * (1 + 1e-6))


def test_units_have_realistic_size():
    """With weight ~1 per voter, units hold about the configured number of people."""
    d, _, _ = _draw([30_000, 20_000], 10, weight=np.ones(50_000, np.float32))
    d2 = draw_districts(
        np.ones(50_000, np.float32),
        np.zeros(50_000, bool),
        np.array([0, 30_000, 50_000]),
        10,
        ("A", "B"),
        unit_people=1200.0,
    )
    assert d2.unit_weight.min() >= 800 and d2.unit_weight.max() <= 2000
    assert d.n_districts == 10


def test_equal_weight_districts_match_the_sorted_construction():
    """The unsorted compiled path gives exactly split_runs on the districting order."""
    from polsim.elections.districts import draw_districts, split_runs

    rng = np.random.default_rng(9)
    for n, seats in ((500, 21), (20_003, 60), (997, np.maximum(1, rng.integers(1, 4, 19)))):
        sizes = rng.multinomial(n, np.ones(19) / 19)
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        urban = rng.random(n) < 0.4
        got = draw_districts(
            np.full(n, np.float32(1.5)), urban, bounds, seats, (*"abcdefghijklmnopqrs",), 7.0
        )
        oblast = np.repeat(np.arange(19), sizes)
        order = np.argsort(2 * oblast + urban, kind="stable")
        first = np.concatenate(([0], np.cumsum(got.seats_by_oblast)[:-1]))
        district = first[oblast] + split_runs(bounds[:-1], sizes, got.seats_by_oblast)
        expected = np.empty(n, np.int64)
        expected[order] = district
        assert np.array_equal(got.district, expected)
        size = np.bincount(district, minlength=got.n_districts)
        units = np.bincount(got.unit_district, minlength=got.n_districts)
        start = np.concatenate(([0], np.cumsum(size)[:-1]))
        unit = np.concatenate(([0], np.cumsum(units)[:-1]))[district] + split_runs(
            start, size, units
        )
        expected_unit = np.empty(n, np.int64)
        expected_unit[order] = unit
        assert np.array_equal(got.unit, expected_unit)
