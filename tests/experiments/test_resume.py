"""A sweep killed with SIGKILL resumes with no run lost and none duplicated."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from polsim.experiments import sweep
from polsim.experiments.store import MARKER

from .conftest import SMALL, run_cli

SWEEP = [
    "sweep",
    "toy-polity",
    "--param",
    "regime.repression=0:0.4:4",
    "--param",
    "regime.legitimacy=0.4:0.8:3",
    "--runs",
    "2",
    "--voters",
    "1000",
    "--until",
    "1990-06",
    "--quiet",
]
EXPECTED = {f"p{p:05d}-r{r:04d}" for p in range(12) for r in range(2)}


def _complete_parts(parts: Path) -> set[str]:
    if not parts.is_dir():
        return set()
    return {p.name for p in parts.iterdir() if (p / MARKER).is_file()}


def _catalogue(folder: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(folder / "catalog.duckdb"), read_only=True) as db:
        return db.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()


def test_sigkill_then_resume(capsys, tmp_path):
    """Kill the coordinator mid-sweep; re-running completes every run exactly once."""
    folder = tmp_path / "sweep"
    command = [sys.executable, "-m", "polsim", *SWEEP, "--workers", "2", "--out", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while len(_complete_parts(folder / "parts")) < 3 and process.poll() is None:
            assert time.monotonic() < deadline, "the sweep made no progress"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    killed_with = len(_complete_parts(folder / "parts"))
    assert process.returncode == -signal.SIGKILL
    assert 3 <= killed_with < len(EXPECTED), "the kill did not land partway"

    code, stdout, err = run_cli(capsys, *SWEEP, "--workers", "1", "--out", str(folder))
    assert code == 0, err
    assert "already complete" in stdout
    rows = _catalogue(folder)
    assert [run_id for run_id, _ in rows] == sorted(EXPECTED)  # each exactly once
    assert {status for _, status in rows} == {"done"}
    assert _complete_parts(folder / "parts") == EXPECTED
    assert not [p for p in (folder / "parts").iterdir() if p.name.startswith(".")]


def test_incomplete_part_is_redone(tmp_path):
    """A part folder without its completion marker, or missing, is run again on resume."""
    folder = tmp_path / "sweep"
    options = dict(design="factorial", runs=1, out=folder, workers=1, **SMALL)
    params = ["regime.repression=0:0.4:3"]
    first = sweep("toy-polity", params, **options)
    assert first.summary.done == 3
    series = (folder / "parts" / "p00001-r0000" / "series.parquet").read_bytes()
    (folder / "parts" / "p00001-r0000" / MARKER).unlink()  # as if killed before the marker
    shutil.rmtree(folder / "parts" / "p00002-r0000")  # as if removed by hand
    again = sweep("toy-polity", params, **options)
    assert (again.summary.skipped, again.summary.done) == (1, 2)
    assert (folder / "parts" / "p00001-r0000" / "series.parquet").read_bytes() == series
    assert {s for _, s in _catalogue(folder)} == {"done"}
    marker = json.loads((folder / "parts" / "p00002-r0000" / MARKER).read_text())
    assert marker["seed"] == {"entropy": "0", "spawn_key": [0]}


def test_catalogue_is_rebuilt_from_markers(tmp_path):
    """Runs finished on disk but never recorded (coordinator died) are marked done from markers."""
    folder = tmp_path / "ens"
    from polsim.experiments import ensemble

    ensemble("toy-polity", 3, out=folder, workers=1, **SMALL)
    with duckdb.connect(str(folder / "catalog.duckdb")) as db:
        db.execute("UPDATE runs SET status = 'running'")
        db.execute("DELETE FROM metrics")
    again = ensemble("toy-polity", 3, out=folder, workers=1, **SMALL)
    assert again.summary.skipped == 3 and again.summary.done == 0
    results = again.results()
    assert list(results["status"]) == ["done"] * 3
    assert results["mean:active_share"].notna().all()
