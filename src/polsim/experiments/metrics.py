"""Metrics: one number from one run, named by a short spec.

A metric spec is either a registered name (``METRICS``, extended by later mechanisms
with :func:`register_metric`) or ``KIND:ARGUMENT`` with a kind from ``METRIC_KINDS``:

- ``mean:<series column>``, ``max:``, ``min:``, ``last:`` -- a statistic of a monthly series;
- ``at:<YYYY-MM>:<series column>`` -- the series' value in that month;
- ``count:<EventType>`` -- how many events of that type the run logged.

Metrics read only ``run.tables`` (pyarrow tables), so they work on a fresh
:class:`polsim.Run` and on a run read back from an experiment's parts alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from polsim.errors import UserInputError

__all__ = [
    "METRICS",
    "METRIC_KINDS",
    "HasTables",
    "StoredRun",
    "check_metrics",
    "compute_metric",
    "compute_metrics",
    "default_metrics",
    "register_metric",
]


class HasTables(Protocol):
    """Anything with ``tables``: a :class:`polsim.Run`, or a run read from its parts."""

    tables: Mapping[str, pa.Table]


@dataclass
class StoredRun:
    """A run read back from disk: only its tables."""

    tables: dict[str, pa.Table]


#: Named metrics: name -> function(run) -> float. Later mechanisms add theirs here.
METRICS: dict[str, Callable[[HasTables], float]] = {}


def register_metric(
    name: str,
) -> Callable[[Callable[[HasTables], float]], Callable[[HasTables], float]]:
    """Decorator: register ``function(run) -> float`` as the metric ``name``."""
    if ":" in name:
        raise ValueError(f"a metric name cannot contain ':'; got {name!r}")

    def add(function: Callable[[HasTables], float]) -> Callable[[HasTables], float]:
        METRICS[name] = function
        return function

    return add


def _series_column(run: HasTables, column: str) -> np.ndarray:
    series = run.tables["series"]
    if column not in series.column_names:
        raise KeyError(f"no series column {column!r}")
    return series.column(column).to_numpy(zero_copy_only=False).astype(float)


def _statistic(reduce: Callable[[np.ndarray], float]) -> Callable[[HasTables, str], float]:
    def metric(run: HasTables, column: str) -> float:
        values = _series_column(run, column)
        return float(reduce(values)) if len(values) else math.nan

    return metric


def _at(run: HasTables, argument: str) -> float:
    month, _, column = argument.partition(":")
    values = _series_column(run, column)
    months = run.tables["series"].column("month").to_pylist()
    return float(values[months.index(month)]) if month in months else math.nan


def _count(run: HasTables, event_type: str) -> float:
    events = run.tables["events"]
    return float(pc.sum(pc.equal(events.column("type"), event_type)).as_py() or 0)


#: Parametrised metrics: kind -> function(run, argument) -> float.
METRIC_KINDS: dict[str, Callable[[HasTables, str], float]] = {
    "mean": _statistic(np.mean),
    "max": _statistic(np.max),
    "min": _statistic(np.min),
    "last": _statistic(lambda values: values[-1]),
    "at": _at,
    "count": _count,
}


def compute_metric(run: HasTables, spec: str) -> float:
    """The value of one metric spec for one run (NaN where it is undefined)."""
    if spec in METRICS:
        return float(METRICS[spec](run))
    kind, _, argument = spec.partition(":")
    return float(METRIC_KINDS[kind](run, argument))


def compute_metrics(run: HasTables, specs: Iterable[str]) -> dict[str, float]:
    """Every metric in ``specs`` for one run."""
    return {spec: compute_metric(run, spec) for spec in specs}


def default_metrics(run: HasTables) -> list[str]:
    """The metrics every run stores: mean, max and last of every numeric series column."""
    series = run.tables["series"]
    columns = [
        field.name
        for field in series.schema
        if pa.types.is_floating(field.type) or pa.types.is_integer(field.type)
    ]
    return [f"{kind}:{column}" for column in columns for kind in ("mean", "max", "last")]


def check_metrics(
    specs: Iterable[str],
    probe: HasTables,
    months: tuple[str, str],
    flag: str = "--output",
) -> list[str]:
    """Check metric specs against a probe run's tables; one-line errors name the problem.

    Series columns are checked against the probe; ``at:`` months against ``months``
    (first and last simulated, ``YYYY-MM``). Event types cannot be checked (a type
    appears only once it happens), so ``count:`` accepts any name.
    """
    checked: list[str] = []
    columns = probe.tables["series"].column_names
    for spec in specs:
        spec = spec.strip()
        if spec in METRICS:
            checked.append(spec)
            continue
        kind, sep, argument = spec.partition(":")
        if not sep or kind not in METRIC_KINDS:
            kinds = ", ".join(f"{k}:" for k in METRIC_KINDS)
            named = f"; named metrics: {', '.join(METRICS)}" if METRICS else ""
            raise UserInputError(
                f"{flag} {spec!r}: unknown metric; use one of {kinds} (e.g. mean:active_share)"
                f"{named}"
            )
        column = argument
        if kind == "at":
            month, _, column = argument.partition(":")
            if not column or not re.fullmatch(r"\d{4}-\d{2}", month):
                raise UserInputError(f"{flag} {spec!r}: expected at:YYYY-MM:<column>")
            if not months[0] <= month <= months[1]:
                raise UserInputError(
                    f"{flag} {spec!r}: {month} is outside the simulated months "
                    f"{months[0]} to {months[1]}"
                )
        if kind == "count":
            if not argument:
                raise UserInputError(f"{flag} {spec!r}: name an event type, e.g. count:RunEnded")
        elif column not in columns or column == "month":
            numeric = ", ".join(c for c in columns if c != "month")
            raise UserInputError(
                f"{flag} {spec!r}: no series column {column!r}; columns are: {numeric}"
            )
        checked.append(spec)
    return checked
