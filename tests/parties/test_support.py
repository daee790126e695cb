"""Support: the compiled pass, its NumPy reference, and hand-worked utilities."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.parties.support import (
    OrganisationArrays,
    monthly_support_pass,
    support_pass,
    support_pass_numpy,
)
from polsim.scenario.schema import PartyParameters

from .conftest import make_voters


def _orgs(positions, base=None, zhuz=None, bonus=None) -> OrganisationArrays:
    k = len(positions)
    return OrganisationArrays(
        ids=np.arange(k, dtype=np.int32),
        position=np.array(positions, dtype=np.float64),
        base=np.array(base if base is not None else [0] * k, dtype=np.int64),
        zhuz=np.array(zhuz if zhuz is not None else [-1] * k, dtype=np.int64),
        bonus=np.array(bonus if bonus is not None else [0.0] * k, dtype=np.float64),
    )


def test_hand_worked_choices():
    """Three voters, two organisations: nearest wins, b_eth overturns distance, u_min abstains."""
    # Voter 0 at (0, 0): d² = 0.01 to A (0.1, 0), 0.04 to B (-0.2, 0); u_A = -0.01 → A.
    # Voter 1 at (-0.05, 0), group 1: d²_A = 0.0225, d²_B = 0.0225 → tie, but B's base is
    #   group 1, so u_B = -0.0225 + 0.1 → B.
    # Voter 2 at (0.9, 0.9): d²_A = 0.64 + 0.81 = 1.45 → u < u_min = -1 → backs none.
    voters = make_voters(
        np.array([[0.0, 0.0], [-0.05, 0.0], [0.9, 0.9]]), ethnicity=np.array([0, 1, 0])
    )
    orgs = _orgs([[0.1, 0.0], [-0.2, 0.0]], base=[0, 0b10])
    params = PartyParameters(ethnic_bonus=0.1, min_utility=-1.0, misery_cap=1.0)
    count = support_pass(voters, orgs, params, n_groups=2)
    assert count.choice.tolist() == [0, 1, -1]
    assert count.weight.tolist() == [1.0, 1.0]
    # misery: d² to the nearest, capped at 1: 0.01, 0.0225, min(1.45, 1)
    np.testing.assert_allclose(count.nearest_sq, [0.01, 0.0225, 1.0], rtol=1e-6)
    np.testing.assert_allclose(count.ethnic_weight, [[1.0, 0.0], [0.0, 1.0]])


def test_clan_and_attachment_terms():
    """b_clan pulls a voter to a leader of its zhuz; b_pid to the organisation it is attached to."""
    voters = make_voters(np.zeros((2, 2)), zhuz=np.array([2, -1]))
    voters.attachment[1] = 1
    # Both organisations at distance 0.1 (d² = 0.01): ties broken by the terms alone.
    orgs = _orgs([[0.1, 0.0], [-0.1, 0.0]], zhuz=[2, 2])
    params = PartyParameters(clan_bonus=0.05, attachment_bonus=0.05)
    orgs.zhuz[1] = 0  # only organisation 0 is led from zhuz 2
    count = support_pass(voters, orgs, params, n_groups=1)
    assert count.choice.tolist() == [0, 1]


def test_compiled_pass_matches_numpy_reference():
    """On a random electorate the numba pass and the chunked NumPy reference agree."""
    rng = np.random.default_rng(3)
    n = 50_000
    voters = make_voters(
        rng.normal(0, 0.5, (n, 2)),
        ethnicity=rng.integers(0, 3, n),
        zhuz=rng.integers(-1, 3, n),
        weight=rng.uniform(0.5, 2.0, n),
    )
    voters.attachment[:] = rng.integers(-1, 6, n)
    orgs = _orgs(
        rng.uniform(-1, 1, (6, 2)),
        base=[0b001, 0b010, 0b100, 0b011, 0, 0b111],
        zhuz=[0, 1, 2, -1, 0, 1],
        bonus=[0.0, 0.05, -0.02, 0.0, 0.1, 0.0],
    )
    params = PartyParameters(
        ethnic_bonus=0.1, clan_bonus=0.03, attachment_bonus=0.05, min_utility=-0.1
    )
    fast = support_pass(voters, orgs, params, n_groups=3)
    slow = support_pass_numpy(voters, orgs, params, n_groups=3, chunk=7_000)
    np.testing.assert_array_equal(fast.choice, slow.choice)
    np.testing.assert_allclose(fast.nearest_sq, slow.nearest_sq, rtol=1e-6)
    np.testing.assert_allclose(fast.weight, slow.weight, rtol=1e-9)
    np.testing.assert_allclose(fast.position_sum, slow.position_sum, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fast.square_sum, slow.square_sum, rtol=1e-9)
    np.testing.assert_allclose(fast.ethnic_weight, slow.ethnic_weight, rtol=1e-9)
    assert (fast.choice == -1).any() and (fast.choice >= 0).any()


def test_no_organisations_means_capped_misery():
    """With no organisation every voter backs none and its misery is the cap."""
    voters = make_voters(np.zeros((4, 2)))
    params = PartyParameters(misery_cap=0.7)
    for kernel in (support_pass, support_pass_numpy):
        count = kernel(voters, _orgs(np.zeros((0, 2))), params, n_groups=1)
        assert count.choice.tolist() == [-1] * 4
        np.testing.assert_allclose(count.nearest_sq, 0.7)


def test_monthly_kernel_matches_reference_update():
    """update_support's fused pass gives the choices, sums and misery of support_pass."""
    rng = np.random.default_rng(4)
    n, k = 3_000, 7
    voters = make_voters(
        rng.normal(0, 0.5, (n, 2)).clip(-1, 1), ethnicity=rng.integers(0, 3, n),
        zhuz=rng.integers(-1, 3, n),
    )  # fmt: skip
    voters.attachment[:] = rng.integers(-1, k, n)
    orgs = _orgs(
        rng.uniform(-0.8, 0.8, (k, 2)), base=rng.integers(0, 8, k), zhuz=rng.integers(-1, 3, k),
        bonus=rng.normal(0, 0.05, k),
    )  # fmt: skip
    params = PartyParameters(min_utility=-0.3, ethnic_bonus=0.1, clan_bonus=0.05)
    expected = support_pass_numpy(voters, orgs, params, n_groups=3, chunk=1_000)
    redirect = np.append(np.arange(k), -1).astype(np.int64)
    choice = np.empty(n, np.int32)
    misery = rng.random(n).astype(np.float32)
    old_misery = misery.copy()
    sums = (np.zeros(k), np.zeros((k, 2)), np.zeros(k), np.zeros((k, 3)))
    monthly_support_pass(voters, redirect, orgs, params, choice, misery, sums)
    assert np.array_equal(choice, np.where(expected.choice >= 0, orgs.ids[expected.choice], -1))
    gamma = np.float32(params.misery_memory)
    assert np.array_equal(misery, old_misery * gamma + expected.nearest_sq)
    assert np.allclose(sums[0], expected.weight, rtol=1e-12)
    assert np.allclose(sums[1], expected.position_sum, rtol=1e-12)
    assert np.allclose(sums[3], expected.ethnic_weight, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 700),
    k=st.integers(0, 7),
    plain_share=st.sampled_from([0.0, 0.5, 1.0]),
    threads=st.sampled_from([1, 2, 3]),
    part=st.integers(2, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_monthly_pass_equals_serial_pass_exactly(n, k, plain_share, threads, part, seed):
    """The monthly pass is the serial pass, bit for bit, on any number of threads.

    Choices, d², misery, the count of voters who back an organisation they are not
    attached to, and every sum. Sizes straddle the block (256 voters), odd counts of
    organisations (compared two at a time) and parts of every size (so that the
    threaded pass hands many parts to its helpers); voters who can get no bonus (group
    3, no zhuz, no attachment) fill whole blocks or mix with those who can, so both
    comparison paths run.
    """
    rng = np.random.default_rng(seed)
    plain = rng.random(n) < plain_share
    voters = make_voters(
        rng.normal(0, 0.6, (n, 2)).clip(-1, 1),
        ethnicity=np.where(plain, 3, rng.integers(0, 3, n)),
        zhuz=np.where(plain, -1, rng.integers(-1, 3, n)),
        weight=rng.uniform(0.5, 2.0, n),
    )
    voters.attachment[:] = np.where(plain, -1, rng.integers(-1, k + 1, n))
    orgs = _orgs(
        rng.uniform(-0.8, 0.8, (k, 2)), base=rng.integers(0, 8, k), zhuz=rng.integers(-1, 3, k),
        bonus=rng.normal(0, 0.05, k),
    )  # fmt: skip
    params = PartyParameters(min_utility=-0.3, ethnic_bonus=0.1, clan_bonus=0.05)
    # No organisation has been dissolved: attachments map to themselves, -1 to -1.
    redirect = np.append(np.arange(k + 1), -1).astype(np.int64)
    attached_before = voters.attachment.copy()
    expected = support_pass(voters, orgs, params, n_groups=4)
    choice = np.empty(n, np.int32)
    misery = np.zeros(n, np.float32)
    sums = (np.zeros(k), np.zeros((k, 2)), np.zeros(k), np.zeros((k, 4)))
    params = params.model_copy(update={"misery_memory": 0.0})
    misery_sum, weight_sum, candidates = monthly_support_pass(
        voters, redirect, orgs, params, choice, misery, sums,
        threads=threads, part=part, min_voters=2,
    )  # fmt: skip
    assert np.array_equal(choice, expected.choice)
    assert np.array_equal(misery, expected.nearest_sq)
    for got, want in zip(
        sums,
        (expected.weight, expected.position_sum, expected.square_sum, expected.ethnic_weight),
        strict=True,
    ):
        assert np.array_equal(got, want)
    w = voters.weight.astype(np.float64)
    assert weight_sum == sum(w.tolist())  # a Python sum is taken in voter order
    assert misery_sum == sum((expected.nearest_sq.astype(np.float64) * w).tolist())
    backs = expected.choice >= 0
    assert candidates == int(np.count_nonzero(backs & (attached_before != expected.choice)))
