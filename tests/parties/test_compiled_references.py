"""Compiled passes in the party mechanisms agree with their NumPy references."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.parties.founding import _first_above, _weighted_voter_numpy
from polsim.world.counting import pairwise_sum


def test_compiled_draw_matches_numpy_reference():
    rng = np.random.default_rng(3)
    for n in (1, 7, 1000, 100_003):
        misery = rng.random(n).astype(np.float32) * 3
        misery[rng.random(n) < 0.3] = 0.0
        misery[0] = 1.0
        weight = np.full(n, 0.731, np.float32)
        for u in (0.0, 1e-12, *rng.random(20), 1 - 1e-16):
            expected = _weighted_voter_numpy(misery, weight, u)
            pull = misery.astype(np.float64)
            pull *= weight
            got = min(int(_first_above(misery, weight, u * pull.sum())), n - 1)
            assert expected is None or got == expected


@pytest.mark.parametrize("threads_", [1, 2, 3])
def test_compiled_two_means_matches_numpy_reference(threads_, monkeypatch):
    """Also with every size split among threads (each round's labels by runs of rows)."""
    from polsim.engine import threads
    from polsim.parties.splits import two_means, two_means_reference

    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    monkeypatch.setenv(threads.THREADS_VARIABLE, str(threads_))
    rng = np.random.default_rng(8)
    for n in (2, 3, 50, 20_001):
        for spread in (0.05, 0.5):
            centres = rng.uniform(-1, 1, (2, 2))
            points = (centres[rng.integers(0, 2, n)] + rng.normal(0, spread, (n, 2))).clip(-1, 1)
            points = points.astype(np.float32)
            weights = (rng.random(n) + 0.5).astype(np.float32).astype(np.float64)
            assert np.array_equal(two_means(points, weights), two_means_reference(points, weights))


def test_compiled_relabel_matches_numpy_reference():
    from polsim.parties.mergers import _relabel, _relabel_reference

    rng = np.random.default_rng(9)
    choice = rng.integers(-1, 30, 100_000).astype(np.int32)
    ids = np.array([3, 17, 4], dtype=np.int32)
    got, expected = choice.copy(), choice.copy()
    _relabel(got, ids, 31)
    _relabel_reference(expected, ids, 31)
    assert np.array_equal(got, expected)


def test_birth_pull_sum_is_numpy_pairwise_sum():
    rng = np.random.default_rng(10)
    for n in [*range(1, 300), 1023, 8192, 8193, 100_003, 2_000_001]:
        misery = (rng.random(n) * 4).astype(np.float32)
        weight = np.broadcast_to(np.float32(rng.random() * 500), (n,))
        pull = misery.astype(np.float64) * weight
        assert pairwise_sum(misery, weight) == pull.sum()
        weight = (rng.random(n) * 3).astype(np.float32)
        assert pairwise_sum(misery, weight) == (misery.astype(np.float64) * weight).sum()


def test_weighted_sample_is_generator_choice_sorted():
    from polsim.parties.elite_pool import weighted_sample

    source = np.random.default_rng(5)
    for n in (1, 7, 9, 129, 1000, 54_321):
        equal = np.broadcast_to(np.float32(16.5e6 / n), (n,))
        unequal = (source.random(n) + 0.1).astype(np.float32)
        for weight in (equal, unequal):
            for size in (0, 1, 600):
                ours, numpys = np.random.default_rng(n + size), np.random.default_rng(n + size)
                w = weight.astype(np.float64)
                expected = np.sort(numpys.choice(n, size=size, replace=True, p=w / w.sum()))
                assert np.array_equal(weighted_sample(weight, size, ours), expected)
                assert ours.random() == numpys.random()  # the same draws were taken


@pytest.mark.parametrize("threads_", [1, 2, 3])
def test_split_two_means_reads_supporters_in_place(threads_, monkeypatch):
    """Supporters found by runs of voters on any number of threads, in voter order."""
    from polsim.engine import threads
    from polsim.parties.splits import _supporters, _two_means, _weights_of, two_means

    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    monkeypatch.setenv(threads.THREADS_VARIABLE, str(threads_))
    rng = np.random.default_rng(11)
    n = 30_000
    position = rng.normal(0, 0.4, (n, 2)).clip(-1, 1).astype(np.float32)
    choice = rng.integers(-1, 3, n).astype(np.int16)
    rows = _supporters(choice, 1)
    assert np.array_equal(rows, np.flatnonzero(choice == 1))
    assert len(_supporters(choice, 7)) == 0
    for weight in (np.broadcast_to(np.float32(1.7), (n,)), rng.random(n).astype(np.float32)):
        w = _weights_of(weight, rows)
        assert np.array_equal(w, weight[rows].astype(np.float64))
        labels = _two_means(position, rows, w)
        assert np.array_equal(labels, two_means(position[rows], weight[rows].astype(np.float64)))


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 2_000),
    share=st.floats(0.0, 1.0),
    equal=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_side_weight_is_numpys_masked_sum(n, share, equal, seed):
    """The split's side weights are ``w[labels == side].sum()`` bit for bit (pairwise
    summation over the masked rows), for equal (broadcast: counted, not read) and
    unequal weights, and for equal weights held in a full array (read row by row)."""
    rng = np.random.default_rng(seed)
    labels = (rng.random(n) < share).astype(np.int8)
    w = np.broadcast_to(np.float64(0.37), (n,)) if equal else rng.uniform(0.1, 3.0, n)
    for side in (0, 1):
        assert pairwise_sum(w, labels=labels, side=side) == w[labels == side].sum()
        full = np.ascontiguousarray(w)
        assert pairwise_sum(full, labels=labels, side=side) == w[labels == side].sum()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 400),
    chunk=st.integers(1, 90),
    threads_=st.sampled_from([1, 2, 3]),
    radius=st.floats(0.0, 1.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_ethnic_weights_near_equals_reference_on_any_threads(n, chunk, threads_, radius, seed):
    """Weight by group near a point: chunks split among threads, then added in chunk
    order, give the reference's bits (small chunks, so that there are many)."""
    from polsim.engine import threads
    from polsim.parties import common

    from .conftest import make_voters

    rng = np.random.default_rng(seed)
    voters = make_voters(
        rng.uniform(-1, 1, (n, 2)), ethnicity=rng.integers(0, 4, n), weight=rng.uniform(0.5, 2, n)
    )
    point = rng.uniform(-0.5, 0.5, 2)
    saved = common._CHUNK, threads.THREADED_MIN_VOTERS
    common._CHUNK, threads.THREADED_MIN_VOTERS = chunk, 2
    try:
        with threads.using_threads(threads_):
            got = common.ethnic_weights_near(voters, point, radius, 4)
        want = common.ethnic_weights_near_reference(voters, point, radius, 4)
    finally:
        common._CHUNK, threads.THREADED_MIN_VOTERS = saved
    assert np.array_equal(got, want)
