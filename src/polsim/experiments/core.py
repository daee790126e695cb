"""Ensembles and sweeps: the shared plumbing of every experiment.

An experiment is a list of runs (design point × replication), each a call of
:func:`polsim.simulate` with the point's overrides and the replication's seed. Seeds:
``SeedSequence(seed).spawn(runs)`` gives one child per replication, and the same
replication uses the same child at every point (common random numbers), so differences
between points are not blurred by different luck.

Everything a user can get wrong (scenario, parameter names and ranges, design, metrics,
folder) is checked before the experiment folder is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from polsim.api import parse_voter_count, simulate
from polsim.engine.limits import MAX_RUNS, MAX_SEED
from polsim.errors import UserInputError
from polsim.experiments.backends import (
    check_local_memory,
    check_workers,
    open_backend,
    parse_dask_address,
)
from polsim.experiments.designs import check_design, design_points, design_size
from polsim.experiments.metrics import check_metrics
from polsim.experiments.parameters import Parameter, check_parameters, parse_param
from polsim.experiments.runner import ExecutionSummary, backfill_metrics, execute
from polsim.experiments.store import Catalog, ExperimentFolder, RunSpec
from polsim.scenario.loader import load_scenario, scenario_hash
from polsim.scenario.schema import Scenario

__all__ = [
    "ExperimentResult",
    "Setup",
    "check_arguments",
    "check_runs",
    "check_seed",
    "ensemble",
    "prepare",
    "replication_seeds",
    "run_points",
    "sweep",
]

ProgressCallback = Callable[[int, int], None]


def check_seed(seed: Any) -> int:
    """A master seed: a whole number in ``[0, 2**63)``."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise UserInputError(f"--seed must be a whole number from 0 to 2**63-1; got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise UserInputError(f"--seed must be a whole number from 0 to 2**63-1; got {seed}")
    return int(seed)


def check_runs(runs: int, points: int = 1) -> None:
    """Refuse fewer than one replication, or more than :data:`MAX_RUNS` runs in all."""
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 1:
        raise UserInputError(f"--runs must be at least 1; got {runs}")
    if runs * points > MAX_RUNS:
        raise UserInputError(
            f"--runs {runs} × {points:,} design points = {runs * points:,} runs; "
            f"at most {MAX_RUNS:,} runs in one experiment"
        )


@dataclass
class ExperimentResult:
    """Where an experiment lives and what its last execution did."""

    path: Path
    kind: str
    summary: ExecutionSummary
    backend: str
    extra: dict[str, Any] = field(default_factory=dict)

    def results(self) -> pd.DataFrame:
        """``results.parquet``: one row per run with parameters, seed, status and metrics."""
        return pq.read_table(self.path / "results.parquet").to_pandas()


@dataclass
class Setup:
    """A checked experiment: the scenario, its JSON, voters, last month and metrics."""

    scenario: Scenario
    scenario_json: dict[str, Any]
    voters: int
    until: str
    first_month: str
    parameters: list[Parameter]
    metrics: list[str]


def replication_seeds(seed: int, runs: int) -> list[np.random.SeedSequence]:
    """One SeedSequence child per replication: ``SeedSequence(seed).spawn(runs)``."""
    check_runs(runs)
    return np.random.SeedSequence(check_seed(seed)).spawn(runs)


def check_arguments(
    seed: Any, runs: int, dask: str | None, workers: int | None, points: int = 1
) -> None:
    """Check the arguments every experiment shares, before any work."""
    check_seed(seed)
    check_runs(runs, points)
    parse_dask_address(dask)
    check_workers(workers)


def prepare(
    scenario: str | Path | Scenario,
    params: Sequence[str | Parameter] = (),
    metrics: Sequence[str] = (),
    voters: int | str | None = None,
    until: str | None = None,
    metric_flag: str = "--metric",
) -> Setup:
    """Load and check everything an experiment needs, touching no file.

    A short probe run (a few hundred voters) checks ``until`` and the metric specs
    against the tables the current engine really writes.
    """
    model = load_scenario(scenario)
    n_voters = model.default_voters if voters is None else parse_voter_count(voters)
    parameters = [p if isinstance(p, Parameter) else parse_param(p) for p in params]
    parameters = check_parameters(model, parameters)
    probe = simulate(model, seed=0, voters=min(n_voters, 300), until=until)
    months = probe.tables["series"].column("month").to_pylist()
    first, last = (str(months[0]), str(months[-1])) if months else (str(model.start),) * 2
    checked = check_metrics(metrics, probe, (first, last), flag=metric_flag)
    return Setup(model, model.model_dump(mode="json"), n_voters, last, first, parameters, checked)


def _design_identity(setup: Setup, seed: int, runs: int, **extra: Any) -> dict[str, Any]:
    return {
        "scenario": setup.scenario.name,
        "scenario_hash": scenario_hash(setup.scenario),
        "voters": setup.voters,
        "until": setup.until,
        "seed": int(seed),
        "runs": int(runs),
        "parameters": [p.to_dict() for p in setup.parameters],
        **extra,
    }


def _folder(out: str | Path | None, name: str | None, default: str) -> ExperimentFolder:
    return ExperimentFolder(
        Path(out) if out is not None else Path("experiments") / (name or default)
    )


