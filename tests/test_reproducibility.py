"""Same scenario, seed and version: byte-identical Parquet files."""

from pathlib import Path

import polsim


def _parquet_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def test_same_seed_gives_identical_files(tmp_path):
    """Two runs with one seed write the same bytes; another seed writes other bytes."""
    a = polsim.simulate("kazakhstan-1990s", seed=3, voters=5000, until="1990-06")
    b = polsim.simulate("kazakhstan-1990s", seed=3, voters=5000, until="1990-06")
    c = polsim.simulate("kazakhstan-1990s", seed=4, voters=5000, until="1990-06")
    files = [_parquet_bytes(r.save(tmp_path / name)) for r, name in ((a, "a"), (b, "b"), (c, "c"))]
    assert files[0] and files[0] == files[1]
    assert files[0]["series.parquet"] != files[2]["series.parquet"]


def test_run_api_tables_and_save(tmp_path):
    """simulate() returns DataFrames and save() round-trips them."""
    run = polsim.simulate("toy-polity", seed=1, voters=3000, until="1990-04")
    assert list(run.series["month"]) == ["1990-01", "1990-02", "1990-03", "1990-04"]
    assert run.events["type"].iloc[0] == "RunStarted"
    assert run.manifest.loc[0, "scenario"] == "toy-polity"
    saved = polsim.read_run(run.save(tmp_path / "r"))
    assert saved["series"].equals(run.series)
    assert saved["manifest"]["files"]["series.parquet"]
