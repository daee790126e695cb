"""The SALib pipeline recovers the analytic indices of the Ishigami function."""

from __future__ import annotations

import numpy as np
from SALib.test_functions import Ishigami

from polsim.experiments.parameters import Parameter
from polsim.experiments.sensitivity import sensitivity_pipeline

BOX = [Parameter(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]

# Ishigami & Homma (1990) with a = 7, b = 0.1: V = a²/8 + b·π⁴/5 + b²·π⁸/18 + 1/2,
# V1 = (1 + b·π⁴/5)²/2, V2 = a²/8, V13 = b²·π⁸·(1/18 − 1/50); ST3 = V13 / V.
_A, _B = 7.0, 0.1
_V = _A**2 / 8 + _B * np.pi**4 / 5 + _B**2 * np.pi**8 / 18 + 0.5
_V1 = (1 + _B * np.pi**4 / 5) ** 2 / 2
_V2 = _A**2 / 8
_V13 = _B**2 * np.pi**8 * (1 / 18 - 1 / 50)
S1 = {"x1": _V1 / _V, "x2": _V2 / _V, "x3": 0.0}
ST = {"x1": (_V1 + _V13) / _V, "x2": _V2 / _V, "x3": _V13 / _V}


def test_analytic_values():
    """The worked values are the published ones: S1 0.314, 0.442, 0; ST 0.558, 0.442, 0.244."""
    assert [round(S1[k], 3) for k in ("x1", "x2", "x3")] == [0.314, 0.442, 0.0]
    assert [round(ST[k], 3) for k in ("x1", "x2", "x3")] == [0.558, 0.442, 0.244]


def test_sobol_pipeline_recovers_ishigami():
    """Each analytic S1 and ST lies within the pipeline's 95% bootstrap interval."""
    result = sensitivity_pipeline(Ishigami.evaluate, BOX, "sobol", samples=4096, seed=0)
    assert result.evaluations == 4096 * 5
    for name in S1:
        found = result.indices["y0"][name]
        assert abs(found["S1"] - S1[name]) <= found["S1_conf"], (name, found)
        assert abs(found["ST"] - ST[name]) <= found["ST_conf"], (name, found)


def test_morris_finds_an_inert_parameter():
    """Morris's mu* of a parameter the model ignores is exactly zero; the others' are not."""

    def ishigami_plus_dummy(x: np.ndarray) -> np.ndarray:
        return Ishigami.evaluate(x[:, :3])

    box = [*BOX, Parameter("dummy", 0.0, 1.0)]
    result = sensitivity_pipeline(ishigami_plus_dummy, box, "morris", samples=50, seed=1)
    mu_star = {k: v["mu_star"] for k, v in result.indices["y0"].items()}
    assert mu_star["dummy"] == 0.0
    assert min(mu_star["x1"], mu_star["x2"], mu_star["x3"]) > 0.0
