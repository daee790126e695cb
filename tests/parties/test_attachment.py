"""Attachment: the compiled, branch-free pass against the rule written plainly."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.parties.support import _attach_kernel


def _attach_plainly(choice, attachment, draws, rate, start):
    """The k-th voter (from ``start``) who backs an organisation it is not attached to
    uses draw k, and attaches if the draw is below the rate; stop when draws run out."""
    used, i = 0, start
    while i < len(choice) and used < len(draws):
        if choice[i] >= 0 and attachment[i] != choice[i]:
            if draws[used] < rate:
                attachment[i] = choice[i]
            used += 1
        i += 1
    return i


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 300),
    draws=st.integers(0, 300),
    rate=st.floats(0.0, 1.0),
    start=st.integers(0, 50),
    seed=st.integers(0, 2**32 - 1),
)
def test_attach_kernel_is_the_plain_rule(n, draws, rate, start, seed):
    rng = np.random.default_rng(seed)
    choice = rng.integers(-1, 4, n).astype(np.int32)
    attachment = rng.integers(-1, 4, n).astype(np.int32)
    u = rng.random(draws)
    expected = attachment.copy()
    stop = _attach_plainly(choice, expected, u, rate, min(start, n))
    got = attachment.copy()
    assert _attach_kernel(choice, got, u, rate, min(start, n)) == stop
    assert np.array_equal(got, expected)
