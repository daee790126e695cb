"""What the experiment commands show: a progress bar over runs, and summary tables."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

if TYPE_CHECKING:
    from polsim.experiments.calibration import CalibrationResult
    from polsim.experiments.compare import Comparison
    from polsim.experiments.core import ExperimentResult
    from polsim.experiments.sensitivity import SensitivityResult

__all__ = [
    "calibration_table",
    "comparison_table",
    "experiment_summary",
    "run_progress",
    "sensitivity_table",
]


@contextmanager
def run_progress(
    console: Console, description: str, quiet: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar over runs; yields the ``on_progress(done, total)`` callback."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def experiment_summary(result: ExperimentResult) -> str:
    """One line: what ran, what was already there, what failed, and where it is."""
    s = result.summary
    failed = f", {s.failed} failed (first: {s.first_error})" if s.failed else ""
    resumed = f", {s.skipped} already complete" if s.skipped else ""
    return (
        f"{result.kind}: {s.total} runs ({s.done} run now{resumed}{failed}) on {result.backend} "
        f"in {s.seconds:.1f} s"
    )


def _fmt(value: float) -> str:
    return "nan" if not math.isfinite(value) else f"{value:.4g}"


def sensitivity_table(result: SensitivityResult) -> Table:
    """Indices with their confidence half-widths, one row per output and parameter."""
    level = f"±{result.conf_level:.0%}"
    if result.method == "sobol":
        table = Table("output", "parameter", "S1", level, "ST", level, box=None)
        keys = (("S1", "S1_conf"), ("ST", "ST_conf"))
    else:
        table = Table("output", "parameter", "mu*", level, "mu", "sigma", box=None)
        keys = (("mu_star", "mu_star_conf"), ("mu", "sigma"))
    for output, by_parameter in result.indices.items():
        for parameter, values in by_parameter.items():
            cells = [_fmt(values[k]) for pair in keys for k in pair]
            table.add_row(output, parameter, *cells)
    return table


def calibration_table(result: CalibrationResult) -> Table:
    """Posterior mean, sd and 90% interval of each parameter."""
    table = Table("parameter", "mean", "sd", "5%", "95%", box=None)
    for name, stats in result.summary.items():
        table.add_row(name, *(_fmt(stats[k]) for k in ("mean", "sd", "q05", "q95")))
    return table


def comparison_table(result: Comparison) -> Table:
    """Per metric: mean A, mean B, difference B − A and its interval."""
    level = f"{result.conf_level:.0%} CI"
    table = Table("metric", "A", "B", "B − A", level, "p", box=None)
    for row in result.table.itertuples():
        table.add_row(
            str(row.metric),
            _fmt(row.mean_a),
            _fmt(row.mean_b),
            _fmt(row.difference),
            f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]",
            _fmt(row.p_value),
        )
    return table
