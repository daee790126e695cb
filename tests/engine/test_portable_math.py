"""The portable exp: within an ulp of the true value, and the same bits as plain IEEE
arithmetic written out in Python (so no machine-dependent fused operation crept in)."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from polsim.engine import portable_math
from polsim.engine.portable_math import portable_exp_array


def _python_exp(x: float) -> float:
    """The module's algorithm in Python floats (IEEE double, one rounding per operation)."""
    pm = portable_math
    if x != x:
        return x
    clipped = min(max(x, -746.0), 710.0)
    shifted = clipped * pm._LOG2E + pm._SHIFTER
    k = shifted - pm._SHIFTER
    whole = int(k)
    r = (clipped - k * pm._LN2_HI) - k * pm._LN2_LO
    p = pm._C13
    for n in range(12, -1, -1):
        p = p * r + getattr(pm, f"_C{n}")
    low = whole >> 1
    high = whole - low
    y = (p * math.ldexp(1.0, low)) * math.ldexp(1.0, high)
    if x > pm._OVERFLOW:
        return math.inf
    if x < pm._UNDERFLOW:
        return 0.0
    return y


def _true_exp(x: float) -> float:
    """e**x correctly rounded to a double (60 significant digits, then one rounding)."""
    with localcontext() as context:
        context.prec = 60
        return float(Decimal(x).exp())


def _ulps(got: float, want: float) -> float:
    return abs(got - want) / math.ulp(want) if want else abs(got) / math.ulp(0.0)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-745.0, max_value=709.78, allow_nan=False))
def test_within_one_ulp_of_the_true_value(x):
    """Against exact decimal arithmetic, over the whole range (subnormal results too)."""
    got = float(portable_exp_array(np.array([x]))[0])
    assert _ulps(got, _true_exp(x)) <= 1.0


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_same_bits_as_plain_ieee_arithmetic(x):
    """The compiled (vectorised) exp equals the algorithm in Python floats, bit for bit."""
    got = float(portable_exp_array(np.array([x]))[0])
    want = _python_exp(x)
    assert (got == want and math.copysign(1, got) == math.copysign(1, want)) or (
        math.isnan(got) and math.isnan(want)
    )


def test_special_values_and_a_long_array():
    """exp(0) = 1 exactly, the limits, NaN; a long array agrees with the scalar results."""
    special = np.array([0.0, -0.0, 1.0, -np.inf, np.inf, np.nan, 709.79, -745.2, 709.78])
    got = portable_exp_array(special)
    assert got[0] == 1.0 and got[1] == 1.0 and _ulps(got[2], math.e) <= 1.0
    assert got[3] == 0.0 and got[4] == np.inf and np.isnan(got[5])
    assert got[6] == np.inf and got[7] == 0.0 and np.isfinite(got[8])
    x = np.random.default_rng(0).uniform(-50, 50, 10_001)
    many = portable_exp_array(x)
    assert all(many[i] == _python_exp(float(x[i])) for i in range(0, len(x), 97))
    # Against the platform's exp: never more than an ulp apart, and mostly identical.
    platform = np.array([math.exp(v) for v in x])
    assert np.all(np.abs(many - platform) <= np.spacing(platform))
    assert np.mean(many == platform) > 0.8