def _point_specs(
    setup: Setup, points: np.ndarray, seeds: list[np.random.SeedSequence]
) -> list[RunSpec]:
    specs = []
    for index, row in enumerate(points):
        params: dict[str, float] = {}
        for parameter, value in zip(setup.parameters, row, strict=True):
            params[parameter.name] = round(value) if parameter.integer else float(value)
        for replication, child in enumerate(seeds):
            specs.append(
                RunSpec(
                    f"p{index:05d}-r{replication:04d}",
                    index,
                    replication,
                    params,
                    int(child.entropy),
                    tuple(int(k) for k in child.spawn_key),
                )
            )
    return specs


def run_points(
    setup: Setup,
    points: np.ndarray,
    *,
    kind: str,
    design: dict[str, Any],
    folder: ExperimentFolder,
    seed: int,
    runs: int,
    dask: str | None,
    workers: int | None,
    on_progress: ProgressCallback | None,
) -> ExperimentResult:
    """Run every point × replication into ``folder`` (resuming), then export results."""
    check_runs(runs, len(points))
    seeds = replication_seeds(seed, runs)
    folder.check(design)
    specs = _point_specs(setup, points, seeds)
    check_local_memory(setup.voters, dask, workers, len(specs))
    with open_backend(dask, workers) as backend:
        folder.create(kind, design, setup.scenario_json)
        folder.clean_staging()
        catalog = Catalog(folder, [p.name for p in setup.parameters])
        try:
            catalog.record_experiment(folder.path.name, kind, design, len(specs))
            summary = execute(
                folder,
                catalog,
                specs,
                scenario=setup.scenario_json,
                voters=setup.voters,
                until=setup.until,
                metrics=setup.metrics,
                backend=backend,
                on_progress=on_progress,
            )
            backfill_metrics(folder, catalog, setup.metrics)
            catalog.export_results(folder.path / "results.parquet")
        finally:
            catalog.close()
    return ExperimentResult(folder.path, kind, summary, backend.label)


def ensemble(
    scenario: str | Path | Scenario = "toy-polity",
    runs: int = 10,
    *,
    seed: int = 0,
    voters: int | str | None = None,
    until: str | None = None,
    metrics: Sequence[str] = (),
    out: str | Path | None = None,
    name: str | None = None,
    dask: str | None = None,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> ExperimentResult:
    """Run one scenario ``runs`` times, one SeedSequence child per run.

    The folder defaults to ``experiments/<scenario>-ensemble``; running the same call
    again resumes it (only runs without a complete part are run).

    Parameters
    ----------
    scenario
        Built-in name, YAML file or :class:`Scenario`.
    runs
        Replications.
    seed
        Master seed: run r uses ``SeedSequence(seed).spawn(runs)[r]``.
    voters, until
        As for :func:`polsim.simulate`.
    metrics
        Metric specs to store besides the defaults (mean/max/last of each series column).
    out, name
        The experiment folder, or its name under ``experiments/``.
    dask, workers
        The backend (see :func:`polsim.experiments.backends.open_backend`).
    on_progress
        Called with (completed, total).
    """
    check_arguments(seed, runs, dask, workers)
    setup = prepare(scenario, (), metrics, voters, until)
    design = _design_identity(setup, seed, runs, design="ensemble")
    folder = _folder(out, name, f"{setup.scenario.name}-ensemble")
    return run_points(
        setup,
        np.zeros((1, 0)),
        kind="ensemble",
        design=design,
        folder=folder,
        seed=seed,
        runs=runs,
        dask=dask,
        workers=workers,
        on_progress=on_progress,
    )


def sweep(
    scenario: str | Path | Scenario,
    params: Sequence[str | Parameter],
    *,
    design: str = "factorial",
    samples: int | None = None,
    runs: int = 1,
    seed: int = 0,
    voters: int | str | None = None,
    until: str | None = None,
    metrics: Sequence[str] = (),
    out: str | Path | None = None,
    name: str | None = None,
    dask: str | None = None,
    workers: int | None = None,
    morris_levels: int = 4,
    on_progress: ProgressCallback | None = None,
) -> ExperimentResult:
    """Run a parameter sweep: every design point, ``runs`` replications each.

    Parameters
    ----------
    scenario
        Built-in name, YAML file or :class:`Scenario`.
    params
        ``NAME=LO:HI[:K]`` strings or :class:`Parameter` objects (dotted scenario paths).
    design
        ``factorial`` (K levels each, default 3), ``lhs`` (McKay et al. 1979), ``sobol``
        (Saltelli 2002, 2010) or ``morris`` (Morris 1991; Campolongo et al. 2007); see
        :mod:`polsim.experiments.designs`.
    samples
        LHS points, Sobol' base samples (a power of two) or Morris trajectories.
    runs
        Replications per point; replication r uses the same seed at every point.
    seed, voters, until, metrics, out, name, dask, workers, on_progress
        As for :func:`ensemble`.
    morris_levels
        Grid levels of the Morris design.
    """
    parsed = [p if isinstance(p, Parameter) else parse_param(p) for p in params]
    check_design(design, parsed, samples)
    check_arguments(seed, runs, dask, workers, design_size(design, parsed, samples))
    setup = prepare(scenario, parsed, metrics, voters, until)
    check_design(design, setup.parameters, samples)
    identity = _design_identity(
        setup, seed, runs, design=design, samples=samples, morris_levels=morris_levels
    )
    points = design_points(setup.parameters, design, samples, seed, morris_levels)
    folder = _folder(out, name, f"{setup.scenario.name}-sweep")
    return run_points(
        setup,
        points,
        kind="sweep",
        design=identity,
        folder=folder,
        seed=seed,
        runs=runs,
        dask=dask,
        workers=workers,
        on_progress=on_progress,
    )
