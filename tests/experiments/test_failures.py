"""A run that fails inside an experiment makes the command exit 2 with one summary line."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from polsim.experiments.metrics import register_metric

from .conftest import SMALL_FLAGS, one_line_error, run_cli

MORRIS = ["--method", "morris", "--samples", "1"]
CALIBRATE = ["--param", "regime.repression=0:0.4", "--particles", "2", "--generations", "0"]
TWO_PARAMS = ["--param", "regime.repression=0:0.4", "--param", "regime.ethnic_penalty.Minority=0:1"]


@register_metric("test_always_fails")
def _always_fails(run: object) -> float:
    """A metric that fails on every run (known to this process only, not to workers)."""
    raise RuntimeError("this metric always fails")


@register_metric("test_fails_when_repressed")
def _fails_when_repressed(run: object) -> float:
    """A metric that fails on runs whose repression is above 0.2."""
    if run.scenario.regime.repression > 0.2:  # type: ignore[attr-defined]
        raise RuntimeError("repression above 0.2")
    return 1.0


@pytest.mark.parametrize(
    "argv",
    [
        ["ensemble", "toy-polity", "--runs", "2", "--metric", "test_always_fails"],
        ["compare", "toy-polity", "toy-polity", "--runs", "2", "--metric", "test_always_fails"],
        ["sensitivity", "toy-polity", *TWO_PARAMS, *MORRIS, "--output", "test_always_fails"],
        ["calibrate", "toy-polity", *CALIBRATE, "--targets", "{tmp}/targets.yaml"],
    ],
    ids=["ensemble", "compare", "sensitivity", "calibrate"],
)
def test_failed_runs_exit_2_serial(capsys, tmp_path, argv):
    """Every run failing ends the command in one line saying how many failed and why."""
    (tmp_path / "targets.yaml").write_text("test_always_fails: {value: 1, sd: 1}\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run_cli(
        capsys, *argv, *SMALL_FLAGS, "--workers", "1", "--out", str(tmp_path / "x")
    )
    assert code == 2
    one_line_error(err, "runs failed; the first:", "this metric always fails")


def test_sweep_keeps_what_succeeded(capsys, tmp_path):
    """One failed point of two exits 2, and the other point's result stays stored."""
    folder = tmp_path / "sweep"
    argv = ["sweep", "toy-polity", "--param", "regime.repression=0:0.4:2"]
    argv += ["--metric", "test_fails_when_repressed", *SMALL_FLAGS, "--workers", "1"]
    code, _, err = run_cli(capsys, *argv, "--out", str(folder))
    assert code == 2
    one_line_error(err, "1 of 2 runs failed", "repression above 0.2")
    results = pq.read_table(folder / "results.parquet").to_pandas()
    assert sorted(results["status"]) == ["done", "failed"]


@pytest.mark.parametrize(
    "backend",
    [["--workers", "2"], ["--dask", "local", "--workers", "1"]],
    ids=["processes", "dask"],
)
def test_failed_runs_exit_2_on_worker_backends(capsys, tmp_path, backend):
    """Runs failing in worker processes (the metric is unknown there) end in one line too."""
    argv = ["ensemble", "toy-polity", "--runs", "2", "--metric", "test_always_fails"]
    code, _, err = run_cli(capsys, *argv, *SMALL_FLAGS, *backend, "--out", str(tmp_path / "e"))
    assert code == 2
    one_line_error(err, "2 of 2 runs failed; the first:", "test_always_fails")


def test_failed_claim_runs_raise_one_line():
    """A claims ensemble whose runs fail raises one error counting them, not a traceback."""
    from polsim.experiments.claims import run_claim_ensembles
    from polsim.experiments.runner import RunsFailedError

    with pytest.raises(RunsFailedError, match="6 of 6 runs failed; the first: pinned base"):
        run_claim_ensembles("toy-polity", 2, 300, "2999-01", ("pinned",), workers=1)
