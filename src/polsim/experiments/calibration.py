"""Calibration by Approximate Bayesian Computation with Sequential Monte Carlo (ABC-SMC).

The algorithm is ABC population Monte Carlo (Beaumont, Cornuet, Marin & Robert 2009;
Toni, Welch, Strelkowa, Ipsen & Stumpf 2009):

1. Generation 0 draws ``particles`` parameter vectors θ from the prior (uniform on the
   ``--param`` ranges), simulates each once and keeps them all, with equal weights.
2. Generation t draws a particle from generation t−1 by weight, perturbs it with a
   Gaussian kernel whose covariance is twice the weighted covariance of generation t−1
   (Beaumont et al. 2009), discards proposals outside the prior's box without simulating
   them, simulates the rest in batches, and accepts those whose distance to the targets
   is at most ε_t, until ``particles`` are accepted.
3. ε_t is the ``quantile`` (default 0.5) of generation t−1's distances (an adaptive
   tolerance, as in Del Moral, Doucet & Jasra 2012).
4. The weight of an accepted θ is ``π(θ) / Σ_j w_j K(θ | θ_j)``; π is uniform, so it
   is constant inside the box.

The distance is the normalised Euclidean distance
``d = sqrt(mean_k ((s_k − t_k) / σ_k)²)`` over the target metrics, where σ_k is the
target's ``sd`` when the targets file gives one and otherwise the median absolute
deviation (× 1.4826) of that metric over generation 0, the prior predictive.

Everything is seeded and batched in a fixed order, so the same call gives the same
posterior on any backend, and a killed calibration resumes where it stopped: each
batch's runs have fixed ids (``g<t>-b<batch>-<i>``) and complete runs are not redone.

References
----------
Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., Robert, C. P. (2009). Adaptive
approximate Bayesian computation. *Biometrika* 96(4), 983-990.
Toni, T., Welch, D., Strelkowa, N., Ipsen, A., Stumpf, M. P. H. (2009). Approximate
Bayesian computation scheme for parameter inference and model selection in dynamical
systems. *J. R. Soc. Interface* 6(31), 187-202.
Del Moral, P., Doucet, A., Jasra, A. (2012). An adaptive sequential Monte Carlo method
for approximate Bayesian computation. *Stat. Comput.* 22(5), 1009-1020.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from polsim.engine.limits import MAX_GENERATIONS, MAX_PARTICLES
from polsim.errors import ScenarioError, UserInputError
from polsim.experiments.backends import check_local_memory, open_backend
from polsim.experiments.core import (
    ProgressCallback,
    _design_identity,
    _folder,
    check_arguments,
    prepare,
)
from polsim.experiments.parameters import Parameter
from polsim.experiments.runner import (
    ExecutionSummary,
    backfill_metrics,
    execute,
    raise_if_failed,
)
from polsim.experiments.store import Catalog, RunSpec, write_json_atomic
from polsim.scenario.loader import parse_yaml, read_scenario_bytes
from polsim.scenario.schema import Scenario

__all__ = [
    "AbcResult",
    "CalibrationResult",
    "Target",
    "abc_smc",
    "calibrate",
    "read_targets",
    "weighted_quantile",
]


@dataclass(frozen=True)
class Target:
    """An observed value of a metric, with its standard deviation if known."""

    metric: str
    value: float
    sd: float | None = None


def read_targets(path: str | Path) -> list[Target]:
    """Read a targets file (YAML or JSON): ``metric: {value: x, sd: s}`` or ``metric: x``.

    Every problem (missing file, bad syntax, a value that is not a number, sd <= 0) is a
    one-line :class:`UserInputError` naming the file.
    """
    file = Path(path)
    try:  # bounded: a regular file under the scenario cap, YAML of bounded depth
        data = parse_yaml(read_scenario_bytes(file, "a targets file"), origin=str(file))
    except ScenarioError as error:
        raise UserInputError(f"--targets {error}") from None
    if not isinstance(data, dict) or not data:
        raise UserInputError(
            f"--targets {file}: expected a mapping metric -> {{value, sd}}, "
            "e.g. 'mean:active_share: {value: 0.02, sd: 0.005}'"
        )
    targets = []
    for metric, entry in data.items():
        spec = entry if isinstance(entry, dict) else {"value": entry}
        unknown = set(spec) - {"value", "sd"}
        if unknown:
            raise UserInputError(
                f"--targets {file}: {metric}: unknown key(s) {', '.join(sorted(unknown))}; "
                "expected value and optional sd"
            )
        value, sd = _number(file, metric, "value", spec.get("value")), spec.get("sd")
        if sd is not None:
            sd = _number(file, metric, "sd", sd)
            if sd <= 0:
                raise UserInputError(f"--targets {file}: {metric}: sd must be positive; got {sd}")
        targets.append(Target(str(metric), value, sd))
    return targets


def _number(file: Path, metric: Any, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UserInputError(f"--targets {file}: {metric}: {key} must be a number; got {value!r}")
    return float(value)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of weighted values (inverse of the weighted empirical CDF)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    return float(values[order][np.searchsorted(cumulative, q, side="left")])


@dataclass
class AbcResult:
    """The final ABC-SMC population and the run's history."""

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    tags: list[str]
    epsilons: list[float]
    acceptance: list[float]
    simulations: int
    scale: np.ndarray
    stopped_early: bool = False

    def summary(self, names: Sequence[str]) -> dict[str, dict[str, float]]:
        """Per parameter: weighted mean, sd, and the 5% and 95% quantiles (90% interval)."""
        out = {}
        for column, name in enumerate(names):
            values = self.particles[:, column]
            mean = float(np.sum(self.weights * values))
            sd = float(np.sqrt(np.sum(self.weights * (values - mean) ** 2)))
            out[name] = {
                "mean": mean,
                "sd": sd,
                "q05": weighted_quantile(values, self.weights, 0.05),
                "q95": weighted_quantile(values, self.weights, 0.95),
            }
        return out

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective sample size of the weights."""
        return float(1.0 / np.sum(self.weights**2))


def _distances(simulated: np.ndarray, target: np.ndarray, scale: np.ndarray) -> np.ndarray:
    scaled = (simulated - target) / scale
    distance = np.sqrt(np.mean(scaled**2, axis=1))
    return np.where(np.isfinite(distance), distance, np.inf)  # failed runs never accepted


def _mad_scale(simulated: np.ndarray, given: np.ndarray) -> np.ndarray:
    scale = given.copy()
    for k in range(simulated.shape[1]):
        if np.isfinite(scale[k]):
            continue
        column = simulated[:, k][np.isfinite(simulated[:, k])]
        mad = 1.4826 * np.median(np.abs(column - np.median(column))) if len(column) else 0.0
        if not mad > 0:  # a metric the prior barely moves: fall back to its spread or 1
            mad = float(np.std(column)) if len(column) and np.std(column) > 0 else 1.0
        scale[k] = mad
    return scale


def abc_smc(
    simulate_batch: Callable[[np.ndarray, str], np.ndarray],
    bounds: np.ndarray,
    target: np.ndarray,
    sd: np.ndarray | None = None,
    *,
    particles: int = 100,
    generations: int = 4,
    quantile: float = 0.5,
    seed: int = 0,
    max_batches: int = 20,
) -> AbcResult:
    """ABC-SMC (Beaumont et al. 2009; Toni et al. 2009) with an adaptive tolerance.

    Parameters
    ----------
    simulate_batch
        ``simulate_batch(thetas, tag) -> summaries``: one row of metric values per row
        of ``thetas``; ``tag`` (``g01-b002``) names the batch (polsim uses it for run ids).
    bounds
        ``(D, 2)`` array: the uniform prior's box.
    target
        ``(K,)`` observed values of the metrics.
    sd
        ``(K,)`` known standard deviations (NaN where unknown: the MAD over generation 0).
    particles
        Population size N.
    generations
        Generations after generation 0 (the prior).
    quantile
        ε_t is this quantile of the previous generation's distances.
    seed
        Seeds every draw of the algorithm (not the simulations).
    max_batches
        Batches of N proposals tried per generation before stopping early with the last
        complete generation (the tolerance has become unreachable).

    Examples
    --------
    >>> def model(thetas, tag):  # the observation is the parameter itself
    ...     return thetas.copy()
    >>> result = abc_smc(model, np.array([[0.0, 1.0]]), np.array([0.3]), particles=200)
    >>> stats = result.summary(["x"])["x"]
    >>> bool(stats["q05"] < 0.3 < stats["q95"]) and stats["sd"] < 0.1
    True
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    bounds = np.asarray(bounds, dtype=float)
    low, high = bounds[:, 0], bounds[:, 1]
    dims = len(bounds)
    target = np.asarray(target, dtype=float)
    given = np.full(len(target), np.nan) if sd is None else np.asarray(sd, dtype=float)
    # Generation 0: the prior, all accepted.
    thetas = low + (high - low) * rng.random((particles, dims))
    summaries = np.asarray(simulate_batch(thetas, "g00-b000"), dtype=float)
    scale = _mad_scale(summaries, given)
    distances = _distances(summaries, target, scale)
    weights = np.full(particles, 1.0 / particles)
    tags = [f"g00-b000-{i:04d}" for i in range(particles)]
    epsilons, acceptance = [math.inf], [1.0]
    simulations = particles
    stopped = False
    for generation in range(1, generations + 1):
        finite = distances[np.isfinite(distances)]
        epsilon = float(np.quantile(finite, quantile)) if len(finite) else math.inf
        covariance = 2.0 * np.atleast_2d(np.cov(thetas.T, aweights=weights, ddof=0))
        covariance += np.eye(dims) * 1e-12 * np.maximum(high - low, 1.0) ** 2
        chol = np.linalg.cholesky(covariance)
        precision = np.linalg.inv(covariance)
        accepted_t: list[np.ndarray] = []
        accepted_d: list[float] = []
        accepted_tags: list[str] = []
        tried = 0
        for batch in range(max_batches):
            proposals = np.empty((particles, dims))
            filled = 0
            while filled < particles:  # proposals outside the prior cost no simulation
                parents = rng.choice(particles, size=particles, p=weights)
                moved = thetas[parents] + rng.standard_normal((particles, dims)) @ chol.T
                inside = moved[np.all((moved >= low) & (moved <= high), axis=1)]
                take = min(len(inside), particles - filled)
                proposals[filled : filled + take] = inside[:take]
                filled += take
            tag = f"g{generation:02d}-b{batch:03d}"
            simulated = np.asarray(simulate_batch(proposals, tag), dtype=float)
            simulations += particles
            tried += particles
            batch_d = _distances(simulated, target, scale)
            for i in np.flatnonzero(batch_d <= epsilon):
                accepted_t.append(proposals[i])
                accepted_d.append(float(batch_d[i]))
                accepted_tags.append(f"{tag}-{i:04d}")
            if len(accepted_t) >= particles:
                break
        if len(accepted_t) < particles:
            stopped = True
            break
        new_thetas = np.array(accepted_t[:particles])
        # w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j); π is constant inside the box.
        delta = new_thetas[:, None, :] - thetas[None, :, :]
        kernel = np.exp(-0.5 * np.einsum("ijk,kl,ijl->ij", delta, precision, delta))
        new_weights = 1.0 / (kernel @ weights)
        thetas = new_thetas
        weights = new_weights / new_weights.sum()
        distances = np.array(accepted_d[:particles])
        tags = accepted_tags[:particles]
        epsilons.append(epsilon)
        acceptance.append(len(accepted_t) / tried)
    return AbcResult(
        thetas, weights, distances, tags, epsilons, acceptance, simulations, scale, stopped
    )


