"""The Python API: ``polsim.simulate(...) -> Run``.

The CLI and the experiments are thin layers over this module; a notebook uses it
directly:

>>> import polsim
>>> run = polsim.simulate("toy-polity", seed=1, voters=2000, until="1990-03")
>>> len(run.series)
3
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from polsim._version import __version__
from polsim.engine.calendar import Month
from polsim.engine.threads import parse_threads, run_threads, using_threads
from polsim.errors import UserInputError
from polsim.output.rundir import file_sha256, write_run_dir
from polsim.parties.series import organisations_table
from polsim.run.simulation import Simulation
from polsim.scenario.loader import load_scenario, scenario_hash
from polsim.scenario.schema import Scenario
from polsim.voter_count import parse_voter_count

__all__ = ["Run", "parse_voter_count", "read_run", "simulate"]

#: Parquet settings shared by every table polsim writes (same bytes for same data).
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_statistics": True}


@dataclass
class Run:
    """The outputs of one run: tables, the manifest, and the validated scenario."""

    scenario: Scenario
    tables: dict[str, pa.Table]
    manifest_record: dict[str, Any]
    simulation: Simulation | None = field(default=None, repr=False)

    @property
    def series(self) -> pd.DataFrame:
        """Monthly series, one row per month."""
        return self.tables["series"].to_pandas()

    @property
    def events(self) -> pd.DataFrame:
        """The event log, one row per event."""
        return self.tables["events"].to_pandas()

    @property
    def manifest(self) -> pd.DataFrame:
        """The manifest as a one-row DataFrame (``manifest_record`` has it as a dict)."""
        flat = {
            k: json.dumps(v) if isinstance(v, dict | list) else v
            for k, v in self.manifest_record.items()
        }
        return pd.DataFrame([flat])

    def save(self, directory: str | Path, force: bool = False, report: bool = True) -> Path:
        """Write the run folder: one Parquet file per table, scenario, manifest and report.

        The HTML report (``report.html``) is built from the folder's own files before the
        folder is renamed into place, so a run folder is whole or absent; ``manifest.json``
        is written last. The report is derived output, not listed in the manifest's file
        hashes; ``report=False`` skips it. ``force`` replaces only an earlier polsim run
        (see :mod:`polsim.output.rundir`).
        """
        manifest = dict(self.manifest_record)

        def write_files(folder: Path) -> None:
            files: dict[str, str] = {}
            for name, table in self.tables.items():
                target = folder / f"{name}.parquet"
                pq.write_table(table, target, **PARQUET_OPTIONS)
                files[target.name] = file_sha256(target)
            scenario_file = folder / "scenario.json"
            scenario_file.write_text(
                json.dumps(self.scenario.model_dump(mode="json"), indent=1, sort_keys=True)
            )
            files[scenario_file.name] = file_sha256(scenario_file)
            manifest["files"] = files
            text = json.dumps(manifest, indent=2) + "\n"
            if report:
                from polsim.output.report import build_report  # plotly loads only when needed

                build_report(folder, manifest=json.loads(text))  # as read back from the file
            # Last: a folder is a run exactly when its manifest is there.
            (folder / "manifest.json").write_text(text)

        path = write_run_dir(Path(directory), write_files, force=force)
        self.manifest_record = manifest
        return path


def simulate(
    scenario: str | Path | Scenario = "kazakhstan-1990s",
    seed: int | np.random.SeedSequence = 0,
    voters: int | str | None = None,
    until: str | Month | None = None,
    on_month: Callable[[Month], None] | None = None,
    command: str | None = None,
    threads: int | None = None,
) -> Run:
    """Run a scenario and return its outputs.

    Parameters
    ----------
    scenario
        A built-in name, a YAML file, or a validated :class:`Scenario`.
    seed
        The run's seed.
    voters
        Synthetic voters (``200k``, ``10m``, or an int); default the scenario's.
    until
        Last month, ``YYYY-MM``; default the scenario's end.
    on_month
        Called after each month (progress bars).
    command
        How the run was asked for, kept in the manifest.
    threads
        Threads for the voter passes; default ``POLSIM_THREADS`` or two
        (:mod:`polsim.engine.threads`). Outputs are the same bits for any number.
    """
    model = load_scenario(scenario)
    if isinstance(seed, int | np.integer) and (isinstance(seed, bool) or seed < 0):
        raise UserInputError(f"--seed must be a non-negative integer; got {seed!r}")
    n_voters = model.default_voters if voters is None else parse_voter_count(voters)
    last = model.end if until is None else _parse_until(until, model)
    n_threads = run_threads() if threads is None else parse_threads(threads, "threads")
    started = datetime.now(UTC)
    with using_threads(n_threads):
        simulation = Simulation(model, seed, n_voters, last)
        simulation.run(on_month)
    finished = datetime.now(UTC)
    # Imported here: polsim.elections reads the scenario schema, which must load after engine.
    from polsim.elections.hold import results_table, units_table

    tables = {
        "series": simulation.recorder.to_table(),
        "events": _events_table(simulation),
        "results": results_table(simulation.recorder.rows("results")),
        "units": units_table(simulation.recorder.rows("units")),
        "organisations": organisations_table(simulation.world),
    }
    seed_record = int(seed) if isinstance(seed, int | np.integer) else _seed_record(seed)
    manifest = {
        "polsim_version": __version__,
        "scenario": model.name,
        "scenario_hash": scenario_hash(model),
        "scenario_source": str(scenario) if not isinstance(scenario, Scenario) else model.name,
        "seed": seed_record,
        "voters": n_voters,
        "start": str(model.start),
        "until": str(last),
        "months": simulation.months_done,
        "events": len(simulation.log),
        "command": command or f"polsim.simulate({model.name!r}, seed={seed_record!r})",
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "threads": n_threads,
    }
    return Run(model, tables, manifest, simulation)


def read_run(directory: str | Path) -> dict[str, Any]:
    """Read a saved run folder: its manifest and every table, as DataFrames."""
    folder = Path(directory)
    manifest = json.loads((folder / "manifest.json").read_text())
    tables = {p.stem: pq.read_table(p).to_pandas() for p in sorted(folder.glob("*.parquet"))}
    return {"manifest": manifest, **tables}


def _parse_until(until: str | Month, scenario: Scenario) -> Month:
    try:
        month = Month.parse(until)
    except ValueError as error:
        raise UserInputError(f"--until: {error}") from None
    if month < scenario.start:
        raise UserInputError(f"--until {month} is before the scenario's start {scenario.start}")
    if month > scenario.end:
        raise UserInputError(f"--until {month} is after the scenario's end {scenario.end}")
    return month


def _events_table(simulation: Simulation) -> pa.Table:
    columns = simulation.log.to_columns()
    return pa.table(
        {
            "seq": pa.array(columns["seq"], pa.int64()),
            "date": pa.array(columns["date"], pa.string()),
            "type": pa.array(columns["type"], pa.string()),
            "actors": pa.array(columns["actors"], pa.list_(pa.string())),
            "details": pa.array(columns["details"], pa.string()),
        }
    )


def _seed_record(seed: np.random.SeedSequence) -> dict[str, Any]:
    return {"entropy": int(seed.entropy), "spawn_key": [int(k) for k in seed.spawn_key]}
