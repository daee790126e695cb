"""The same experiment gives byte-identical parts on every backend."""

from __future__ import annotations

from polsim.experiments import sweep
from polsim.experiments.store import MARKER

from .conftest import SMALL


def _parquet_bytes(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted((folder / "parts").rglob("*.parquet"))
    }


def test_local_and_dask_give_identical_bytes(tmp_path):
    """Serial in-process and a 2-worker Dask LocalCluster write the same Parquet bytes."""
    options = dict(design="lhs", samples=3, runs=2, seed=5, **SMALL)
    params = ["regime.repression=0:0.4", "society.mobilisation.activation_threshold.mean=0.2:0.4"]
    local = sweep("toy-polity", params, out=tmp_path / "local", workers=1, **options)
    dask = sweep("toy-polity", params, out=tmp_path / "dask", dask="local", workers=2, **options)
    assert "Dask LocalCluster" in dask.backend
    assert local.summary.done == dask.summary.done == 6
    ours, theirs = _parquet_bytes(local.path), _parquet_bytes(dask.path)
    assert len(ours) >= 12 and ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name
    assert all((p / MARKER).is_file() for p in (dask.path / "parts").iterdir())


def test_common_random_numbers_across_points(tmp_path):
    """Replication r has the same seed at every point, and different replications differ."""
    result = sweep("toy-polity", ["regime.repression=0:0.4:2"], runs=2, out=tmp_path / "s",
                   workers=1, **SMALL)  # fmt: skip
    table = result.results()
    seeds = table.groupby("replication")["spawn_key"].unique()
    assert [list(v) for v in seeds] == [["[0]"], ["[1]"]]
