"""Global sensitivity analysis: Sobol' indices and Morris elementary effects, via SALib.

The pipeline is one pure function, :func:`sensitivity_pipeline`: sample the design, call
a model function on the sample matrix, analyse. :func:`sensitivity` passes a model
function that runs polsim (stored, resumable, on any backend); the tests pass the
Ishigami function instead and recover its analytic indices.

- ``sobol``: first-order S1 and total ST indices (Sobol' 2001) from Saltelli's sampling
  scheme and estimators (Saltelli 2002; Saltelli et al. 2010), with bootstrap confidence
  intervals; ``N (D + 2)`` model evaluations, second-order indices off.
- ``morris``: elementary effects (Morris 1991) with μ* and its bootstrap confidence
  interval (Campolongo, Cariboni & Saltelli 2007) and σ; ``r (D + 1)`` evaluations.

A stochastic model's output at a point is the mean of its replications.

References
----------
See :mod:`polsim.experiments.designs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from polsim.errors import PolsimError, UserInputError
from polsim.experiments.core import (
    ExperimentResult,
    ProgressCallback,
    _design_identity,
    _folder,
    check_arguments,
    prepare,
    run_points,
)
from polsim.experiments.designs import check_design, design_points, design_size, salib_problem
from polsim.experiments.parameters import Parameter, parse_param
from polsim.experiments.runner import raise_if_failed
from polsim.experiments.store import Catalog, ExperimentFolder, write_json_atomic
from polsim.scenario.schema import Scenario

__all__ = [
    "METHODS",
    "SensitivityResult",
    "analyse",
    "sensitivity",
    "sensitivity_pipeline",
]

METHODS: tuple[str, ...] = ("sobol", "morris")


@dataclass
class SensitivityResult:
    """Indices per output: ``indices[output][parameter] = {S1, S1_conf, ST, ST_conf}`` (Sobol')
    or ``{mu, mu_star, mu_star_conf, sigma}`` (Morris)."""

    method: str
    parameters: list[str]
    outputs: list[str]
    indices: dict[str, dict[str, dict[str, float]]]
    evaluations: int
    conf_level: float
    experiment: ExperimentResult | None = field(default=None, repr=False)

    def to_table(self) -> pa.Table:
        """Long form: output, parameter, index, value, conf (half-width, NaN if none)."""
        rows = []
        for output, by_parameter in self.indices.items():
            for parameter, values in by_parameter.items():
                for index, value in values.items():
                    if index.endswith("_conf"):
                        continue
                    conf = values.get(f"{index}_conf", float("nan"))
                    rows.append(
                        {
                            "output": output,
                            "parameter": parameter,
                            "index": index,
                            "value": float(value),
                            "conf": float(conf),
                        }
                    )
        return pa.Table.from_pylist(rows)

    def save(self, folder: Path) -> None:
        """Write ``sensitivity.json`` and ``sensitivity.parquet`` into ``folder``."""
        write_json_atomic(
            folder / "sensitivity.json",
            {
                "method": self.method,
                "parameters": self.parameters,
                "outputs": self.outputs,
                "evaluations": self.evaluations,
                "conf_level": self.conf_level,
                "indices": self.indices,
            },
        )
        temporary = folder / ".sensitivity.parquet.tmp"
        pq.write_table(self.to_table(), temporary)
        temporary.replace(folder / "sensitivity.parquet")


def analyse(
    parameters: Sequence[Parameter],
    X: np.ndarray,
    Y: np.ndarray,
    method: str,
    outputs: Sequence[str] | None = None,
    seed: int = 0,
    conf_level: float = 0.95,
    num_resamples: int = 1000,
    morris_levels: int = 4,
) -> SensitivityResult:
    """SALib's analysis of a sample ``X`` and outputs ``Y`` (one column per output).

    Confidence intervals are bootstrap intervals of half-width ``S_conf`` at
    ``conf_level`` (SALib's ``num_resamples`` resamples).
    """
    from SALib.analyze import morris, sobol

    problem = salib_problem(list(parameters))
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    names = list(outputs) if outputs is not None else [f"y{i}" for i in range(Y.shape[1])]
    indices: dict[str, dict[str, dict[str, float]]] = {}
    for column, output in enumerate(names):
        y = Y[:, column]
        if not np.all(np.isfinite(y)):
            raise PolsimError(
                f"{output}: {int(np.sum(~np.isfinite(y)))} of {len(y)} values are missing "
                "(failed runs or an undefined metric); the indices need every point"
            )
        if method == "sobol":
            found = sobol.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=num_resamples,
                conf_level=conf_level,
                seed=seed,
            )
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            found = morris.analyze(
                problem,
                X,
                y,
                num_resamples=num_resamples,
                conf_level=conf_level,
                num_levels=morris_levels,
                seed=seed,
            )
            keys = ("mu", "mu_star", "mu_star_conf", "sigma")
        indices[output] = {
            name: {key: float(np.asarray(found[key])[i]) for key in keys}
            for i, name in enumerate(problem["names"])
        }
    return SensitivityResult(method, problem["names"], names, indices, len(X), conf_level)


def sensitivity_pipeline(
    model: Callable[[np.ndarray], np.ndarray],
    parameters: Sequence[Parameter],
    method: str = "sobol",
    samples: int | None = None,
    outputs: Sequence[str] | None = None,
    seed: int = 0,
    conf_level: float = 0.95,
    num_resamples: int = 1000,
    morris_levels: int = 4,
) -> SensitivityResult:
    """Sample, evaluate ``model`` on the sample matrix, analyse: the whole pipeline.

    Parameters
    ----------
    model
        Function from an ``(n, D)`` array of parameter values to ``(n,)`` or ``(n, k)``
        outputs. ``polsim`` runs go through it exactly as a test function does.
    parameters
        The D parameters and their ranges (uniform distributions).
    method
        ``sobol`` (Saltelli 2010 estimators) or ``morris`` (Morris 1991; Campolongo 2007).
    samples
        Sobol' base samples N (a power of two) or Morris trajectories r.
    outputs
        Names of the model's output columns.
    seed
        Seeds the sample and the bootstrap.

    Examples
    --------
    >>> from SALib.test_functions import Ishigami
    >>> pi = float(np.pi)
    >>> box = [Parameter(f"x{i}", -pi, pi) for i in (1, 2, 3)]
    >>> result = sensitivity_pipeline(Ishigami.evaluate, box, "sobol", 1024)
    >>> round(result.indices["y0"]["x2"]["S1"], 1)
    0.4
    """
    if method not in METHODS:
        raise UserInputError(f"--method {method!r}: expected one of {', '.join(METHODS)}")
    parameters = list(parameters)
    X = design_points(parameters, method, samples, seed, morris_levels)
    Y = model(X)
    return analyse(
        parameters, X, Y, method, outputs, seed, conf_level, num_resamples, morris_levels
    )


def sensitivity(
    scenario: str | Path | Scenario,
    params: Sequence[str | Parameter],
    outputs: Sequence[str],
    *,
    method: str = "sobol",
    samples: int | None = None,
    runs: int = 1,
    seed: int = 0,
    voters: int | str | None = None,
    until: str | None = None,
    out: str | Path | None = None,
    name: str | None = None,
    dask: str | None = None,
    workers: int | None = None,
    conf_level: float = 0.95,
    morris_levels: int = 4,
    on_progress: ProgressCallback | None = None,
) -> SensitivityResult:
    """Sobol' or Morris indices of polsim outputs with respect to scenario parameters.

    Runs the matching sweep (stored and resumable like any experiment; a folder made by
    ``sweep`` with the same design is reused, and a new ``--output`` is computed from
    the stored parts without running again), then analyses the mean of each point's
    ``runs`` replications. Writes ``sensitivity.json`` and ``sensitivity.parquet``.
    """
    if method not in METHODS:
        raise UserInputError(f"--method {method!r}: expected one of {', '.join(METHODS)}")
    if not outputs:
        raise UserInputError("--output: name at least one metric, e.g. mean:active_share")
    parsed = [p if isinstance(p, Parameter) else parse_param(p) for p in params]
    check_design(method, parsed, samples)
    check_arguments(seed, runs, dask, workers, design_size(method, parsed, samples))
    setup = prepare(scenario, parsed, outputs, voters, until, metric_flag="--output")
    check_design(method, setup.parameters, samples)
    identity = _design_identity(
        setup, seed, runs, design=method, samples=samples, morris_levels=morris_levels
    )
    folder = _folder(out, name, f"{setup.scenario.name}-{method}")
    holder: dict[str, ExperimentResult] = {}

    def polsim_model(X: np.ndarray) -> np.ndarray:
        experiment = run_points(
            setup,
            X,
            kind="sensitivity",
            design=identity,
            folder=folder,
            seed=seed,
            runs=runs,
            dask=dask,
            workers=workers,
            on_progress=on_progress,
        )
        holder["experiment"] = experiment
        raise_if_failed([experiment.summary])  # the indices need every point
        return _point_means(folder.path, setup, len(X))

    result = sensitivity_pipeline(
        polsim_model,
        setup.parameters,
        method,
        samples,
        setup.metrics,
        seed,
        conf_level,
        morris_levels=morris_levels,
    )
    result.experiment = holder["experiment"]
    result.save(folder.path)
    return result


def _point_means(path: Path, setup: Any, n_points: int) -> np.ndarray:
    """Mean of each point's replications, one column per output metric."""
    catalog = Catalog(ExperimentFolder(path), [p.name for p in setup.parameters])
    try:
        table = catalog.metric_table(setup.metrics).to_pandas()
    finally:
        catalog.close()
    means = table.groupby("point")[list(setup.metrics)].mean()
    return means.reindex(range(n_points)).to_numpy(dtype=float)
