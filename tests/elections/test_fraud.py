"""Klimek et al. (2012) ballot stuffing: the fingerprint and the conservation of votes."""

from __future__ import annotations

import numpy as np

from polsim.elections.fraud import stuff_ballots


def _units(n=4000, seed=3):
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 2000, n).astype(np.float64)
    turnout = np.clip(rng.normal(0.6, 0.08, n), 0.05, 0.95)
    share = np.clip(rng.normal(0.45, 0.08, n), 0.05, 0.95)
    ballots = registered * turnout
    pair = np.empty(3 * n)
    pair[0::3] = ballots * share  # endorsed
    pair[1::3] = ballots * (1 - share) * 0.6
    pair[2::3] = ballots * (1 - share) * 0.4
    return registered, ballots, pair, np.arange(0, 3 * n + 1, 3), np.zeros(n, np.int64)


def _corner(out, registered):
    turnout = out.ballots / registered
    share = out.pair_votes[0::3] / out.ballots
    return np.mean((turnout > 0.9) & (share > 0.9)), turnout, share


def test_no_fraud_leaves_a_single_blob():
    """f_i = f_e = 0: nothing changes and no unit sits near 100% turnout and share."""
    registered, ballots, pair, start, endorsed = _units()
    out = stuff_ballots(
        registered, ballots, pair, start, endorsed, np.random.default_rng(1), 0.0, 0.0, 0.1, 2.0
    )
    assert np.array_equal(out.pair_votes, pair) and np.array_equal(out.ballots, ballots)
    corner, turnout, _share = _corner(out, registered)
    assert corner == 0.0
    # One blob: the units lie within a few sd of one centre.
    assert np.mean(np.abs(turnout - turnout.mean()) < 4 * turnout.std()) > 0.99


def test_extreme_fraud_makes_a_corner_cluster():
    """f_e = 0.1: ~10% of units move near (100%, 100%); votes conserved but for stuffing."""
    registered, ballots, pair, start, endorsed = _units()
    out = stuff_ballots(
        registered, ballots, pair, start, endorsed, np.random.default_rng(1), 0.0, 0.1, 0.1, 2.0
    )
    corner, _, _ = _corner(out, registered)
    assert 0.08 < corner < 0.12  # binomial sd at n=4000 is 0.005
    unit_votes = out.pair_votes.reshape(-1, 3).sum(axis=1)
    assert np.allclose(unit_votes, pair.reshape(-1, 3).sum(axis=1) + out.added)
    assert np.allclose(out.ballots, ballots + out.added)
    assert np.all(out.pair_votes >= -1e-9)
    assert np.all(out.ballots <= registered + 1e-9)


def test_incremental_fraud_smears_toward_the_corner():
    """f_i > 0 raises turnout and share together in the affected units only."""
    registered, ballots, pair, start, endorsed = _units()
    out = stuff_ballots(
        registered, ballots, pair, start, endorsed, np.random.default_rng(2), 0.5, 0.0, 0.2, 2.0
    )
    hit = out.kind == 1
    assert 0.45 < hit.mean() < 0.55
    assert np.all(out.added[~hit] == 0)
    assert np.all(out.pair_votes[0::3][hit] >= pair[0::3][hit])


def test_units_without_endorsed_candidate_are_untouched():
    """Where the regime endorses nobody there is no one to stuff for."""
    registered, ballots, pair, start, _ = _units(200)
    out = stuff_ballots(
        registered,
        ballots,
        pair,
        start,
        np.full(200, -1),
        np.random.default_rng(1),
        0.5,
        0.5,
        0.1,
        2.0,
    )
    assert np.array_equal(out.pair_votes, pair)
