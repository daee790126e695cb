"""Runs requested from the dashboard, executed in a small pool of worker processes.

The server never simulates in its own process: a :class:`JobQueue` hands each run to a
``ProcessPoolExecutor`` (spawned processes, ``workers`` at once), so pages stay fast
while a run works. A worker reports progress by rewriting a tiny JSON file
(``RUNS/.jobs/<job_id>.json``) each month; the server reads it when a page polls. The
worker saves the run folder (with its report) under the runs folder, named by the job's
run id, through :meth:`polsim.api.Run.save`, so a run folder is whole or absent.

This module imports neither FastAPI nor Jinja2: worker processes load only polsim.
Workers end within a second when the server dies, even by SIGKILL
(:func:`polsim.workers.exit_with_parent`; by polling only, since they are started from
request threads that may end before them).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polsim.workers import exit_with_parent

__all__ = ["Job", "JobQueue", "JobSpec", "execute_run"]

_JOBS_FOLDER = ".jobs"


@dataclass(frozen=True)
class JobSpec:
    """What to run: a validated scenario (as JSON data), seed, voters, last month."""

    job_id: str
    run_id: str
    scenario: dict[str, Any]
    origin: str
    seed: int
    voters: int
    until: str
    months: int


@dataclass
class Job:
    """A run's state as the dashboard shows it."""

    spec: JobSpec
    client: str
    batch: str
    state: str = "queued"  # queued, running, done, failed
    error: str = ""
    submitted: float = field(default_factory=time.time)

    def as_dict(self, months_done: int) -> dict[str, Any]:
        """The JSON the progress endpoint returns."""
        done = self.state == "done"
        return {
            "job_id": self.spec.job_id,
            "run_id": self.spec.run_id,
            "scenario": self.spec.scenario.get("name", ""),
            "seed": self.spec.seed,
            "voters": self.spec.voters,
            "state": self.state,
            "months_done": self.spec.months if done else months_done,
            "months_total": self.spec.months,
            "error": self.error,
            "report_url": f"/runs/{self.spec.run_id}/report" if done else None,
        }


def execute_run(spec: JobSpec, runs_root: str) -> str:
    """Run one job in a worker process and save its folder; return the run folder."""
    from polsim.api import simulate
    from polsim.scenario.loader import scenario_from_dict

    root = Path(runs_root)
    progress = root / _JOBS_FOLDER / f"{spec.job_id}.json"
    done = 0

    def on_month(month: object) -> None:
        nonlocal done
        done += 1
        _write_progress(progress, {"months_done": done, "month": str(month)})

    scenario = scenario_from_dict(spec.scenario, origin=spec.origin)
    _write_progress(progress, {"months_done": 0, "month": ""})
    run = simulate(
        scenario,
        seed=spec.seed,
        voters=spec.voters,
        until=spec.until,
        on_month=on_month,
        command=f"polsim serve: {spec.origin}, seed {spec.seed}, {spec.voters} voters",
    )
    path = run.save(root / spec.run_id)
    return str(path)


def _write_progress(path: Path, record: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(record))
    temporary.replace(path)


class JobQueue:
    """Jobs of this server: submit with caps, poll progress, run in worker processes."""

    def __init__(
        self,
        runs_root: Path,
        workers: int = 1,
        max_pending: int = 8,
        max_pending_per_client: int = 3,
        on_finished: Callable[[Job], None] | None = None,
    ) -> None:
        self.runs_root = runs_root
        self.max_pending = max_pending
        self.max_pending_per_client = max_pending_per_client
        self._on_finished = on_finished
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        (runs_root / _JOBS_FOLDER).mkdir(parents=True, exist_ok=True)
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with_parent,
            initargs=(os.getpid(), False),
        )

    def pending(self, client: str | None = None) -> int:
        """Jobs queued or running (for one client, if given)."""
        with self._lock:
            return sum(
                1
                for job in self._jobs.values()
                if job.state in ("queued", "running") and (client is None or job.client == client)
            )

    def room_for(self, client: str, count: int) -> str | None:
        """Why ``count`` more jobs from ``client`` would break a cap, or None if they fit."""
        mine, everyone = self.pending(client), self.pending()
        if mine + count > self.max_pending_per_client:
            return (
                f"you already have {mine} run(s) waiting or running; at most "
                f"{self.max_pending_per_client} per user at once"
            )
        if everyone + count > self.max_pending:
            return f"the server is busy ({everyone} runs waiting or running); try again soon"
        return None

    def submit(self, specs: list[JobSpec], client: str, batch: str) -> None:
        """Queue jobs (the caller has checked :meth:`room_for`)."""
        for spec in specs:
            job = Job(spec, client, batch)
            with self._lock:
                self._jobs[spec.job_id] = job
            future = self._pool.submit(execute_run, spec, str(self.runs_root))
            job.state = "queued"
            future.add_done_callback(lambda f, job=job: self._finished(job, f))

    def job(self, job_id: str) -> dict[str, Any] | None:
        """One job's state and progress, or None if unknown."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            return None
        months = self._months_done(job)
        if job.state == "queued" and months > 0:
            job.state = "running"
        return job.as_dict(months)

    def batch(self, batch: str) -> list[dict[str, Any]]:
        """The jobs submitted together under ``batch``, in order."""
        with self._lock:
            ids = [j.spec.job_id for j in self._jobs.values() if j.batch == batch]
        return [record for i in ids if (record := self.job(i)) is not None]

    def shutdown(self) -> None:
        """Stop the workers; queued jobs are cancelled."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _months_done(self, job: Job) -> int:
        if job.state in ("done", "failed"):
            return job.spec.months if job.state == "done" else 0
        try:
            path = self.runs_root / _JOBS_FOLDER / f"{job.spec.job_id}.json"
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            return 0
        return int(record.get("months_done", 0))

    def _finished(self, job: Job, future: Future[str]) -> None:
        error = None if future.cancelled() else future.exception()
        if future.cancelled():
            job.state, job.error = "failed", "cancelled: the server stopped"
        elif error is not None:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            job.state, job.error = "failed", first
        else:
            job.state = "done"
        (self.runs_root / _JOBS_FOLDER / f"{job.spec.job_id}.json").unlink(missing_ok=True)
        if self._on_finished is not None:
            self._on_finished(job)
