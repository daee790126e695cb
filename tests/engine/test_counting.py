"""Compiled counts agree bit for bit with the NumPy code they replace."""

import numpy as np
import pytest

from polsim.elections.districts import _oblast_sums
from polsim.world.counting import bincount, stable_order, support_tables


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
def test_bincount_matches_numpy(dtype):
    rng = np.random.default_rng(2)
    index = rng.integers(0, 90, 100_001).astype(dtype)
    weights = (rng.random(len(index)) * 1e3).astype(np.float32)
    for minlength in (0, 50, 200):
        assert np.array_equal(
            bincount(index, weights=weights, minlength=minlength),
            np.bincount(index, weights=weights, minlength=minlength),
        )
        got, expected = (
            bincount(index, minlength=minlength),
            np.bincount(index, minlength=minlength),
        )
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
    with pytest.raises(ValueError):
        bincount(np.array([1, -1], dtype))


def test_oblast_sums_match_numpy():
    rng = np.random.default_rng(4)
    bounds = np.array([0, 10, 10, 5000, 12345], np.int64)
    weight = rng.random(12345).astype(np.float32)
    oblast = np.repeat(np.arange(4), np.diff(bounds))
    assert np.array_equal(_oblast_sums(weight, bounds), np.bincount(oblast, weights=weight))


def test_support_tables_match_numpy():
    rng = np.random.default_rng(6)
    n, n_districts, n_orgs, n_eth = 80_000, 13, 6, 5
    district = rng.integers(0, n_districts, n).astype(np.int16)
    attachment = rng.integers(-1, n_orgs, n).astype(np.int32)
    weight = (rng.random(n) * 3).astype(np.float32)
    ethnicity = rng.integers(0, n_eth, n).astype(np.int8)
    zhuz = rng.integers(-1, 3, n).astype(np.int8)
    support, by_eth, by_zhuz = support_tables(
        district, attachment, weight, ethnicity, zhuz, n_districts, n_orgs, n_eth
    )
    backs = attachment >= 0
    cell = district[backs].astype(np.int64) * n_orgs + attachment[backs]
    w = weight[backs].astype(np.float64)
    assert np.array_equal(support, np.bincount(cell, weights=w, minlength=n_districts * n_orgs))
    assert np.array_equal(
        by_eth,
        np.bincount(cell * n_eth + ethnicity[backs], weights=w, minlength=len(by_eth)),
    )
    assert np.array_equal(
        by_zhuz,
        np.bincount(
            cell * 4 + (zhuz[backs].astype(np.int64) + 1), weights=w, minlength=len(by_zhuz)
        ),
    )


def test_support_tables_with_choice_count_the_ballot_attachment():
    rng = np.random.default_rng(7)
    n, n_districts, n_orgs, n_eth = 50_000, 9, 5, 4
    district = rng.integers(0, n_districts, n).astype(np.int16)
    attachment = rng.integers(-1, n_orgs, n).astype(np.int16)
    choice = rng.integers(-1, n_orgs, n).astype(np.int16)
    weight = (rng.random(n) * 3).astype(np.float32)
    ethnicity = rng.integers(0, n_eth, n).astype(np.int8)
    zhuz = rng.integers(-1, 3, n).astype(np.int8)
    args = (weight, ethnicity, zhuz, n_districts, n_orgs, n_eth)
    merged = np.where(attachment >= 0, attachment, choice).astype(np.int32)
    got = support_tables(district, attachment, *args, choice=choice)
    expected = support_tables(district, merged, *args)
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("n", [0, 1, 1000, 100_003])
def test_stable_order_is_numpys_stable_argsort(n):
    rng = np.random.default_rng(n)
    for n_groups in (1, 7, 400):
        index = rng.integers(0, n_groups, n).astype(np.int16)
        order = stable_order(index, n_groups)
        assert order.dtype == np.int32
        assert np.array_equal(order, np.argsort(index, kind="stable"))
