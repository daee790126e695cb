"""Comparing two ensembles: the difference of each metric, with a confidence interval.

``A`` and ``B`` are experiment folders holding ensembles, or scenarios (then both are
run as ensembles with the same master seed, so replication r of A and of B share their
random numbers: common random numbers).

When every run of A has a run of B with the same seed, the comparison is paired: the
difference is the mean of the per-seed differences ``B_r − A_r``, its interval a
Student t interval on those differences and its p-value a paired t-test. Otherwise it
is Welch's: difference of means, Welch-Satterthwaite t interval and Welch's t-test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import stats

from polsim.errors import UserInputError
from polsim.experiments.core import ProgressCallback, check_arguments, ensemble
from polsim.experiments.metrics import StoredRun, check_metrics
from polsim.experiments.runner import backfill_metrics, raise_if_failed
from polsim.experiments.store import (
    Catalog,
    ExperimentFolder,
    check_own_folder,
    read_part_tables,
    write_json_atomic,
)

__all__ = ["Comparison", "compare", "difference"]


@dataclass
class Comparison:
    """Per metric: means of A and B, difference B − A, its interval and p-value."""

    path: Path
    table: pd.DataFrame
    paired: bool
    conf_level: float


def difference(
    a: np.ndarray, b: np.ndarray, paired: bool, conf_level: float = 0.95
) -> dict[str, float]:
    """Difference ``mean(B) − mean(A)`` with a t interval and a t-test p-value.

    Paired: the t interval of the per-seed differences (n − 1 degrees of freedom).
    Unpaired: Welch's interval and test.

    Examples
    --------
    >>> out = difference(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.5]), paired=True)
    >>> round(out["difference"], 3), round(out["ci_low"], 3), round(out["ci_high"], 3)
    (1.167, 0.45, 1.884)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    alpha = 1.0 - conf_level
    if paired:
        d = b - a
        n = len(d)
        mean = float(np.mean(d))
        se = float(np.std(d, ddof=1) / math.sqrt(n)) if n > 1 else math.nan
        dof = n - 1
        p = float(stats.ttest_rel(b, a).pvalue) if n > 1 and se > 0 else math.nan
    else:
        mean = float(np.mean(b) - np.mean(a))
        va = np.var(a, ddof=1) / len(a) if len(a) > 1 else math.nan
        vb = np.var(b, ddof=1) / len(b) if len(b) > 1 else math.nan
        se = float(math.sqrt(va + vb))
        dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1
        p = float(stats.ttest_ind(b, a, equal_var=False).pvalue) if se > 0 else math.nan
    half = float(stats.t.ppf(1 - alpha / 2, dof) * se) if se > 0 else 0.0 if se == 0 else math.nan
    return {
        "mean_a": float(np.mean(a)),
        "mean_b": float(np.mean(b)),
        "difference": mean,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "p_value": p,
        "n_a": len(a),
        "n_b": len(b),
    }


def _is_experiment(value: str | Path) -> bool:
    return (Path(value) / "experiment.json").is_file()


