"""ABC-SMC recovers known parameters, on an analytic model and on polsim itself."""

from __future__ import annotations

import numpy as np

from polsim.experiments import apply_overrides, ensemble
from polsim.experiments.calibration import abc_smc, calibrate, weighted_quantile
from polsim.scenario import load_scenario


def test_weighted_quantile_by_hand():
    """Values 1, 2, 3 weighted 0.2, 0.5, 0.3: the CDF is 0.2, 0.7, 1, so the median is 2."""
    values, weights = np.array([3.0, 1.0, 2.0]), np.array([0.3, 0.2, 0.5])
    assert weighted_quantile(values, weights, 0.5) == 2.0
    assert weighted_quantile(values, weights, 0.1) == 1.0


def test_abc_smc_on_a_normal_mean():
    """Observing y ~ N(mu, 0.1) at 0.3 with a flat prior: the posterior is about N(0.3, 0.1)."""

    def model(thetas, tag):
        seed = [int(tag[1:3]), int(tag[5:8])]
        return thetas + 0.1 * np.random.default_rng(seed).standard_normal(thetas.shape)

    result = abc_smc(model, np.array([[-1.0, 1.0]]), np.array([0.3]), np.array([0.1]),
                     particles=400, generations=5, seed=2)  # fmt: skip
    stats = result.summary(["mu"])["mu"]
    assert abs(stats["mean"] - 0.3) < 0.05
    assert 0.07 < stats["sd"] < 0.2  # the exact posterior sd is 0.1; ABC adds the tolerance
    assert result.epsilons == sorted(result.epsilons, reverse=True)


def test_recovers_polsim_parameters(tmp_path):
    """Targets made by polsim at known parameters lie inside the posterior's 90% intervals."""
    truth = {"regime.legitimacy": 0.45, "regime.repression": 0.1}
    metrics = ["mean:grievance_mean", "mean:active_share"]
    small = {"voters": 1000, "until": "1990-06", "workers": 2}
    made = ensemble(apply_overrides(load_scenario("toy-polity"), truth), 4, seed=99,
                    metrics=metrics, out=tmp_path / "truth", **small)  # fmt: skip
    observed = made.results()
    targets = tmp_path / "targets.yaml"
    # Targets carry the spread of single runs at the truth as their sd (observation noise).
    targets.write_text(
        "".join(
            f"{m}: {{value: {float(observed[m].mean())!r}, sd: {float(observed[m].std())!r}}}\n"
            for m in metrics
        )
    )
    result = calibrate(
        "toy-polity",
        ["regime.legitimacy=0.2:0.9", "regime.repression=0:0.5"],
        targets,
        particles=30,
        generations=2,
        seed=3,
        out=tmp_path / "fit",
        **small,
    )
    for name, value in truth.items():
        stats = result.summary[name]
        assert stats["q05"] <= value <= stats["q95"], (name, stats)
    legitimacy = result.summary["regime.legitimacy"]
    assert legitimacy["q95"] - legitimacy["q05"] < 0.5 * (0.9 - 0.2)  # it learnt something
    assert (tmp_path / "fit" / "posterior.parquet").is_file()
    assert (tmp_path / "fit" / "calibration.json").is_file()
