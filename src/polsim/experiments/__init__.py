"""Experiments at scale: ensembles, sweeps, sensitivity, calibration and comparisons.

Every experiment wraps :func:`polsim.simulate` and nothing deeper (the model is a
function; experiments wrap it). Runs execute in-process, on local processes or on a
Dask cluster with the same code; each streams its Parquet parts into the experiment
folder, a DuckDB catalogue indexes them, and re-running the same call resumes.
"""

from __future__ import annotations

from polsim.experiments.claims import FACT_METRICS  # registers the in-sample facts
from polsim.experiments.core import ExperimentResult, ensemble, sweep
from polsim.experiments.designs import DESIGNS, design_points
from polsim.experiments.metrics import (
    METRIC_KINDS,
    METRICS,
    compute_metric,
    compute_metrics,
    register_metric,
)
from polsim.experiments.parameters import Parameter, apply_overrides, parse_param

__all__ = [
    "DESIGNS",
    "FACT_METRICS",
    "METRICS",
    "METRIC_KINDS",
    "ExperimentResult",
    "Parameter",
    "apply_overrides",
    "compute_metric",
    "compute_metrics",
    "design_points",
    "ensemble",
    "parse_param",
    "register_metric",
    "sweep",
]
