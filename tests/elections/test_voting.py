"""Turnout and multinomial-logit vote choice: softmax shares, kernel = NumPy, chunking."""

from __future__ import annotations

import numpy as np
import pytest

from polsim.elections.voting import (
    Ballot,
    CandidateTable,
    _approval,
    _candidate_arrays,
    _choose_candidates,
    _coefficients,
    _count_ballots,
    approval_totals,
    approval_totals_reference,
    cast_ballots,
    choice_probabilities,
    choose_reference,
)
from polsim.scenario.schema import ElectionParameters


def _ballot(n, n_districts=1, seed=0, n_units=None):
    rng = np.random.default_rng(seed)
    n_units = n_units or n_districts
    district = np.sort(rng.integers(0, n_districts, n)).astype(np.int16)
    per = max(n_units // n_districts, 1)
    unit = (district.astype(np.int32) * per + rng.integers(0, per, n)).astype(np.int32)
    return Ballot(
        weight=np.ones(n, np.float32),
        position=rng.uniform(-1, 1, (n, 2)).astype(np.float32),
        ethnicity=rng.integers(0, 3, n).astype(np.int8),
        zhuz=rng.integers(-1, 3, n).astype(np.int8),
        attachment=rng.integers(-1, 4, n).astype(np.int32),
        urban=rng.random(n) < 0.5,
        hardship=rng.random(n).astype(np.float32),
        grievance=(rng.random(n) * 0.5).astype(np.float32),
        legitimacy=rng.random(n).astype(np.float32),
        district=district,
        unit=unit,
    ), np.repeat(np.arange(n_districts), per)


def _candidates(per_district, seed=1):
    rng = np.random.default_rng(seed)
    k = int(sum(per_district))
    return CandidateTable(
        start=np.concatenate(([0], np.cumsum(per_district))).astype(np.int64),
        position=rng.uniform(-1, 1, (k, 2)),
        ethnicity=rng.integers(-1, 3, k),
        zhuz=rng.integers(-1, 3, k),
        org=rng.integers(-1, 4, k),
        endorsed=rng.random(k) < 0.3,
        spatial=np.ones(k),
        valence=np.zeros(k),
    )


def test_softmax_shares_by_hand():
    """Three candidates with valences 0, ln 2, ln 3 and no other term: shares 1/6, 2/6, 3/6."""
    n = 120_000
    ballot, unit_district = _ballot(n)
    params = ElectionParameters(
        spatial_weight=0.0,
        ethnic_bonus=0.0,
        clan_bonus=0.0,
        party_bonus=0.0,
        regime_bonus=0.0,
        turnout_intercept=10.0,
        turnout_hardship=0,
        turnout_grievance=0,
        turnout_legitimacy=0,
        turnout_urban=0,
        mobilisation=0,
        unit_turnout_sd=0,
    )
    cands = CandidateTable(
        start=np.array([0, 3]),
        position=np.zeros((3, 2)),
        ethnicity=np.full(3, -1),
        zhuz=np.full(3, -1),
        org=np.full(3, -1),
        endorsed=np.zeros(3, bool),
        spatial=np.ones(3),
        valence=np.log([1.0, 2.0, 3.0]),
    )
    count, _voted = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(5))
    shares = count.pair_votes / count.pair_votes.sum()
    expected = np.array([1, 2, 3]) / 6
    # Binomial sd at n = 120,000 is below 0.0015; allow 4 sd.
    assert np.all(np.abs(shares - expected) < 0.006)
    p, _ = choice_probabilities(ballot, slice(0, 5), cands, params)
    assert np.allclose(p, expected)


