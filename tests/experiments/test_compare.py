"""compare: differences between ensembles with t intervals, paired when seeds match."""

from __future__ import annotations

import numpy as np

from polsim.experiments import apply_overrides, ensemble
from polsim.experiments.compare import compare, difference
from polsim.scenario import load_scenario

from .conftest import SMALL


def test_paired_interval_by_hand():
    """Differences 1, 1, 1.5: mean 7/6, sd 0.2887, t(0.975, 2) = 4.303, half-width 0.717."""
    out = difference(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.5]), paired=True)
    assert np.isclose(out["difference"], 7 / 6)
    assert np.isclose(
        out["ci_high"] - out["difference"], 4.302653 * 0.288675 / np.sqrt(3), rtol=1e-5
    )


def test_same_scenario_differs_by_exactly_zero(tmp_path):
    """With common random numbers, a scenario compared with itself differs by exactly 0."""
    result = compare("toy-polity", "toy-polity", runs=3, out=tmp_path / "cmp", workers=1, **SMALL)
    assert result.paired
    assert (result.table["difference"] == 0).all()
    assert (tmp_path / "cmp" / "compare.parquet").is_file()


def test_lower_legitimacy_raises_grievance(tmp_path):
    """Legitimacy 0.4 against 0.8: grievance is higher, and the interval excludes zero."""
    toy = load_scenario("toy-polity")
    low = ensemble(apply_overrides(toy, {"regime.legitimacy": 0.8}), 4, out=tmp_path / "a",
                   workers=1, **SMALL)  # fmt: skip
    high = ensemble(apply_overrides(toy, {"regime.legitimacy": 0.4}), 4, out=tmp_path / "b",
                    workers=1, **SMALL)  # fmt: skip
    result = compare(low.path, high.path, metrics=["mean:grievance_mean"], out=tmp_path / "c")
    (row,) = result.table.itertuples()
    assert result.paired and row.ci_low > 0