@dataclass
class CalibrationResult:
    """A calibration's posterior summary and where its files are."""

    path: Path
    parameters: list[str]
    summary: dict[str, dict[str, float]]
    abc: AbcResult
    executions: list[ExecutionSummary] = field(default_factory=list)
    backend: str = ""

    @property
    def skipped(self) -> int:
        """Runs found complete on disk (a resumed calibration)."""
        return sum(e.skipped for e in self.executions)


def calibrate(
    scenario: str | Path | Scenario,
    params: Sequence[str | Parameter],
    targets: str | Path | Sequence[Target] | Mapping[str, Any],
    *,
    particles: int = 100,
    generations: int = 4,
    quantile: float = 0.5,
    seed: int = 0,
    voters: int | str | None = None,
    until: str | None = None,
    out: str | Path | None = None,
    name: str | None = None,
    dask: str | None = None,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> CalibrationResult:
    """Fit scenario parameters to target metrics by ABC-SMC; write the posterior.

    Parameters
    ----------
    scenario
        Built-in name, YAML file or :class:`Scenario`.
    params
        ``NAME=LO:HI``: the parameters to fit and their uniform priors.
    targets
        A targets file (YAML/JSON ``metric: {value, sd}``), or the targets themselves.
    particles, generations, quantile
        ABC-SMC settings (see :func:`abc_smc`).
    seed
        Seeds the algorithm and, through ``SeedSequence(seed)``, every simulation.
    voters, until, out, name, dask, workers, on_progress
        As for :func:`polsim.experiments.ensemble`.

    Writes ``posterior.parquet`` (one row per particle: parameters, weight, distance,
    run id) and ``calibration.json`` (algorithm, tolerances, acceptance rates and per
    parameter the weighted mean, sd and 90% interval) into the experiment folder.
    """
    if isinstance(targets, str | Path):
        target_list = read_targets(targets)
    elif isinstance(targets, Mapping):
        target_list = [
            Target(
                k,
                float(v["value"] if isinstance(v, dict) else v),
                v.get("sd") if isinstance(v, dict) else None,
            )
            for k, v in targets.items()
        ]
    else:
        target_list = list(targets)
    if not params:
        raise UserInputError("--param: give at least one parameter to fit, as NAME=LO:HI")
    for flag, value, least, most in (
        ("--particles", particles, 2, MAX_PARTICLES),
        ("--generations", generations, 0, MAX_GENERATIONS),
    ):
        if not least <= value <= most:
            raise UserInputError(f"{flag} must be from {least} to {most:,}; got {value}")
    if not 0.0 < quantile < 1.0:  # NaN fails too
        raise UserInputError(f"--quantile must be in (0, 1); got {quantile}")
    check_arguments(seed, 1, dask, workers)
    metrics = [t.metric for t in target_list]
    setup = prepare(scenario, params, metrics, voters, until, metric_flag="--targets metric")
    identity = _design_identity(
        setup,
        seed,
        1,
        design="abc-smc",
        targets=[[t.metric, t.value, t.sd] for t in target_list],
        particles=particles,
        generations=generations,
        quantile=quantile,
    )
    folder = _folder(out, name, f"{setup.scenario.name}-calibration")
    folder.check(identity)
    names = [p.name for p in setup.parameters]
    simulation_root = np.random.SeedSequence(seed).spawn(2)[1]  # [0] is kept for the future
    executions: list[ExecutionSummary] = []
    budget = particles * (1 + generations * 2)  # a guess for the progress bar only
    progress_base = [0]

    check_local_memory(setup.voters, dask, workers, particles)
    with open_backend(dask, workers) as backend:
        folder.create("calibration", identity, setup.scenario_json)
        folder.clean_staging()
        catalog = Catalog(folder, names)
        try:
            catalog.record_experiment(folder.path.name, "calibration", identity, 0)

            def simulate_batch(thetas: np.ndarray, tag: str) -> np.ndarray:
                generation, batch = int(tag[1:3]), int(tag[5:8])
                specs = []
                for i, row in enumerate(thetas):
                    values = {
                        p.name: round(v) if p.integer else float(v)
                        for p, v in zip(setup.parameters, row, strict=True)
                    }
                    key = (*simulation_root.spawn_key, generation, batch, i)
                    specs.append(
                        RunSpec(
                            f"{tag}-{i:04d}",
                            generation,
                            batch,
                            values,
                            int(simulation_root.entropy),
                            key,
                        )
                    )

                def progress(done: int, total: int) -> None:
                    if on_progress:
                        on_progress(progress_base[0] + done, max(budget, progress_base[0] + total))

                summary = execute(
                    folder,
                    catalog,
                    specs,
                    scenario=setup.scenario_json,
                    voters=setup.voters,
                    until=setup.until,
                    metrics=metrics,
                    backend=backend,
                    on_progress=progress,
                )
                progress_base[0] += len(specs)
                executions.append(summary)
                raise_if_failed([summary])  # a failed run would bias the posterior
                ids = [s.run_id for s in specs]
                backfill_metrics(folder, catalog, metrics)
                table = catalog.metric_table(metrics, ids).to_pandas().set_index("run_id")
                return table.reindex(ids)[metrics].to_numpy(dtype=float)

            result = abc_smc(
                simulate_batch,
                np.array([[p.low, p.high] for p in setup.parameters]),
                np.array([t.value for t in target_list]),
                np.array([np.nan if t.sd is None else t.sd for t in target_list]),
                particles=particles,
                generations=generations,
                quantile=quantile,
                seed=seed,
            )
            catalog.export_results(folder.path / "results.parquet")
        finally:
            catalog.close()
    summary = result.summary(names)
    _write_posterior(folder.path, names, result, summary, target_list, identity)
    return CalibrationResult(folder.path, names, summary, result, executions, backend.label)


def _write_posterior(
    path: Path,
    names: list[str],
    result: AbcResult,
    summary: dict[str, dict[str, float]],
    targets: list[Target],
    identity: dict[str, Any],
) -> None:
    columns: dict[str, Any] = {n: result.particles[:, i] for i, n in enumerate(names)}
    columns.update(weight=result.weights, distance=result.distances, run_id=result.tags)
    temporary = path / ".posterior.parquet.tmp"
    pq.write_table(pa.table(columns), temporary)
    temporary.replace(path / "posterior.parquet")
    write_json_atomic(
        path / "calibration.json",
        {
            "algorithm": "ABC-SMC (Beaumont et al. 2009; Toni et al. 2009), adaptive "
            "tolerance, Gaussian kernel with twice the weighted covariance, uniform priors",
            "distance": "normalised Euclidean over target metrics",
            "targets": {t.metric: {"value": t.value, "sd": t.sd} for t in targets},
            "scale": dict(zip([t.metric for t in targets], map(float, result.scale), strict=True)),
            "epsilons": [None if math.isinf(e) else e for e in result.epsilons],
            "acceptance": result.acceptance,
            "simulations": result.simulations,
            "effective_sample_size": result.effective_sample_size,
            "stopped_early": result.stopped_early,
            "posterior": summary,
            "design": identity,
        },
    )
