"""The catalogue of run folders: one DuckDB table listing every run under a folder.

``index_runs(runs_root)`` scans ``runs_root/*/manifest.json`` and (re)writes the table
``runs`` of ``runs_root/catalog.duckdb``; ``list_runs(runs_root)`` reads it back, newest
first. The dashboard (``polsim serve``) keeps the catalogue of its runs folder this way;
any DuckDB client can query it:

.. code-block:: sql

    SELECT scenario, count(*), avg(voters) FROM runs GROUP BY scenario;

DuckDB has one writer per file: callers that share a catalogue across threads serialise
their calls (the dashboard holds a lock); each call opens and closes its connection.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from polsim.errors import OutputError

__all__ = ["CATALOGUE_FILE", "RUN_COLUMNS", "index_runs", "list_runs"]

#: The catalogue's file name inside a runs folder.
CATALOGUE_FILE = "catalog.duckdb"

#: The columns of the ``runs`` table, in order.
RUN_COLUMNS = (
    "run_id",
    "scenario",
    "seed",
    "voters",
    "start",
    "until",
    "months",
    "events",
    "started_at",
    "finished_at",
    "polsim_version",
    "command",
    "has_report",
)


def index_runs(runs_root: str | Path) -> Path:
    """Scan ``runs_root/*/manifest.json`` into the ``runs`` table; return the catalogue."""
    root = Path(runs_root)
    if not root.is_dir():
        raise OutputError(f"{root}: no such runs folder")
    rows = [row for folder in sorted(root.iterdir()) if (row := _run_row(folder)) is not None]
    frame = pd.DataFrame(rows, columns=list(RUN_COLUMNS))
    frame = frame.astype(
        {
            "voters": "int64",
            "months": "int64",
            "events": "int64",
            "has_report": "bool",
        }
    )
    target = root / CATALOGUE_FILE
    try:
        connection = duckdb.connect(str(target))
    except duckdb.Error as error:
        raise OutputError(f"{target}: cannot open the catalogue ({error})") from None
    try:
        connection.register("scanned", frame)
        connection.execute("CREATE OR REPLACE TABLE runs AS SELECT * FROM scanned")
        connection.unregister("scanned")
    finally:
        connection.close()
    return target


def list_runs(runs_root: str | Path) -> list[dict[str, Any]]:
    """The catalogued runs, newest first (indexing the folder if it has no catalogue)."""
    root = Path(runs_root)
    target = root / CATALOGUE_FILE
    if not target.is_file():
        index_runs(root)
    connection = duckdb.connect(str(target), read_only=True)
    try:
        frame = connection.execute(
            "SELECT * FROM runs ORDER BY finished_at DESC, run_id DESC"
        ).fetchdf()
    finally:
        connection.close()
    return frame.to_dict(orient="records")


def _run_row(folder: Path) -> dict[str, Any] | None:
    """One catalogue row from a run folder's manifest, or None if it is not a run folder."""
    if folder.name.startswith(".") or not folder.is_dir():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    seed = manifest.get("seed")
    return {
        "run_id": folder.name,
        "scenario": str(manifest.get("scenario", "")),
        "seed": json.dumps(seed) if isinstance(seed, dict | list) else str(seed),
        "voters": _int(manifest.get("voters")),
        "start": str(manifest.get("start", "")),
        "until": str(manifest.get("until", "")),
        "months": _int(manifest.get("months")),
        "events": _int(manifest.get("events")),
        "started_at": str(manifest.get("started_at", "")),
        "finished_at": str(manifest.get("finished_at", "")),
        "polsim_version": str(manifest.get("polsim_version", "")),
        "command": str(manifest.get("command", "")),
        "has_report": (folder / "report.html").is_file(),
    }


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
