"""Running an experiment's runs: the worker's task and the coordinator's loop.

The worker (:func:`run_task`) simulates one run with :func:`polsim.simulate`, writes its
tables into the experiment's ``parts/<run_id>/`` atomically, and returns a small record:
run id, status, metric values and file sizes, never the tables themselves. The
coordinator (:func:`execute`) keeps a bounded number of runs in flight, handles each as
it completes and is the only writer of the DuckDB catalogue.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from polsim.api import PARQUET_OPTIONS, simulate
from polsim.errors import OutputError, PolsimError
from polsim.experiments.backends import Backend
from polsim.experiments.metrics import StoredRun, compute_metrics, default_metrics
from polsim.experiments.parameters import apply_overrides
from polsim.experiments.store import (
    MARKER,
    Catalog,
    ExperimentFolder,
    RunSpec,
    read_part_tables,
)

__all__ = [
    "ExecutionSummary",
    "RunsFailedError",
    "backfill_metrics",
    "execute",
    "raise_if_failed",
    "run_task",
]

#: Records are written to the catalogue at least this often (seconds) or this many at once.
FLUSH_SECONDS = 1.0
FLUSH_RECORDS = 64


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Simulate one run, write its part folder atomically, return a small record.

    ``task`` holds: ``parts`` (folder), ``run_id``, ``scenario`` (JSON dict),
    ``overrides``, ``entropy`` and ``spawn_key`` (the replication's SeedSequence child),
    ``voters``, ``until`` and ``metrics``. A failure of the run is returned as a record
    with status ``failed`` and the error's first line, so one bad point never stops an
    experiment.
    """
    started = _now()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    record: dict[str, Any] = {"run_id": task["run_id"], "started_at": started, "worker": worker}
    try:
        scenario = apply_overrides(task["scenario"], task["overrides"], origin=task["run_id"])
        seed = np.random.SeedSequence(task["entropy"], spawn_key=tuple(task["spawn_key"]))
        run = simulate(
            scenario,
            seed=seed,
            voters=task["voters"],
            until=task["until"],
            command=f"polsim experiment run {task['run_id']}",
            threads=task.get("threads"),
        )
        metrics = compute_metrics(run, [*default_metrics(run), *task["metrics"]])
        marker = {
            **record,
            "params": task["overrides"],
            "seed": {"entropy": str(task["entropy"]), "spawn_key": list(task["spawn_key"])},
            "metrics": metrics,
            "finished_at": _now(),
        }
        part = _write_part(
            Path(task["parts"]), task["run_id"], run.tables, run.manifest_record, marker
        )
    except Exception as error:
        message = " ".join(f"{type(error).__name__}: {error}".split())
        return {**record, "status": "failed", "error": message[:500], "finished_at": _now()}
    return {**record, "status": "done", "metrics": metrics, "part": part, "finished_at": _now()}


def _write_part(
    parts: Path,
    run_id: str,
    tables: dict[str, Any],
    manifest: dict[str, Any],
    marker: dict[str, Any],
) -> str:
    """Write tables + manifest into a staging folder, the marker last, then rename."""
    parts.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{run_id}.tmp-", dir=parts))
    staging.chmod(0o755)  # mkdtemp makes it private; parts are for sharing
    try:
        files: dict[str, int] = {}
        for name, table in tables.items():
            target = staging / f"{name}.parquet"
            pq.write_table(table, target, **PARQUET_OPTIONS)
            files[target.name] = target.stat().st_size
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        files["manifest.json"] = (staging / "manifest.json").stat().st_size
        (staging / MARKER).write_text(json.dumps({**marker, "files": files}, indent=1))
        final = parts / run_id
        try:
            staging.rename(final)
        except OSError:
            # Another attempt (an orphan of a killed coordinator, or a retry) finished
            # first; its part is identical (same seed), so keep it and drop ours.
            if not (final / MARKER).is_file():
                raise
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return str(Path("parts") / run_id)


@dataclass
class ExecutionSummary:
    """What :func:`execute` did: runs already complete, run now, and failed."""

    total: int
    skipped: int
    done: int
    failed: int
    seconds: float
    first_error: str | None = None


class RunsFailedError(PolsimError):
    """Runs of an experiment failed (their results so far stay stored and resumable)."""