def _ensemble_table(path: Path, metrics: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    folder = ExperimentFolder(path)
    design = folder.read_design()
    names = [p["name"] for p in design["design"].get("parameters", [])]
    catalog = Catalog(folder, names)
    try:
        points = catalog.db.sql("SELECT count(DISTINCT point) FROM runs").fetchall()[0][0]
        if points != 1:
            raise UserInputError(
                f"{path}: holds a {design.get('kind')} of {points} points; compare needs ensembles"
            )
        if metrics:
            _check_stored_metrics(catalog, folder, metrics)
        wanted = list(metrics) or [
            r[0]
            for r in catalog.db.sql("SELECT DISTINCT metric FROM metrics ORDER BY 1").fetchall()
        ]
        backfill_metrics(folder, catalog, wanted)
        table = catalog.metric_table(wanted).to_pandas()
    finally:
        catalog.close()
    return table, wanted


def _check_stored_metrics(
    catalog: Catalog, folder: ExperimentFolder, metrics: Sequence[str]
) -> None:
    done = sorted(catalog.done_ids())
    if not done:
        raise UserInputError(f"{folder.path}: has no finished runs to compare")
    probe = StoredRun(read_part_tables(folder.part(done[0])))
    months = [str(m) for m in probe.tables["series"].column("month").to_pylist()]
    check_metrics(metrics, probe, (months[0], months[-1]), flag="--metric")


def compare(
    a: str | Path,
    b: str | Path,
    *,
    metrics: Sequence[str] = (),
    runs: int = 10,
    seed: int = 0,
    voters: int | str | None = None,
    until: str | None = None,
    out: str | Path | None = None,
    dask: str | None = None,
    workers: int | None = None,
    conf_level: float = 0.95,
    on_progress: ProgressCallback | None = None,
) -> Comparison:
    """Compare two ensembles (folders) or two scenarios (run with common random numbers).

    Writes ``compare.json`` and ``compare.parquet`` into ``out`` (default
    ``experiments/compare-<A>-<B>``). ``metrics`` defaults to every metric both share.
    """
    if not 0 < conf_level < 1:
        raise UserInputError(f"--conf-level must be in (0, 1); got {conf_level}")
    check_arguments(seed, runs, dask, workers)
    label_a, label_b = (
        Path(str(a)).name.removesuffix(".yaml"),
        Path(str(b)).name.removesuffix(".yaml"),
    )
    root = Path(out) if out is not None else Path("experiments") / f"compare-{label_a}-{label_b}"
    # Before any run, not after them; a user's folder is never written into.
    check_own_folder(root, ("a", "b", "compare.json", "compare.parquet"), "comparison")
    folders = []
    for side, value in (("a", a), ("b", b)):
        if _is_experiment(value):
            folders.append(Path(value))
        else:  # a scenario: run it as an ensemble with the shared seed
            result = ensemble(
                value,
                runs,
                seed=seed,
                voters=voters,
                until=until,
                metrics=metrics,
                out=root / side,
                dask=dask,
                workers=workers,
                on_progress=on_progress,
            )
            raise_if_failed([result.summary])  # a difference of what ran would mislead
            folders.append(result.path)
    table_a, wanted_a = _ensemble_table(folders[0], metrics)
    table_b, wanted_b = _ensemble_table(folders[1], metrics)
    shared = [m for m in wanted_a if m in set(wanted_b)]
    key = ["seed_entropy", "spawn_key"]
    keys_a = set(map(tuple, table_a[key].to_numpy()))
    keys_b = set(map(tuple, table_b[key].to_numpy()))
    paired = keys_a == keys_b and len(keys_a) == len(table_a) == len(table_b)
    if paired:
        table_b = table_a[key].merge(table_b, on=key, how="left")
    rows = []
    for metric in shared:
        values_a, values_b = table_a[metric].to_numpy(float), table_b[metric].to_numpy(float)
        if paired:
            keep = np.isfinite(values_a) & np.isfinite(values_b)
            values_a, values_b = values_a[keep], values_b[keep]
        else:
            values_a, values_b = values_a[np.isfinite(values_a)], values_b[np.isfinite(values_b)]
        if len(values_a) == 0 or len(values_b) == 0:
            continue
        rows.append({"metric": metric, **difference(values_a, values_b, paired, conf_level)})
    frame = pd.DataFrame(rows)
    root.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {
        "a": str(folders[0]),
        "b": str(folders[1]),
        "paired": paired,
        "conf_level": conf_level,
        "method": "paired t (same seeds)" if paired else "Welch t",
        "metrics": rows,
    }
    write_json_atomic(root / "compare.json", record)
    temporary = root / ".compare.parquet.tmp"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), temporary)
    temporary.replace(root / "compare.parquet")
    return Comparison(root, frame, paired, conf_level)