def test_kernel_equals_numpy_reference():
    """The numba kernel picks exactly the candidate the NumPy inverse-CDF reference picks."""
    n = 40_000
    ballot, unit_district = _ballot(n, n_districts=7, n_units=21)
    cands = _candidates([3, 1, 5, 2, 4, 6, 2])
    params = ElectionParameters()
    rng = np.random.default_rng(9)
    voted = rng.random(n) < 0.8
    draw = rng.random(n)
    rows = slice(0, n)
    expected = choose_reference(ballot, rows, cands, params, voted, draw)
    choice = np.empty(n, np.int64)
    slate = cands.counts[unit_district]
    pair_start = np.concatenate(([0], np.cumsum(slate)))
    ballots = np.zeros(len(unit_district))
    pair_votes = np.zeros(int(pair_start[-1]))
    arrays = _candidate_arrays(cands)
    voters = (
        np.ascontiguousarray(ballot.position[:, 0]), np.ascontiguousarray(ballot.position[:, 1]),
        ballot.ethnicity, ballot.zhuz, ballot.attachment, _approval(ballot, rows),
        ballot.district, voted, draw, arrays, _coefficients(params),
    )  # fmt: skip
    # In two runs of voters, the later first (as threads may finish them).
    _choose_candidates(*voters, n // 3, n, choice)
    _choose_candidates(*voters, 0, n // 3, choice)
    _count_ballots(
        choice, ballot.district, ballot.unit, ballot.weight, arrays[0], pair_start, ballots,
        pair_votes,
    )  # fmt: skip
    assert np.array_equal(choice, expected)
    chose = expected >= 0
    local = expected[chose] - cands.start[ballot.district[chose].astype(np.int64)]
    ref_pairs = np.bincount(pair_start[ballot.unit[chose]] + local, minlength=len(pair_votes))
    assert np.array_equal(pair_votes, ref_pairs.astype(float))
    assert np.array_equal(ballots, np.bincount(ballot.unit[chose], minlength=len(ballots)))


@pytest.mark.parametrize("threads_", [1, 3])
def test_seed_reproducible_and_chunk_invariant(threads_, monkeypatch):
    """Same seed → same tallies; chunks of 1,024 give exactly what one chunk gives, on
    one thread or (each chunk's voters split among them) on three."""
    from polsim.engine import threads

    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    monkeypatch.setenv(threads.THREADS_VARIABLE, str(threads_))
    n = 30_000
    ballot, unit_district = _ballot(n, n_districts=5, n_units=25)
    cands = _candidates([2, 3, 4, 1, 5])
    params = ElectionParameters()
    a, va = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(3), chunk=n)
    b, vb = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(3), chunk=1024)
    c, _ = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(4), chunk=n)
    assert np.array_equal(a.pair_votes, b.pair_votes) and np.array_equal(a.ballots, b.ballots)
    assert np.array_equal(va, vb)
    assert not np.array_equal(a.pair_votes, c.pair_votes)
    with threads.using_threads(1):
        d, vd = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(3))
    assert np.array_equal(a.pair_votes, d.pair_votes) and np.array_equal(a.ballots, d.ballots)
    assert np.array_equal(va, vd)


def test_turnout_falls_with_grievance():
    """β_G < 0: the aggrieved half votes less than the content half."""
    n = 40_000
    ballot, unit_district = _ballot(n)
    cands = _candidates([2])
    params = ElectionParameters(unit_turnout_sd=0.0)
    _, voted = cast_ballots(ballot, cands, unit_district, params, np.random.default_rng(1))
    high = ballot.grievance > np.median(ballot.grievance)
    assert voted[high].mean() < voted[~high].mean()


def test_approval_kernel_equals_reference():
    """Expected state-list approvals from the kernel match the NumPy reference."""
    n = 20_000
    ballot, _ = _ballot(n)
    cands = _candidates([12])
    voted = np.random.default_rng(2).random(n) < 0.7
    params = ElectionParameters()
    got = approval_totals(ballot, cands, voted, params, chunk=4096)
    assert np.allclose(got, approval_totals_reference(ballot, cands, voted, params), rtol=1e-10)


@pytest.mark.parametrize("threads_", [2, 3])
def test_approval_totals_are_the_same_bits_on_any_threads(threads_, monkeypatch):
    """Helpers' terms added in voter order give the one-thread totals exactly (small
    parts and chunks, so that many parts and chunks are handed over)."""
    from polsim.elections import voting
    from polsim.engine import threads

    n = 9_000
    ballot, _ = _ballot(n)
    cands = _candidates([17])
    voted = np.random.default_rng(5).random(n) < 0.7
    params = ElectionParameters()
    with threads.using_threads(1):
        one = approval_totals(ballot, cands, voted, params, chunk=4096)
    monkeypatch.setattr(threads, "THREADED_MIN_VOTERS", 2)
    monkeypatch.setattr(voting, "APPROVAL_PART", 333)
    with threads.using_threads(threads_):
        many = approval_totals(ballot, cands, voted, params, chunk=4096)
    assert np.array_equal(one, many)


def test_turnout_kernel_is_the_numpy_probability():
    """The compiled turnout draw is ``draw < turnout_probability`` (same bits), and only
    voters whose district has candidates vote."""
    from polsim.elections.voting import (
        _turnout_coefficients,
        _turnout_kernel,
        turnout_probability,
    )

    ballot, _ = _ballot(20_000, n_districts=7, seed=5, n_units=21)
    params = ElectionParameters(turnout_intercept=0.4, mobilisation=0.3, turnout_hardship=-0.8)
    rng = np.random.default_rng(9)
    shock = rng.normal(0.0, 0.3, 21)
    slate = np.array([3, 0, 2, 5, 0, 1, 4])
    draws = rng.random(len(ballot))
    rows = slice(0, len(ballot))
    expected = (draws < turnout_probability(ballot, rows, shock, params)) & (
        slate[ballot.district] > 0
    )
    coef = _turnout_coefficients(params)
    voted = np.zeros(len(ballot), dtype=bool)
    _turnout_kernel(
        ballot.hardship, ballot.grievance, ballot.legitimacy, ballot.urban, ballot.unit,
        ballot.district, slate, shock, coef, draws, voted,
    )  # fmt: skip
    assert np.array_equal(voted, expected)
    assert 0 < voted.mean() < 1