def raise_if_failed(summaries: Sequence[ExecutionSummary]) -> None:
    """Raise :class:`RunsFailedError` naming the first failure if any run failed."""
    failed = sum(s.failed for s in summaries)
    if failed:
        ran = sum(s.done + s.failed for s in summaries)
        first = next(s.first_error for s in summaries if s.first_error)
        raise RunsFailedError(
            f"{failed} of {ran} runs failed; the first: {first} (the other results are "
            "stored; re-run the same command to retry the failed runs)"
        )


def execute(
    folder: ExperimentFolder,
    catalog: Catalog,
    specs: Sequence[RunSpec],
    *,
    scenario: dict[str, Any],
    voters: int,
    until: str | None,
    metrics: Sequence[str],
    backend: Backend,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExecutionSummary:
    """Run every spec whose part is not complete on disk, recording results as they come.

    Parameters
    ----------
    folder, catalog
        The experiment folder and its (open) catalogue.
    specs
        The runs wanted, in submission order.
    scenario
        The base scenario as JSON data; each run applies its own overrides.
    voters, until
        Passed to :func:`polsim.simulate`.
    metrics
        Metric specs computed for every run (besides the defaults).
    backend
        Where runs execute (:func:`polsim.experiments.backends.open_backend`).
    on_progress
        Called with (completed, total) as runs finish, counting those already complete.
    """
    clock = time.perf_counter()
    ids = [s.run_id for s in specs]
    complete = folder.complete_parts(ids)
    catalog.register(specs)
    catalog.reconcile(ids, complete)
    todo = [s for s in specs if s.run_id not in complete]
    total = len(specs)
    finished = total - len(todo)
    if on_progress:
        on_progress(finished, total)
    done = failed = 0
    first_error: str | None = None
    buffer: list[dict[str, Any]] = []
    last_flush = time.monotonic()
    pending: set[Any] = set()
    queue = iter(todo)
    exhausted = False

    def task_of(spec: RunSpec) -> dict[str, Any]:
        return {
            "parts": str(folder.parts),
            "run_id": spec.run_id,
            "scenario": scenario,
            "overrides": spec.params,
            "entropy": spec.entropy,
            "spawn_key": list(spec.spawn_key),
            "voters": voters,
            "until": until,
            "metrics": list(metrics),
            # Workers are one process per core already: one thread each. A run in this
            # process may use the default.
            "threads": None if backend.in_process else 1,
        }

    try:
        while pending or not exhausted:
            submitted: list[str] = []
            while not exhausted and len(pending) < backend.in_flight:
                spec = next(queue, None)
                if spec is None:
                    exhausted = True
                    break
                catalog.mark_running([spec.run_id])
                submitted.append(spec.run_id)
                pending.add(backend.submit(run_task, task_of(spec)))
            if not pending:
                break
            completed, pending = backend.wait_any(pending)
            for future in completed:
                try:
                    record = future.result()
                except Exception as error:  # the worker itself died (not the run)
                    raise OutputError(
                        f"a worker was lost ({type(error).__name__}: {error}); "
                        "re-run the same command to resume"
                    ) from None
                buffer.append(record)
                finished += 1
                if record["status"] == "done":
                    done += 1
                else:
                    failed += 1
                    first_error = first_error or f"{record['run_id']}: {record.get('error')}"
            if len(buffer) >= FLUSH_RECORDS or time.monotonic() - last_flush > FLUSH_SECONDS:
                catalog.record_results(buffer)
                buffer, last_flush = [], time.monotonic()
            if on_progress:
                on_progress(finished, total)
    finally:
        catalog.record_results(buffer)  # whatever is finished is kept, even on Ctrl-C
    return ExecutionSummary(
        total, total - len(todo), done, failed, time.perf_counter() - clock, first_error
    )


def backfill_metrics(folder: ExperimentFolder, catalog: Catalog, metrics: Sequence[str]) -> int:
    """Compute requested metrics missing from done runs, from their stored parts.

    Lets a later ``sensitivity --output`` or ``compare --metric`` use a metric that was
    not asked for when the runs were made, without running them again. Returns how many
    values were added.
    """
    missing = catalog.missing_metrics(metrics)
    by_run: dict[str, list[str]] = {}
    for run_id, metric in missing:
        by_run.setdefault(run_id, []).append(metric)
    for run_id, names in by_run.items():
        stored = StoredRun(read_part_tables(folder.part(run_id)))
        catalog.add_metrics(run_id, compute_metrics(stored, names))
    return len(missing)
